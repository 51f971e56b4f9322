"""The KPI registry: every figure of the monthly and quarterly returns (DESIGN §4).

Each KPI is a named function with its definition as text (printed in the PDF's
appendix). Every figure is computed with database aggregates grouped by
district, with a county total. A KPI returns rows; each row has a value per
district and for the county, and for percentages and means the number they
are built on (so small bases can be suppressed).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum

from bases.models import District, Locality, StaffProfile
from ecfs.financial_year import financial_year_of
from ecfs.roles import Role, group_name
from families.determinants import Impact
from families.models import (
    Allocation,
    Contact,
    Ethnicity,
    Family,
    FollowUp,
    OutcomeAssessment,
    OutcomeScore,
    ParentProgress,
    Person,
    SupportPlan,
)
from referrals.models import Referral, Source, TriageDecision
from support_fund.models import Application, Budget
from venues import selectors as group_selectors

from .models import BudgetActual, ContractBudgetLine
from .periods import MONTHLY, QUARTERLY, Period

COUNTY = "County"
# Report §2.6: across the county in 2018, 80% of group sessions ran onsite in centres and
# 35% of sessions were targeted (district figures are in the reference data).
COUNTY_ONSITE_BASELINE_2018 = 80
COUNTY_TARGETED_BASELINE_2018 = 35
HIGH_NEED_LOCALITIES = 7  # the top quarter of the 28 market towns by Children's Need Index


@dataclass
class Row:
    label: str
    values: dict  # district name (and "County") → number
    bases: dict | None = None  # for percentages and means: what each value is built on
    unit: str | None = None  # when the row's unit differs from its KPI's (a mean change in points)
    additive: bool = False  # the county value is the sum of the districts' (reporting/disclosure.py relies on it)
    # A percentage of other rows of the same KPI: their labels (the disclosure audit ties them together).
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kpi:
    code: str
    title: str
    section: str
    unit: str  # count | percent | money | mean
    definition: str
    compute: Callable[[Period, list[str]], list[Row]]
    returns: tuple[str, ...] = (MONTHLY, QUARTERLY)
    baseline: Callable[[list[str]], list[Row]] | None = field(default=None)
    # The rows split one whole (each referral has one source): the headline is their total, not the first row.
    headline_total: bool = False
    # How the PDF prints the table (``documents.print_layouts``): a column per district and the county
    # (``districts``), the county's column only (``county``: figures kept for the county alone), or one line per
    # published figure naming its area (``places``: each row is a place in one district, as the market towns).
    layout: str = "districts"
    # How a quarter's figure relates to its months' (the disclosure check reads a quarter beside its months):
    # ``sum`` (counted in the period: the quarter's is the months' added up), ``last`` (at the period's end: the
    # quarter's is its last month's), or "" (neither: families counted once, shares, means).
    over_time: str = ""


REGISTRY: list[Kpi] = []

SECTIONS = {
    "outputs": "Outputs and timescales",
    "impact1": Impact.MILESTONES.label,
    "development": "Child development evidence (impact 1)",
    "impact2": Impact.NEGLECT_OR_HARM.label,
    "impact3": Impact.SOCIAL_MOBILITY.label,
    "groups": "Group programmes",
    "reach": "Reach and equality",
    "partnership": "Partnership working",
    "workforce": "Workforce",
    "voice": "Service users' voice",
    "digital": "Digital reach",
    "fund": "Family support fund",
    "budget": "Contract budget",
}


def kpi(
    *,
    code,
    title,
    section,
    unit,
    definition,
    returns=(MONTHLY, QUARTERLY),
    baseline=None,
    headline_total=False,
    layout="districts",
    over_time="",
):
    def register(function):
        REGISTRY.append(
            Kpi(
                code,
                title,
                section,
                unit,
                " ".join(definition.split()),
                function,
                returns,
                baseline,
                headline_total,
                layout,
                over_time,
            )
        )
        return function

    return register


def kpis_for(kind: str) -> list[Kpi]:
    return [k for k in REGISTRY if kind in k.returns]


# Building blocks ---------------------------------------------------------------------------------


def _by_district(qs: QuerySet, district_path: str, **aggregates) -> dict[str, dict]:
    return {row[district_path]: row for row in qs.values(district_path).annotate(**aggregates).order_by()}


def _count_rows(qs: QuerySet, district_path: str, districts, *, label_path=None, labels=None) -> list[Row]:
    """Counts by district; with ``label_path``, one row per label (all ``labels`` shown, zero or not)."""
    if label_path is None:
        counts = {k: v["n"] for k, v in _by_district(qs, district_path, n=Count("pk", distinct=True)).items()}
        return [_count_row("All", counts, districts)]
    grouped = qs.values(district_path, label_path).annotate(n=Count("pk", distinct=True)).order_by()
    table: dict = {}
    for row in grouped:
        table.setdefault(row[label_path], {})[row[district_path]] = row["n"]
    return [_count_row(text, table.get(value, {}), districts) for value, text in labels]


def _count_row(label: str, counts: dict, districts) -> Row:
    values = {name: counts.get(name, 0) for name in districts}
    values[COUNTY] = sum(values.values())
    return Row(label, values, additive=True)


def _percent_row(label: str, numerators: dict, denominators: dict, districts, numerator=(), denominator=()) -> Row:
    values, bases = {}, {}
    for name in [*districts, COUNTY]:
        if name == COUNTY:
            num, den = sum(numerators.get(d, 0) for d in districts), sum(denominators.get(d, 0) for d in districts)
        else:
            num, den = numerators.get(name, 0), denominators.get(name, 0)
        values[name] = _percent(num, den)
        bases[name] = den
    return Row(label, values, bases, numerator=numerator, denominator=denominator)


def _percent(numerator, denominator):
    if not denominator:
        return None
    return float((Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _mean(total, count, places: str):
    """``total / count`` worked out exactly and rounded once, a half up, to ``places`` (what is published: a mean
    change in points to ``"0.1"``, a caseload to ``"0.01"``), so no figure is rounded twice."""
    if not count:
        return None
    return float((Decimal(total) / Decimal(count)).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _money_row(label: str, sums: dict, districts, families: dict | None = None) -> Row:
    """Money by district with a county total; ``families`` (how many families each sum is paid to) are the
    bases, so money paid to fewer than 5 families is protected like a small count."""
    values = {name: sums.get(name) or Decimal("0.00") for name in districts}
    values[COUNTY] = sum(values.values(), Decimal("0.00"))
    bases = None
    if families is not None:
        bases = {name: families.get(name, 0) for name in districts}
        bases[COUNTY] = sum(bases.values())  # a family lives in one district
    return Row(label, {k: f"{v:.2f}" for k, v in values.items()}, bases, additive=True)


def _in(period: Period, path: str) -> Q:
    return Q(**{f"{path}__gte": period.start_at, f"{path}__lt": period.end_at})


def _in_dates(period: Period, path: str) -> Q:
    return Q(**{f"{path}__gte": period.start, f"{path}__lte": period.end})


# One query for what several KPIs count (the period's plans, contacts, referrals received, supported families):
# within ``shared_queries()`` (``figures.computed_figures``) each is read once and the KPIs take their rows from it.
_SHARED: ContextVar[dict | None] = ContextVar("reporting_shared_queries", default=None)


@contextmanager
def shared_queries() -> Iterator[None]:
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _once(name: str, period: Period, compute: Callable[[], list[dict]]) -> list[dict]:
    """``compute()``, run once per period inside ``shared_queries()`` (every time outside it)."""
    memo = _SHARED.get()
    if memo is None:
        return compute()
    key = (name, period.start, period.end)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _tally(rows: list[dict], value_key: str, *, where=None, by: str | None = None) -> dict:
    """Sums of ``value_key`` over grouped rows (each with a ``district``): by district, or with ``by``, by that
    column then by district; ``where`` picks the rows."""
    table: dict = {}
    for row in rows:
        if where is not None and not where(row):
            continue
        cell = table.setdefault(row[by], {}) if by else table
        cell[row["district"]] = cell.get(row["district"], 0) + row[value_key]
    return table


# What "supported in the quarter" means wherever a definition uses it (DESIGN §4).
SUPPORTED = "a plan of theirs approved to start before the quarter ended and not closed before it began: the same plan"


def _plan_active_in(period: Period, family: OuterRef) -> Exists:
    """The family (``family``, from the outer query) had a plan active at some moment in the period: the *same*
    plan activated before the period's end and not closed before its start (one subquery, so two plans cannot
    each meet one half)."""
    return Exists(
        SupportPlan.objects.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gte=period.start_at),
            family=family,
            activated_at__lt=period.end_at,
        )
    )


def _supported_families(period: Period) -> QuerySet[Family]:
    """Families with a plan active at some moment in the period (``_plan_active_in``)."""
    return Family.objects.filter(_plan_active_in(period, OuterRef("pk")))


def _period_plans(period: Period) -> list[dict]:
    """One pass over the plans the period's plan figures count (open at its end, started in it, closed in it),
    by district, kind and closure reason: for ``open_plans``, ``new_and_closed_plans``, ``closures_by_reason``
    and the plans closed as stepped up."""
    open_at_end = Q(activated_at__lt=period.end_at) & (Q(closed_at__isnull=True) | Q(closed_at__gte=period.end_at))
    started, closed = _in(period, "activated_at"), _in(period, "closed_at")

    def compute():
        rows = (
            SupportPlan.objects.filter(open_at_end | started | closed)
            .values("family__district__name", "kind", "closure_reason")
            .annotate(
                open_at_end=Count("pk", filter=open_at_end),
                started=Count("pk", filter=started),
                closed=Count("pk", filter=closed),
            )
            .order_by()
        )
        return [{**row, "district": row["family__district__name"]} for row in rows]

    return _once("plans", period, compute)


def _period_contacts(period: Period) -> list[dict]:
    """Contacts that took place in the period (not recorded in error), by district and mode: one pass for
    ``contacts_by_mode`` and ``outreach_share``."""

    def compute():
        rows = (
            Contact.objects.filter(_in(period, "occurred_at"), in_error_at__isnull=True)
            .values("family__district__name", "mode")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [{**row, "district": row["family__district__name"]} for row in rows]

    return _once("contacts", period, compute)


def _period_referrals(period: Period) -> list[dict]:
    """Referrals received in the period by district and source, with how many are re-referrals
    (``_rereferral``): one pass for ``referrals_by_source`` and ``step_ups_and_downs``."""

    def compute():
        rows = (
            Referral.objects.filter(_in(period, "received_at"))
            .values("district__name", "source")
            .annotate(n=Count("pk"), rereferrals=Count("pk", filter=_rereferral(period)))
            .order_by()
        )
        return [{**row, "district": row["district__name"]} for row in rows]

    return _once("referrals", period, compute)


# Outputs and timescales (monthly, and quarterly for the quarter) ---------------------------------


@kpi(
    code="referrals_by_source",
    over_time="sum",
    headline_total=True,
    title="Referrals received by source",
    section="outputs",
    unit="count",
    definition="""Referrals received in the period, by who referred and by the district of the family's
    address. Each source maps to a Children in Need census referral-source code.""",
)
def referrals_by_source(period, districts):
    table = _tally(_period_referrals(period), "n", by="source")
    return [_count_row(text, table.get(value, {}), districts) for value, text in Source.choices]


@kpi(
    code="triage_decisions",
    over_time="sum",
    headline_total=True,
    title="Triage decisions",
    section="outputs",
    unit="count",
    definition="""Decisions recorded on referrals in the period, by decision, by the referral's district.""",
)
def triage_decisions(period, districts):
    decisions = TriageDecision.objects.filter(_in(period, "decided_at"))
    return _count_rows(
        decisions,
        "referral__district__name",
        districts,
        label_path="decision",
        labels=TriageDecision.Decision.choices,
    )


