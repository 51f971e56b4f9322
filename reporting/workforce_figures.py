"""The quarterly return's workforce section (#20 item 6; report §9.1: a sufficient, trained and supported workforce):
staff in post, vacancies, supervision within six weeks, mandatory training and DBS checks current, and how evenly
the caseload is spread.

Kept apart from kpis.py, which registers them by importing this module. Every figure is a ``Row`` made by the usual
helpers, so ``reporting.disclosure`` protects it like every other: the counts of staff and vacancies are about
staff and posts, not families, but they are small numbers of people that sit beside per-person shares (a district
with two workers and a supervision share of 50% would name the one not supervised), so they go through the same
step — counts from 1 to 4 show ``[c]`` and shares and caseload figures built on fewer than 5 workers are withheld.
One rule for the whole return also means a reader never has to know which counts were exempt.

Staff are counted as the staff records stand when the return is made (the records keep no history of who was in
which team when); supervision, training and DBS checks are read as they stood on the quarter's last day.
"""

from collections.abc import Callable
from statistics import median

from django.db.models import Count

from workforce.models import StaffRole, Vacancy
from workforce.rules import Course, dbs_current, supervised_within
from workforce.selectors import MemberStatus, open_at, staff_in_post, status_of, with_status, workers_in_post

from .kpis import COUNTY, Row, _count_row, _percent_row, allocations_open_at_end, caseload_workers, kpi
from .periods import QUARTERLY

DISTRICT = "team__base__district__name"
STAFF_IN_POST = """Staff in post: active members of staff in a team who hold the family support worker or the team
manager role (a team manager once, as a manager, if they hold both), by their team's base's district, as the staff
records stand when the return is made."""


def _role_rows(grouped: list[dict], role_of, districts) -> list[Row]:
    """One row per staff role (every role shown, zero or not), by district; ``role_of`` reads a grouped row's role."""
    table: dict[str, dict[str, int]] = {}
    for row in grouped:
        cells = table.setdefault(role_of(row), {})
        cells[row["district"]] = cells.get(row["district"], 0) + row["n"]
    return [_count_row(label, table.get(value, {}), districts) for value, label in StaffRole.choices]


@kpi(
    code="workforce_in_post",
    headline_total=True,
    title="Staff in post, by district and role",
    section="workforce",
    unit="count",
    returns=(QUARTERLY,),
    definition=STAFF_IN_POST,
)
def workforce_in_post(period, districts):
    grouped = [
        {"district": row[DISTRICT], "manager": row["is_manager"], "n": row["n"]}
        for row in staff_in_post().values(DISTRICT, "is_manager").annotate(n=Count("pk")).order_by()
    ]
    return _role_rows(grouped, lambda row: StaffRole.MANAGER if row["manager"] else StaffRole.WORKER, districts)


