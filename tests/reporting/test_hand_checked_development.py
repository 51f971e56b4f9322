"""The child development section worked out by hand from its published definitions, on the edges the existing
tests leave: plans starting or ending on the quarter's edges in UK time, reviews on its first and last day, and a
review recorded in error then entered again on the same day (the one in error is neither the latest nor the one
before it).

Quarter 1 of 2026/27 (April to June 2026); the reviews are recorded on 5 July. Domains in order: communication,
gross motor, fine motor, problem solving, personal-social (A above the cut-off, C close to it, B below it).

- F1 (district A): plan approved at 23:30 on 30 June: supported. Amy: 1 January all B; 30 June all A.
- F2 (A): plan closed at 23:30 on 31 March: not supported. Ben: 1 April all A (not counted).
- F3 (A): supported all quarter. Cal: 1 February all C; 1 May recorded as all B, marked in error, and entered
  again as B A A A A; 1 July all B (after the quarter). Dot: EYFS on 30 June a good level; on 1 July not.
- F4 (district B): supported. Eve: 1 April C A A A A.

By hand: with an ASQ-3 review A 2 (Amy, Cal), B 1 (Eve); two or more A 2, B 0; EYFS A 1 (Dot).
Latest: Amy all A; Cal B A A A A (1 May as entered again); Eve C A A A A. Communication at the expected level:
Amy only, A 50%, B 0%, county 33.3%; gross motor 100% everywhere. Change (latest against the review before it):
Amy up in every domain; Cal against 1 February (all C): communication down, the other four up.
EYFS good level: Dot, 100%.
"""

from datetime import date

import pytest

from development import services
from reporting import development_figures as figures
from reporting.periods import parse_period
from tests.development.test_figures import _asq, _child, _eyfs
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral
from tests.reporting.hand_checked import at, values
from tests.reporting.test_definitions import close_plan

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Q1 = parse_period("2026-Q1")
A, B, C = "above", "below", "close"


@pytest.fixture
def quarter(cast):
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert a != b, "the cast's two teams must be in different districts for these sums"

    def family(team=cast.team, plan_at=None, closed_at=None):
        manager, worker = (cast.manager, cast.worker) if team is cast.team else (cast.other_manager, cast.other_worker)
        with at(date(2025, 12, 1)):
            made = allocated_referral(team=team, manager=manager, worker=worker).family
        with plan_at or at(date(2026, 1, 5)):
            plan = active_plan(family=made, worker=worker, manager=manager)
        if closed_at:
            with closed_at:
                close_plan(cast, plan, reason="needs_met")
        return made, worker

    f1, w1 = family(plan_at=at(date(2026, 6, 30), 23, 30))
    f2, w2 = family(closed_at=at(date(2026, 3, 31), 23, 30))
    f3, w3 = family()
    f4, w4 = family(team=cast.other_team)
    with at(date(2026, 7, 5)):
        amy = _child(f1, "Amy", date(2024, 3, 1))
        _asq(amy, w1, date(2026, 1, 1), B, B, B, B, B, kind="asq")
        _asq(amy, w1, date(2026, 6, 30), A, A, A, A, A)
        _asq(_child(f2, "Ben", date(2024, 3, 1)), w2, date(2026, 4, 1), A, A, A, A, A)
        cal = _child(f3, "Cal", date(2024, 2, 1))
        _asq(cal, w3, date(2026, 2, 1), C, C, C, C, C, kind="asq")
        wrong = _asq(cal, w3, date(2026, 5, 1), B, B, B, B, B, kind="asq")
        services.development_review_mark_in_error(review=wrong, actor=w3, reason="Another child's")
        _asq(cal, w3, date(2026, 5, 1), B, A, A, A, A, kind="asq")
        _asq(cal, w3, date(2026, 7, 1), B, B, B, B, B, kind="asq")
        dot = _child(f3, "Dot", date(2021, 5, 1))
        _eyfs(dot, w3, date(2026, 6, 30), True)
        _eyfs(dot, w3, date(2026, 7, 1), False)
        _asq(_child(f4, "Eve", date(2024, 1, 1)), w4, date(2026, 4, 1), C, A, A, A, A)
    return a, b


def test_children_with_evidence_each_once(quarter):
    a, b = quarter
    rows = figures.development_reviewed(Q1, [a, b])
    assert values(rows, figures.REVIEWED, a, b) == (2, 1, 3)
    assert values(rows, figures.TWO_REVIEWS, a, b) == (2, 0, 2)
    assert values(rows, figures.EYFS_KNOWN, a, b) == (1, 0, 1)


def test_the_latest_review_and_the_one_before_it_leave_out_a_review_in_error(quarter):
    a, b = quarter
    rows = figures.development_expected_level(Q1, [a, b])
    assert values(rows, "Communication", a, b) == (50.0, 0.0, 33.3)
    assert values(rows, "Gross motor", a, b) == (100.0, 100.0, 100.0)
    change = figures.development_change(Q1, [a, b])
    assert values(change, figures.change_label("Communication", "up"), a, b) == (1, 0, 1)
    assert values(change, figures.change_label("Communication", "down"), a, b) == (1, 0, 1)
    assert values(change, figures.change_label("Gross motor", "up"), a, b) == (2, 0, 2)
    (eyfs,) = figures.development_eyfs(Q1, [a, b])
    assert (eyfs.values[a], eyfs.bases[a]) == (100.0, 1)