# DESIGN §4: timescales are measured on the cohort that fell due in the period, as it stood on its due
# date. Every condition below is read from records dated on or before the due date (in local time), so a
# referral not yet due belongs to a later period and nothing done later changes a past period's figure.
CLOSING_DECISIONS = [d for d in TriageDecision.Decision if d != TriageDecision.Decision.ACCEPT]


def _decided_by(due_field: str, decisions=None) -> Exists:
    """The referral had a triage decision (one of ``decisions``) recorded by the end of its due day."""
    decided = TriageDecision.objects.filter(referral=OuterRef("pk"), decided_at__date__lte=OuterRef(due_field))
    if decisions is not None:
        decided = decided.filter(decision__in=decisions)
    return Exists(decided)


def _contacted_by_first_contact_due() -> Exists:
    """A visit, call or video with the referral's family after it was received, by the end of the due day."""
    return Exists(
        Contact.objects.filter(
            family=OuterRef("family"),
            in_error_at__isnull=True,
            occurred_at__gte=OuterRef("received_at"),
            occurred_at__date__lte=OuterRef("first_contact_due"),
        ).exclude(mode=Contact.Mode.MESSAGE)
    )


@kpi(
    code="triaged_within_timescale",
    title="Referrals triaged within 3 working days",
    section="outputs",
    unit="percent",
    definition="""Of the referrals whose triage fell due in the period (3 working days after receipt, England
    and Wales bank holidays excluded), the share whose first triage decision was recorded by the end of the
    due day (UK time). A referral not yet due at the period's end belongs to a later period; a decision made
    after the due day never changes the figure.""",
)
def triaged_within_timescale(period, districts):
    grouped = _by_district(
        Referral.objects.filter(_in_dates(period, "triage_due")),
        "district__name",
        total=Count("pk"),
        on_time=Count("pk", filter=Q(_decided_by("triage_due"))),
    )
    return [
        _percent_row(
            "Triaged on time",
            {k: v["on_time"] for k, v in grouped.items()},
            {k: v["total"] for k, v in grouped.items()},
            districts,
        )
    ]


