"""The return's workforce section, worked out by hand on a small world (quarter 3 2026/27, ending 31 December
2026), and small numbers protected for commissioners."""

from datetime import date

import pytest
import time_machine

from ecfs.roles import Role
from reporting.figures import compute_figures
from reporting.kpis import COUNTY
from reporting.periods import parse_period
from reporting.workforce_figures import (
    workforce_caseload_spread,
    workforce_dbs,
    workforce_in_post,
    workforce_supervision,
    workforce_training,
    workforce_vacancies,
)
from tests.factories import staff_member
from tests.referrals.factories import allocated_referral
from workforce.rules import Course

from .factories import all_training, dbs, supervision, training, vacancy

pytestmark = pytest.mark.django_db

Q3 = parse_period("2026-Q3")  # October to December 2026


def row(rows, label):
    return next(r for r in rows if r.label == label)


@pytest.fixture
def world(cast):
    """Team A (district A): the worker, the colleague, their manager. Team B (district B): the other worker and
    the other manager. Not in post: a deactivated worker, and a worker in no team."""
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert a != b, "the cast's two teams must be in different districts for these sums"
    gone = staff_member(role=Role.WORKER, team=cast.team, email="gone@example.org")
    gone.is_active = False
    gone.save()
    staff_member(role=Role.WORKER, team=None, email="floating@example.org")
    return a, b


def test_staff_in_post_by_district_and_role(cast, world):
    a, b = world
    rows = workforce_in_post(Q3, [a, b])
    workers, managers = row(rows, "Family support worker"), row(rows, "Team manager")
    assert (workers.values[a], workers.values[b], workers.values[COUNTY]) == (2, 1, 3)
    assert (managers.values[a], managers.values[b], managers.values[COUNTY]) == (1, 1, 2)


def test_vacancies_open_at_the_quarter_end(cast, world):
    a, b = world
    district_a, district_b = cast.team.base.district, cast.other_team.base.district
    vacancy(district=district_a, open_since=date(2026, 10, 1), by=cast.admin)  # open
    vacancy(district=district_a, open_since=date(2026, 6, 1), filled_on=date(2026, 12, 31), by=cast.admin)  # filled
    vacancy(district=district_b, role="manager", open_since=date(2026, 12, 31), by=cast.admin)  # open on the day
    vacancy(district=district_b, open_since=date(2027, 1, 5), by=cast.admin)  # not yet open
    vacancy(district=district_a, open_since=date(2026, 1, 1), filled_on=date(2027, 1, 10), by=cast.admin)  # open
    rows = workforce_vacancies(Q3, [a, b])
    workers, managers = row(rows, "Family support worker"), row(rows, "Team manager")
    assert (workers.values[a], workers.values[b], workers.values[COUNTY]) == (2, 0, 2)
    assert (managers.values[a], managers.values[b], managers.values[COUNTY]) == (0, 1, 1)


def test_workers_supervised_within_six_weeks_of_the_quarter_end(cast, world):
    a, b = world
    supervision(cast.worker, date(2026, 11, 19), supervisor=cast.manager)  # exactly 42 days before: counts
    supervision(cast.colleague, date(2026, 11, 18), supervisor=cast.manager)  # 43 days: does not
    supervision(cast.other_worker, date(2026, 12, 20), supervisor=cast.other_manager)
    supervision(cast.colleague, date(2027, 1, 2), supervisor=cast.manager)  # after the quarter: does not
    share = workforce_supervision(Q3, [a, b])[0]
    assert (share.values[a], share.values[b], share.values[COUNTY]) == (50.0, 100.0, 66.7)
    assert share.bases == {a: 2, b: 1, COUNTY: 3}  # workers only: the managers are not in it