@kpi(
    code="workforce_vacancies",
    headline_total=True,
    title="Vacancies open at the end of the quarter, by district and role",
    section="workforce",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Vacancies the service admin entered that were open on the quarter's last day: open since that
    day or before, and not filled by it (a post filled on the day is filled). Each vacancy counts once, whatever
    its full-time equivalent, by the vacancy's district and role.""",
)
def workforce_vacancies(period, districts):
    grouped = [
        {"district": row["district__name"], "role": row["role"], "n": row["n"]}
        for row in open_at(Vacancy.objects.all(), period.end)
        .values("district__name", "role")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    return _role_rows(grouped, lambda row: row["role"], districts)


def _shares(profiles, period, districts, tests: list[tuple[str, Callable[[MemberStatus], bool]]]) -> list[Row]:
    """For each (label, test of a member's status): the share of ``profiles`` passing it, by district."""
    statuses = [
        status_of(profile, on=period.end)
        for profile in with_status(profiles.select_related("team__base__district"), on=period.end)
    ]
    staff: dict[str, int] = {}
    passing: dict[str, dict[str, int]] = {label: {} for label, _ in tests}
    for status in statuses:
        district = status.profile.team.base.district.name
        staff[district] = staff.get(district, 0) + 1
        for label, test in tests:
            if test(status):
                passing[label][district] = passing[label].get(district, 0) + 1
    return [_percent_row(label, passing[label], staff, districts) for label, _ in tests]


@kpi(
    code="workforce_supervision",
    title="Workers supervised in the six weeks to the end of the quarter",
    section="workforce",
    unit="percent",
    returns=(QUARTERLY,),
    definition="""Of the family support workers in post (active, in a team, holding the worker role and not a team
    manager's), the share with a supervision session recorded on the quarter's last day or in the 42 days before
    it, by their team's district.""",
)
def workforce_supervision(period, districts):
    return _shares(
        workers_in_post(),
        period,
        districts,
        [("Supervised within six weeks", lambda status: supervised_within(status.last_supervision, period.end))],
    )


@kpi(
    code="workforce_training",
    title="Staff with their mandatory training current at the end of the quarter",
    section="workforce",
    unit="percent",
    returns=(QUARTERLY,),
    definition=f"""{STAFF_IN_POST} The share of them whose mandatory training was current on the quarter's last
    day: completed on or before it and expiring after it. First all three courses (safeguarding, data protection,
    domestic abuse awareness), then each. A course lasts 3 years (safeguarding, domestic abuse awareness) or 1 year
    (data protection) unless another expiry date was recorded.""",
)
def workforce_training(period, districts):
    def course_current(course):
        return lambda status: next(item for item in status.training if item.course == course).current

    return _shares(
        staff_in_post(),
        period,
        districts,
        [
            ("All three courses current", lambda status: status.training_current),
            *[(course.label, course_current(course.value)) for course in Course],
        ],
    )


@kpi(
    code="workforce_dbs",
    title="Staff with a DBS check in the three years to the end of the quarter",
    section="workforce",
    unit="percent",
    returns=(QUARTERLY,),
    definition=f"""{STAFF_IN_POST} The share of them with an enhanced DBS (background) check dated on the quarter's
    last day or in the three years before it (after the same day three years earlier): the service re-checks
    every three years.""",
)
def workforce_dbs(period, districts):
    return _shares(
        staff_in_post(),
        period,
        districts,
        [("DBS check within three years", lambda status: dbs_current(status.last_dbs, period.end))],
    )


@kpi(
    code="workforce_caseload_spread",
    title="Caseload spread: families in support per worker at the end of the quarter",
    section="workforce",
    unit="mean",
    returns=(QUARTERLY,),
    definition="""The caseload of "Caseload per worker": allocations (lead or co-worker) open at the quarter's last
    moment, that is families still in support, counted for each active member of staff of the district's teams
    who holds the family support worker role, as in "Caseload per worker" (a team manager who also holds it
    included, unlike "Staff in post"; a worker with none counts 0). The fewest, the median and the most families
    one worker holds, by the worker's district and for the county. Withheld where there are fewer than 5 workers.""",
)
def workforce_caseload_spread(period, districts):
    workers = dict(caseload_workers().values_list("user_id", DISTRICT).distinct())
    held = dict(
        allocations_open_at_end(period)
        .filter(worker_id__in=workers)
        .values("worker_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("worker_id", "n")
    )
    loads: dict[str, list[int]] = {}
    for user_id, district in workers.items():
        if district is not None:
            loads.setdefault(district, []).append(held.get(user_id, 0))
    county = [n for name in districts for n in loads.get(name, [])]

    def row(label, summarise):
        values, bases = {}, {}
        for name, numbers in [*[(d, loads.get(d, [])) for d in districts], (COUNTY, county)]:
            values[name] = float(summarise(numbers)) if numbers else None
            bases[name] = len(numbers)
        return Row(label, values, bases)

    return [row("Fewest", min), row("Median", median), row("Most", max)]