@kpi(
    code="first_contact_within_timescale",
    title="First contact within 10 working days of referral",
    section="outputs",
    unit="percent",
    definition="""Of the referrals whose first contact fell due in the period (10 working days after receipt,
    bank holidays excluded) and that were not closed at triage by the end of the due day (signposted, no
    further action, duplicate, withdrawn or stepped up), the share whose family had a first contact after the
    referral (a visit, call or video; not a text message or email) by the end of the due day (UK time). A
    referral not yet due at the period's end belongs to a later period; a decision made after the due day never
    changes the figure.""",
)
def first_contact_within_timescale(period, districts):
    due = Referral.objects.filter(_in_dates(period, "first_contact_due")).exclude(
        _decided_by("first_contact_due", CLOSING_DECISIONS)
    )
    grouped = _by_district(
        due,
        "district__name",
        total=Count("pk"),
        on_time=Count("pk", filter=Q(_contacted_by_first_contact_due())),
    )
    return [
        _percent_row(
            "First contact on time",
            {k: v["on_time"] for k, v in grouped.items()},
            {k: v["total"] for k, v in grouped.items()},
            districts,
        )
    ]


@kpi(
    code="open_plans",
    over_time="last",
    title="Open plans at the end of the period",
    section="outputs",
    unit="count",
    definition="""Support plans active at the last moment of the period (approved to start on or before
    it, not closed by then), by kind, by the family's district.""",
)
def open_plans(period, districts):
    table = _tally(_period_plans(period), "open_at_end", by="kind")
    return [_count_row(text, table.get(value, {}), districts) for value, text in SupportPlan.Kind.choices]


@kpi(
    code="new_and_closed_plans",
    over_time="sum",
    title="Plans started and closed",
    section="outputs",
    unit="count",
    definition="""Plans approved to start in the period, and plans whose closure was approved in the period,
    by the family's district.""",
)
def new_and_closed_plans(period, districts):
    plans = _period_plans(period)
    return [
        _count_row("Started", _tally(plans, "started"), districts),
        _count_row("Closed", _tally(plans, "closed"), districts),
    ]


@kpi(
    code="contacts_by_mode",
    over_time="sum",
    headline_total=True,
    title="Contacts by mode",
    section="outputs",
    unit="count",
    definition="""Contacts with families recorded as taking place in the period, by how they happened, by the
    family's district.""",
)
def contacts_by_mode(period, districts):
    table = _tally(_period_contacts(period), "n", by="mode")
    return [_count_row(text, table.get(value, {}), districts) for value, text in Contact.Mode.choices]