def test_mandatory_training_current_at_the_quarter_end(cast, world):
    a, b = world
    all_training(cast.worker, date(2026, 1, 10))  # data protection until 10 January 2027: all current
    training(cast.colleague, Course.SAFEGUARDING, date(2023, 12, 31))  # lapses on 31 December 2026
    training(cast.colleague, Course.DATA_PROTECTION, date(2026, 3, 1))
    training(cast.colleague, Course.DOMESTIC_ABUSE, date(2026, 3, 1))
    training(cast.other_worker, Course.SAFEGUARDING, date(2027, 1, 3))  # after the quarter: not counted
    all_training(cast.manager, date(2025, 6, 1))  # data protection lapsed 1 June 2026
    all_training(cast.other_manager, date(2026, 2, 1))
    rows = workforce_training(Q3, [a, b])
    every = row(rows, "All three courses current")
    assert (every.values[a], every.values[b], every.values[COUNTY]) == (33.3, 50.0, 40.0)
    assert every.bases == {a: 3, b: 2, COUNTY: 5}
    assert row(rows, "Safeguarding children").values[COUNTY] == 60.0
    assert row(rows, "Data protection").values[COUNTY] == 60.0
    assert row(rows, "Domestic abuse awareness").values[COUNTY] == 80.0


def test_dbs_checks_within_three_years_of_the_quarter_end(cast, world):
    a, b = world
    dbs(cast.worker, date(2024, 1, 1))  # current until 1 January 2027
    dbs(cast.colleague, date(2023, 12, 31))  # renewal due on the quarter's last day: not current
    dbs(cast.manager, date(2026, 3, 1))
    dbs(cast.other_manager, date(2027, 1, 2))  # after the quarter
    share = workforce_dbs(Q3, [a, b])[0]
    assert (share.values[a], share.values[b], share.values[COUNTY]) == (66.7, 0.0, 40.0)


def test_caseload_spread_uses_families_still_in_support(cast, world):
    a, b = world
    with time_machine.travel(date(2026, 11, 2), tick=False):
        for _ in range(3):
            allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
        allocated_referral(team=cast.team, manager=cast.manager, worker=cast.colleague)
    with time_machine.travel(date(2027, 1, 5), tick=False):  # after the quarter: not in its caseload
        allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker)
    rows = workforce_caseload_spread(Q3, [a, b])
    fewest, middle, most = row(rows, "Fewest"), row(rows, "Median"), row(rows, "Most")
    assert (fewest.values[a], middle.values[a], most.values[a]) == (1.0, 2.0, 3.0)
    assert (fewest.values[b], middle.values[b], most.values[b]) == (0.0, 0.0, 0.0)
    assert (fewest.values[COUNTY], middle.values[COUNTY], most.values[COUNTY]) == (0.0, 1.0, 3.0)
    assert middle.bases == {a: 2, b: 1, COUNTY: 3}


def test_a_commissioner_sees_small_numbers_of_staff_protected(cast, world):
    a, b = world
    # Five more workers in team A: district A has 7 workers, so its shares are shown; district B's (1) are not.
    for n in range(5):
        worker = staff_member(role=Role.WORKER, team=cast.team, email=f"more{n}@example.org")
        supervision(worker, date(2026, 12, 1), supervisor=cast.manager)
    with time_machine.travel(date(2027, 1, 4), tick=False):
        figures = compute_figures(Q3, with_trend=False)
    kpis = {k["code"]: k for s in figures["sections"] if s["code"] == "workforce" for k in s["kpis"]}
    assert set(kpis) >= {
        "workforce_in_post",
        "workforce_vacancies",
        "workforce_supervision",
        "workforce_caseload_spread",
    }
    in_post = {r["label"]: r for r in kpis["workforce_in_post"]["rows"]}
    assert in_post["Family support worker"]["display"][b] == "[c]"  # one worker
    assert in_post["Team manager"]["display"][a] == "[c]"
    # With district B's one worker hidden, district A's 7 would give it away (the county is 8): hidden too.
    assert in_post["Family support worker"]["display"][a] == "[c]"
    supervised = kpis["workforce_supervision"]["rows"][0]
    assert supervised["display"][a] == "71.4%"  # 5 of 7
    assert supervised["display"][b] == "[c]"  # a share of one worker would name them
    assert kpis["workforce_caseload_spread"]["rows"][2]["display"][b] == "[c]"