@kpi(
    code="outreach_share",
    title="Face-to-face contacts in homes and community venues",
    section="outputs",
    unit="percent",
    definition="""Of the face-to-face contacts in the period (home visits, community venues and bases), the
    share that took place in families' homes or community venues rather than at a base: the outreach share.""",
)
def outreach_share(period, districts):
    contacts = _period_contacts(period)
    face_to_face = _tally(contacts, "n", where=lambda row: row["mode"] in Contact.FACE_TO_FACE)
    outreach = _tally(
        contacts, "n", where=lambda row: row["mode"] in Contact.FACE_TO_FACE and row["mode"] != Contact.Mode.BASE
    )
    return [_percent_row("In homes and community venues", outreach, face_to_face, districts)]


def _sessions_table(period, districts):
    table: dict = {}
    breakdown = _once(
        "sessions", period, lambda: group_selectors.sessions_delivered_breakdown(start=period.start, end=period.end)
    )
    for row in breakdown:
        cell = table.setdefault(row["district"], {"targeted": 0, "universal": 0, "base": 0, "outreach": 0})
        cell[row["offer"]] += row["sessions"]
        cell[row["place"]] += row["sessions"]
    return table


def _district_baselines(districts, attribute, county_value, label):
    values = dict(District.objects.filter(name__in=districts).values_list("name", attribute))
    values[COUNTY] = county_value
    return [Row(label, values)]


@kpi(
    code="sessions_by_offer",
    over_time="sum",
    headline_total=True,
    title="Group sessions delivered: targeted and universal",
    section="outputs",
    unit="count",
    definition="""Group sessions delivered in the period (not cancelled, register taken), by offer: targeted
    (by referral or targeted open access) or universal, by the district of the venue where they ran. The share
    targeted is compared with the 2018 baseline (35% targeted, 65% universal across the county).""",
    baseline=lambda districts: _district_baselines(
        districts, "targeted_group_sessions_pct_2018", COUNTY_TARGETED_BASELINE_2018, "2018 baseline: % targeted"
    ),
)
def sessions_by_offer(period, districts):
    table = _sessions_table(period, districts)
    targeted = {d: v["targeted"] for d, v in table.items()}
    total = {d: v["targeted"] + v["universal"] for d, v in table.items()}
    return [
        _count_row("Targeted", targeted, districts),
        _count_row("Universal", {d: v["universal"] for d, v in table.items()}, districts),
        _percent_row("% targeted", targeted, total, districts, ("Targeted",), ("Targeted", "Universal")),
    ]


@kpi(
    code="sessions_by_place",
    over_time="sum",
    headline_total=True,
    title="Group sessions delivered: bases and outreach venues",
    section="outputs",
    unit="count",
    definition="""Group sessions delivered in the period by where they ran: at one of the 15 bases, or at an
    outreach venue in the community. The share at bases is compared with the 2018 baseline (80% of sessions ran
    onsite in children's centres).""",
    baseline=lambda districts: _district_baselines(
        districts, "onsite_group_sessions_pct_2018", COUNTY_ONSITE_BASELINE_2018, "2018 baseline: % onsite"
    ),
)
def sessions_by_place(period, districts):
    table = _sessions_table(period, districts)
    bases = {d: v["base"] for d, v in table.items()}
    total = {d: v["base"] + v["outreach"] for d, v in table.items()}
    return [
        _count_row("At bases", bases, districts),
        _count_row("At outreach venues", {d: v["outreach"] for d, v in table.items()}, districts),
        _percent_row("% at bases", bases, total, districts, ("At bases",), ("At bases", "At outreach venues")),
    ]


@kpi(
    code="attendances",
    over_time="sum",
    title="Attendances and families attending groups",
    section="outputs",
    unit="count",
    definition="""Attendances at group sessions delivered in the period (enrolled people marked present plus
    walk-in adults and children counted), and the number of different families attending, by the district of
    the venue. The county figure for families counts each family once.""",
)
def attendances(period, districts):
    rows = {r["district"]: r for r in group_selectors.attendance_summary(start=period.start, end=period.end)}
    attended = _count_row("Attendances", {d: r["attendances"] for d, r in rows.items()}, districts)
    families = _count_row("Families attending", {d: r["unique_families"] for d, r in rows.items()}, districts)
    families.values[COUNTY] = group_selectors.unique_families_attending(start=period.start, end=period.end)
    families.additive = False  # a family attending in two districts counts once in the county
    return [attended, families]


# The caseload: what "Caseload per worker" counts, shared with the workforce section's caseload spread.
def allocations_open_at_end(period: Period) -> QuerySet[Allocation]:
    """Allocations (lead or co-worker) open at the period's last moment: families still in support."""
    return Allocation.objects.filter(started_at__lt=period.end_at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=period.end_at)
    )


def caseload_workers() -> QuerySet[StaffProfile]:
    """The workers a caseload is shared among: active staff holding the family support worker role."""
    return StaffProfile.objects.filter(user__is_active=True, user__groups__name=group_name(Role.WORKER))


@kpi(
    code="caseload_per_worker",
    title="Caseload per worker at the end of the period",
    section="outputs",
    unit="mean",
    definition="""Allocations of families in support to a worker (as lead or co-worker: a family with two
    workers counts once for each) open at the last moment of the period, by the district of the worker's team,
    divided by the number of active staff of the district's teams who hold the family support worker role (a team
    manager who also holds it included). Allocations end when a family's support ends (its last plan closed, or
    its accepted referral closed before a plan).""",
)
def caseload_per_worker(period, districts):
    allocations = {
        k: v["n"]
        for k, v in _by_district(
            allocations_open_at_end(period), "worker__staff_profile__team__base__district__name", n=Count("pk")
        ).items()
    }
    workers = {
        k: v["n"]
        for k, v in _by_district(caseload_workers(), "team__base__district__name", n=Count("pk", distinct=True)).items()
    }
    values, bases = {}, {}
    for name in [*districts, COUNTY]:
        if name == COUNTY:
            families, staff = sum(allocations.get(d, 0) for d in districts), sum(workers.get(d, 0) for d in districts)
        else:
            families, staff = allocations.get(name, 0), workers.get(name, 0)
        values[name] = _mean(families, staff, "0.01")
        bases[name] = staff
    return [Row("Families per worker", values, bases)]


@kpi(
    code="fund_payments_by_category",
    over_time="sum",
    headline_total=True,
    title="Family support fund payments by category",
    section="outputs",
    unit="money",
    definition="""Money approved from the family support fund in the period (approved or paid, not cancelled),
    by category, by the family's district.""",
)
def fund_payments_by_category(period, districts):
    holding = Application.objects.filter(_in(period, "approved_at"), status__in=Application.HOLDS_MONEY)
    grouped = (
        holding.values("family__district__name", "category")
        .annotate(total=Sum("amount"), families=Count("family", distinct=True))
        .order_by()
    )
    table: dict = {}
    paid_to: dict = {}
    for row in grouped:
        table.setdefault(row["category"], {})[row["family__district__name"]] = row["total"]
        paid_to.setdefault(row["category"], {})[row["family__district__name"]] = row["families"]
    return [
        _money_row(text, table.get(value, {}), districts, paid_to.get(value, {}))
        for value, text in Application.Category.choices
    ]


# Outcomes by impact (quarterly) ------------------------------------------------------------------


def _valid_scores(stage: str) -> Exists:
    """The plan has scores at ``stage`` that are not marked recorded in error: a plan whose start or closing
    scores were taken out cannot show a change, so it leaves the outcome figures."""
    return Exists(OutcomeAssessment.objects.filter(plan=OuterRef("pk"), stage=stage, in_error_at__isnull=True))


def _closed_plan_scores(period: Period) -> list[dict]:
    """Each plan closed in the period with start and closing scores, and for each impact it has goals in: the
    goals, and the start and closing scores added up (``start`` and ``close``, 0 where none were recorded). One
    pass over the period's closed plans, their goals and their scores for the three impacts' KPIs, instead of
    one query per impact that sums each plan's scores in five subqueries."""
    from families.models import Goal

    def compute():
        closed = SupportPlan.objects.filter(
            _in(period, "closed_at"),
            _valid_scores(OutcomeAssessment.Stage.START),
            _valid_scores(OutcomeAssessment.Stage.CLOSE),
        )
        # The ids, not a subquery: a few thousand, each found by its index in the goals and scores below.
        district = dict(closed.values_list("pk", "family__district__name"))
        plans: dict = {}
        goals = (
            Goal.objects.filter(plan__in=list(district))
            .values("plan", "determinant__impact")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in goals:
            key = (row["plan"], row["determinant__impact"])
            plans[key] = {
                "district": district[row["plan"]],
                "impact": key[1],
                "goals": row["n"],
                "start": 0,
                "close": 0,
            }
        stages = (OutcomeAssessment.Stage.START, OutcomeAssessment.Stage.CLOSE)
        assessments = {
            pk: (plan, stage)
            for pk, plan, stage in OutcomeAssessment.objects.filter(
                plan__in=list(district), stage__in=stages, in_error_at__isnull=True
            ).values_list("pk", "plan", "stage")
        }
        scores = (
            OutcomeScore.objects.filter(assessment__in=list(assessments))
            .values("assessment", "determinant__impact")
            .annotate(total=Sum("score"))
            .order_by()
        )
        for row in scores:
            plan_id, stage = assessments[row["assessment"]]
            plan = plans.get((plan_id, row["determinant__impact"]))
            if plan is not None:
                plan[stage] += row["total"] or 0
        return list(plans.values())

    return _once("closed plan scores", period, compute)


def _improvement_by_district(period: Period, impact: int) -> dict:
    """The plans closed in the period with goals in ``impact``, by district: how many, how many improved (closing
    scores for the impact's determinants adding up to more than the start scores), the change in those scores
    and the number of goals (determinants) it is spread over."""
    grouped: dict = {}
    for plan in _closed_plan_scores(period):
        if plan["impact"] != impact:
            continue
        row = grouped.setdefault(plan["district"], {"plans": 0, "improved": 0, "change": 0, "scores": 0})
        row["plans"] += 1
        row["improved"] += plan["close"] > plan["start"]
        row["change"] += plan["close"] - plan["start"]
        row["scores"] += plan["goals"]
    return grouped


def _improvement_kpi(impact: int):
    def compute(period, districts):
        grouped = _improvement_by_district(period, impact)
        improved = _percent_row(
            "Plans with improved scores",
            {k: v["improved"] for k, v in grouped.items()},
            {k: v["plans"] for k, v in grouped.items()},
            districts,
        )
        means, bases = {}, {}
        for name in [*districts, COUNTY]:
            rows = list(grouped.values()) if name == COUNTY else [grouped[name]] if name in grouped else []
            change = sum(r["change"] or 0 for r in rows)
            scores = sum(r["scores"] or 0 for r in rows)
            means[name] = _mean(change, scores, "0.1")
            bases[name] = sum(r["plans"] for r in rows)
        return [improved, Row("Mean change in score per need", means, bases, unit="points")]

    return compute


for _impact in Impact:
    kpi(
        code=f"impact{_impact.value}_improvement",
        title="Plans closed with improved scores",
        section=f"impact{_impact.value}",
        unit="percent",
        returns=(QUARTERLY,),
        definition=f"""Of the plans closed in the quarter with goals for this impact's determinants, the share
        whose closing scores for those determinants add up to more than their start scores (1 to 10 each);
        and the mean change in score per determinant (closing minus start). Scores as corrected; scores
        marked recorded in error are left out, and with them a plan left without start or closing scores.
        Impact {_impact.value}: {_impact.label}.""",
    )(_improvement_kpi(_impact.value))


@kpi(
    code="early_education_takeup",
    title="Funded early education take-up among children in supported families",
    section="impact1",
    unit="percent",
    returns=(QUARTERLY,),
    definition=f"""Children aged 2, 3 and 4 at the end of the quarter in families supported during it
    ({SUPPORTED}), who are eligible for funded early education (at 2, recorded as eligible; at 3 and 4, every
    child), and the share of them recorded as having started it by the end of the quarter. Both facts are recorded
    on each child, and only there: eligible for a funded 2-year-old place, and taking up a funded place since a
    date (the child's early education on the family record, the API or the import file's child columns).""",
)
def early_education_takeup(period, districts):
    ages = (2, 3, 4)

    def aged(age: int) -> Q:
        born_after, born_by = period.end - relativedelta(years=age + 1), period.end - relativedelta(years=age)
        return Q(date_of_birth__gt=born_after, date_of_birth__lte=born_by)

    eligible = {age: aged(age) & Q(funded_education_eligible=True) if age == 2 else aged(age) for age in ages}
    taking_up = Q(funded_education_started_on__lte=period.end)
    aggregates = {}
    for age in ages:
        aggregates[f"eligible_{age}"] = Count("pk", filter=eligible[age])
        aggregates[f"taking_up_{age}"] = Count("pk", filter=eligible[age] & taking_up)
    children = Person.objects.filter(
        _plan_active_in(period, OuterRef("family")),
        kind=Person.Kind.CHILD,
        date_of_birth__gt=period.end - relativedelta(years=max(ages) + 1),
        date_of_birth__lte=period.end - relativedelta(years=min(ages)),
    )
    grouped = _by_district(children, "family__district__name", **aggregates)
    return [
        _percent_row(
            f"Aged {age}",
            {k: v[f"taking_up_{age}"] for k, v in grouped.items()},
            {k: v[f"eligible_{age}"] for k, v in grouped.items()},
            districts,
        )
        for age in ages
    ]


@kpi(
    code="closures_by_reason",
    headline_total=True,
    title="Plans closed by reason",
    section="impact2",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Plans whose closure was approved in the quarter, by reason, by the family's district.""",
)
def closures_by_reason(period, districts):
    table = _tally(_period_plans(period), "closed", by="closure_reason")
    return [_count_row(text, table.get(value, {}), districts) for value, text in SupportPlan.ClosureReason.choices]


def _stepped_up_at_triage(period: Period, reason: str) -> QuerySet[Referral]:
    """Referrals given a step-up decision in the period to ``reason``'s destination (each referral once)."""
    step_up = TriageDecision.objects.filter(
        _in(period, "decided_at"), referral=OuterRef("pk"), decision=TriageDecision.Decision.STEP_UP, reason=reason
    )
    return Referral.objects.filter(Exists(step_up))


def _rereferral(period: Period) -> Q:
    """A referral (received in the period) for a family whose support ended in the 12 months before, whatever
    the decision: the family is recorded at the referral's first decision (with the moment its support last
    ended), so only referrals decided by the period's end are known to be re-referrals in it."""
    return Q(previous_closure_at__isnull=False, triaged_at__lt=period.end_at)


@kpi(
    code="step_ups_and_downs",
    title="Step-ups, step-downs and re-referrals",
    section="impact2",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Step-ups, in three rows that never count a referral or plan twice: referrals stepped up at
    triage to children's social care, referrals stepped up at triage to Family Focus (the step-up decision
    recorded in the quarter, by its reason), and plans whose closure as stepped up was approved in the quarter.
    Step-downs received: referrals received in the quarter from social care or Family Focus. Re-referrals:
    every referral received in the quarter for a family whose support ended (the family closed, or an accepted
    referral closed) in the 12 months before it, whatever the triage decision; the family is recorded at the
    first triage decision, so a referral counts once that decision was made by the end of the quarter.""",
)
def step_ups_and_downs(period, districts):
    Reason = TriageDecision.Reason
    to_social_care = _count_rows(_stepped_up_at_triage(period, Reason.SOCIAL_CARE), "district__name", districts)[0]
    to_family_focus = _count_rows(_stepped_up_at_triage(period, Reason.FAMILY_FOCUS), "district__name", districts)[0]
    stepped_up = _tally(
        _period_plans(period), "closed", where=lambda row: row["closure_reason"] == SupportPlan.ClosureReason.STEPPED_UP
    )
    received = _period_referrals(period)
    step_downs = _tally(received, "n", where=lambda row: row["source"] == Source.SOCIAL_CARE)
    to_social_care.label = "Stepped up at triage to children's social care"
    to_family_focus.label = "Stepped up at triage to Family Focus"
    return [
        to_social_care,
        to_family_focus,
        _count_row("Plans closed as stepped up", stepped_up, districts),
        _count_row("Step-downs received", step_downs, districts),
        _count_row("Re-referrals within 12 months", _tally(received, "rereferrals"), districts),
    ]


@kpi(
    code="sustained_progress",
    title="Needs-met closures with progress sustained at six months",
    section="impact2",
    unit="percent",
    returns=(QUARTERLY,),
    definition="""Of the six-month follow-ups of plans closed with needs met that were recorded in the quarter,
    the share where the family's progress was sustained (follow-ups marked recorded in error left out).""",
)
def sustained_progress(period, districts):
    grouped = _by_district(
        FollowUp.objects.filter(_in(period, "recorded_at"), in_error_at__isnull=True),
        "plan__family__district__name",
        total=Count("pk"),
        sustained=Count("pk", filter=Q(sustained=True)),
    )
    return [
        _percent_row(
            "Progress sustained",
            {k: v["sustained"] for k, v in grouped.items()},
            {k: v["total"] for k, v in grouped.items()},
            districts,
        )
    ]


@kpi(
    code="parents_into_work_or_learning",
    headline_total=True,
    title="Parents entering work, training, education or volunteering",
    section="impact3",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Parents and carers in supported families recorded as starting work, training, education or
    volunteering in the quarter, by the family's district.""",
)
def parents_into_work_or_learning(period, districts):
    progress = ParentProgress.objects.filter(_in_dates(period, "started_on"))
    return _count_rows(
        progress, "person__family__district__name", districts, label_path="kind", labels=ParentProgress.Kind.choices
    )


@kpi(
    code="targeted_course_outcomes",
    title="Targeted group courses: completion and parents' ratings",
    section="groups",
    unit="percent",
    returns=(QUARTERLY,),
    definition="""For targeted courses whose last session fell in the quarter: the share of people enrolled who
    completed (attended at least two thirds of the sessions held), and the mean change from the pre-course to the
    post-course self-rating (1 to 10) of confidence in parenting and of wellbeing, over parents rated at both.""",
)
def targeted_course_outcomes(period, districts):
    rows = {r["district"]: r for r in group_selectors.targeted_course_outcomes(start=period.start, end=period.end)}
    completion = _percent_row(
        "Completed",
        {d: r["completed"] for d, r in rows.items()},
        {d: r["enrolled"] for d, r in rows.items()},
        districts,
    )
    result = [completion]
    for key, label in (
        ("mean_confidence_change", "Mean change in confidence"),
        ("mean_wellbeing_change", "Mean change in wellbeing"),
    ):
        values, bases = {}, {}
        weighted, measured = Decimal(0), 0
        for name in districts:
            row = rows.get(name)
            value = row.get(key) if row else None
            values[name] = float(value) if value is not None else None
            bases[name] = row["measured_parents"] if row else 0
            if value is not None:
                weighted += Decimal(str(value)) * row["measured_parents"]
                measured += row["measured_parents"]
        # Each district's mean times its parents gives back the whole points it was worked out from (ratings are 1
        # to 10), so the county's mean is their sum over its parents, rounded once to what is published.
        values[COUNTY] = _mean(weighted.quantize(Decimal(1)), measured, "0.1")
        bases[COUNTY] = measured
        result.append(Row(label, values, bases, unit="points"))
    return result


@kpi(
    code="reach_high_need",
    title="Supported families living in the localities of highest need",
    section="reach",
    unit="percent",
    returns=(QUARTERLY,),
    definition=f"""Of the families supported in the quarter ({SUPPORTED}), each once, the share living
    in the {HIGH_NEED_LOCALITIES} market towns with the highest Children's Need Index (the family's town as its
    record stood at the quarter's end), by the family's district.""",
)
def reach_high_need(period, districts):
    supported = _period_supported(period)
    return [
        _percent_row("In the highest-need localities", _tally(supported, "high"), _tally(supported, "total"), districts)
    ]


EQUALITY_GROUPS = (
    ("Gypsy, Roma and Traveller", Q(ethnicity__in=[Ethnicity.GYPSY_IRISH_TRAVELLER, Ethnicity.ROMA])),
    (
        "Black, Asian, Mixed and other ethnic groups",
        ~Q(ethnicity__startswith="white")
        & ~Q(ethnicity__in=[Ethnicity.NOT_STATED, Ethnicity.GYPSY_IRISH_TRAVELLER, Ethnicity.ROMA]),
    ),
    ("White other than British (not GRT)", Q(ethnicity__in=[Ethnicity.WHITE_IRISH, Ethnicity.WHITE_OTHER])),
    ("English as an additional language", Q(english_additional_language=True)),
    ("Disability or SEND in the household", Q(disability_in_household=True) | Q(send_in_household=True)),
    ("Lone parent", Q(lone_parent=True)),
    ("Teenage parent", Q(teenage_parent=True)),
)


@kpi(
    code="equality_monitoring",
    title="Equality monitoring of supported families",
    section="reach",
    unit="count",
    returns=(QUARTERLY,),
    definition=f"""Families supported in the quarter ({SUPPORTED}), each once, in total and by characteristic:
    ethnicity of the main carer (ONS 2021 categories, Gypsy, Roma and Traveller families shown separately; "not
    stated" in no group), English as an additional language, disability or special educational needs in the
    household, lone and teenage parents; by the family's district. The characteristics are those recorded on the
    family's record at the quarter's end: one recorded later does not change the figure.""",
)
def equality_monitoring(period, districts):
    supported = _period_supported(period)
    rows = [_count_row("Families supported", _tally(supported, "total"), districts)]
    for i, (label, _) in enumerate(EQUALITY_GROUPS):
        rows.append(_count_row(label, _tally(supported, f"g{i}"), districts))
    return rows


def _period_supported(period: Period) -> list[dict]:
    """The families supported in the period by district: in all, in the highest-need localities, and in each
    equality group (``g0``…): one pass for ``reach_high_need`` and ``equality_monitoring``."""
    high_need = Locality.objects.filter(is_other=False).order_by("-need_index").values("pk")[:HIGH_NEED_LOCALITIES]
    aggregates = {"total": Count("pk"), "high": Count("pk", filter=Q(locality__in=Subquery(high_need)))}
    aggregates.update({f"g{i}": Count("pk", filter=q) for i, (_, q) in enumerate(EQUALITY_GROUPS)})

    def compute():
        supported = _supported_families(period)
        # Each family as its record stood at the quarter's last moment (its last saved version before then), so a
        # characteristic recorded later (an ethnicity no longer "not stated", a lone parent) leaves the past
        # figure alone; counted in the family's district like every other figure.
        versions = Family.history.model.objects
        at_end = versions.filter(id=OuterRef("id"), history_date__lt=period.end_at).order_by(
            "-history_date", "-history_id"
        )
        as_at_end = (
            versions.filter(id__in=supported.values("pk"), history_id=Subquery(at_end.values("history_id")[:1]))
            .annotate(district_name=Subquery(Family.objects.filter(pk=OuterRef("id")).values("district__name")[:1]))
            .values("district_name")
            .annotate(**aggregates)
            .order_by()
        )
        # A family with no saved version before then (written in bulk) is read as it stands.
        unversioned = (
            supported.exclude(pk__in=versions.filter(history_date__lt=period.end_at).values("id"))
            .annotate(district_name=F("district__name"))
            .values("district_name")
            .annotate(**aggregates)
            .order_by()
        )
        merged: dict[str, dict] = {}
        for row in [*as_at_end, *unversioned]:
            cell = merged.setdefault(row["district_name"], dict.fromkeys(aggregates, 0))
            for key in aggregates:
                cell[key] += row[key]
        return [{**cell, "district": district} for district, cell in merged.items()]

    return _once("supported", period, compute)


@kpi(
    code="fund_spend_against_budget",
    title="Family support fund: spend against budget",
    section="fund",
    unit="money",
    returns=(QUARTERLY,),
    definition="""The financial year's budget from each source, and the money committed to families (approved
    or paid) from the start of the financial year to the end of the quarter, by source; and the quarter's
    spend by category (see outputs) and by district.""",
)
def fund_spend_against_budget(period, districts):
    year = financial_year_of(period.start)
    budgets = (
        Budget.objects.filter(financial_year=year)
        .values("source__name")
        .annotate(total=Sum("total_amount"))
        .order_by("source__priority")
    )
    spent = Application.objects.filter(
        budget__financial_year=year, status__in=Application.HOLDS_MONEY, approved_at__lt=period.end_at
    )
    rows = []
    for budget in budgets:
        source = budget["source__name"]
        grouped = _by_district(
            spent.filter(budget__source__name=source),
            "family__district__name",
            s=Sum("amount"),
            families=Count("family", distinct=True),
        )
        row = _money_row(
            f"{source}: spent this year",
            {k: v["s"] for k, v in grouped.items()},
            districts,
            {k: v["families"] for k, v in grouped.items()},
        )
        # The spend first: it is what the summaries and the trend lead with (the budget stays the same all year).
        rows.append(row)
        rows.append(Row(f"{source}: budget", {**dict.fromkeys(districts), COUNTY: f"{budget['total']:.2f}"}))
    return rows


@kpi(
    code="contract_budget",
    title="Contract budget: spend by line against the indicative split",
    section="budget",
    unit="percent",
    layout="county",
    returns=(QUARTERLY,),
    definition="""Each budget line's share of the provider's actual spend from the start of the financial year to
    the end of the quarter (entered by the service admin), beside the indicative split of the contract: front-line
    delivery at least 60%, management and administration about 20%. County only.""",
)
def contract_budget(period, districts):
    year = financial_year_of(period.start)
    quarter = int(period.label.split("-Q")[1]) if "-Q" in period.label else 4
    actuals = {
        row["line__name"]: row["total"]
        for row in BudgetActual.objects.filter(financial_year=year, quarter__lte=quarter)
        .values("line__name")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    grand = sum(actuals.values(), Decimal(0))
    rows = []
    for line in ContractBudgetLine.objects.order_by("position"):
        share = _percent(actuals.get(line.name, Decimal(0)), grand)
        values = dict.fromkeys(districts)
        values[COUNTY] = share
        rows.append(Row(f"{line.name} (indicative {line.ecfs_indicative_pct}%)", values, {COUNTY: 5 if grand else 0}))
    return rows


# Networks of support (#19: connections to community groups, community grants) are in their own module: importing it
# registers them, after everything here they build on.
# One name per line, sorted: each topic's module of figures (#19, #20).
from . import (  # noqa: E402, F401
    community_figures,
    partnership_figures,  # #20 item 8: partnership working (TAF meetings, agencies, onward referrals)
    reach_figures,  # #19 item 3: children under 5 known against the population
    voice_figures,  # #20 items 7 and 8: families' voice, digital reach
    workforce_figures,  # #20 item 6: workforce
)
