"""The reach section's supported-family figures (highest-need towns, equality monitoring) worked out by hand from
their published definitions, on the edges a commissioner checks: plans starting or ending on the quarter's edges in
UK time, a family with two plans counted once, and household characteristics changed after the quarter.

Quarter 1 of 2026/27 (April to June 2026). Team A's families live in a Broadland town (not among the 7 towns of
highest need); Team B's in West Norwich (the second highest Children's Need Index).

- F1 (A): plan approved at 23:30 on 30 June (UK time): supported. Gypsy or Irish Traveller, lone parent.
- F2 (A): plan closed at 23:30 on 31 March: not supported. White British.
- F3 (A): plan closed at 00:30 on 1 April: supported (its plan was active for half an hour of the quarter); referred
  again in April (its support had ended) and a second plan approved in May: still one family. Indian, English an
  additional language.
- F4 (B): plan open all quarter. Recorded "not stated" and no lone parent at the quarter's end; on 2 July the worker
  records White Irish and a lone parent, which the quarter's figures do not take.
- F5 (B): plan approved at 00:30 on 1 July: not supported. Teenage parent.

By hand: supported A 2 (F1, F3), B 1 (F4), county 3. In the highest-need towns: 0 of 2 (A), 1 of 1 (B), 1 of 3
(33.3%). Gypsy, Roma and Traveller: 1 (F1, A). Black, Asian, Mixed and other: 1 (F3, A). White other than
British: 0 (F4 was "not stated" at the quarter's end). English as an additional language: 1 (F3). Lone parent: 1
(F1; F4's came after). Teenage parent: 0 (F5 not supported).
"""

from datetime import date

import pytest

from bases.models import Locality
from families import services as family_services
from families.support import services as support_services
from referrals import services as referral_services
from reporting.kpis import equality_monitoring, reach_high_need
from reporting.periods import parse_period
from tests.families.factories import active_plan, scores
from tests.referrals.factories import allocated_referral, received_referral
from tests.reporting.hand_checked import at, values

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Q1 = parse_period("2026-Q1")


@pytest.fixture
def quarter(cast):
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert (a, b) == ("Broadland", "Norwich"), "the sums below take Team A in Broadland and Team B in Norwich"
    west_norwich = Locality.objects.get(name="West Norwich")

    def family(team, **characteristics):
        manager, worker = (cast.manager, cast.worker) if team is cast.team else (cast.other_manager, cast.other_worker)
        with at(date(2026, 1, 5)):
            place = {} if team is cast.team else {"district": west_norwich.district, "locality": west_norwich}
            made = allocated_referral(team=team, manager=manager, worker=worker, **place).family
            return family_services.family_update_characteristics(family=made, actor=worker, **characteristics)

    def plan(family, moment, team=cast.team):
        manager, worker = (cast.manager, cast.worker) if team is cast.team else (cast.other_manager, cast.other_worker)
        with moment:
            return active_plan(family=family, worker=worker, manager=manager)

    def close(made, moment):
        with moment:
            support_services.plan_request_closure(
                plan=made, reason="needs_met", summary="Done", scores=scores(made, 6),
                assessed_on=date(2026, 3, 31), actor=cast.worker,
            )  # fmt: skip
            support_services.plan_approve_closure(plan=made, actor=cast.manager)

    f1 = family(cast.team, ethnicity="gypsy_irish_traveller", lone_parent=True)
    plan(f1, at(date(2026, 6, 30), 23, 30))
    f2 = family(cast.team, ethnicity="white_british")
    close(plan(f2, at(date(2026, 2, 2))), at(date(2026, 3, 31), 23, 30))
    f3 = family(cast.team, ethnicity="indian", english_additional_language=True)
    close(plan(f3, at(date(2026, 2, 2))), at(date(2026, 4, 1), 0, 30))
    with at(date(2026, 4, 20)):  # support had ended: referred again before the second plan
        again = received_referral(team=cast.team, actor=cast.worker)
        referral_services.referral_decide(
            referral=again, decision="accept", reason="meets_threshold", notes="Back", actor=cast.manager, family=f3
        )
        referral_services.referral_allocate(referral=again, worker=cast.worker, actor=cast.manager)
    plan(f3, at(date(2026, 5, 5)))
    f4 = family(cast.other_team)
    plan(f4, at(date(2026, 2, 2)), team=cast.other_team)
    with at(date(2026, 7, 2)):
        family_services.family_update_characteristics(
            family=f4, actor=cast.other_worker, ethnicity="white_irish", lone_parent=True
        )
    f5 = family(cast.other_team, teenage_parent=True)
    plan(f5, at(date(2026, 7, 1), 0, 30), team=cast.other_team)
    return a, b


def test_supported_families_in_the_highest_need_towns(quarter):
    a, b = quarter
    assert values(reach_high_need(Q1, [a, b]), "In the highest-need localities", a, b) == (0.0, 100.0, 33.3)


def test_equality_monitoring_reads_the_households_as_they_stood_at_the_quarters_end(quarter):
    a, b = quarter
    rows = equality_monitoring(Q1, [a, b])
    assert values(rows, "Families supported", a, b) == (2, 1, 3)
    assert values(rows, "Gypsy, Roma and Traveller", a, b) == (1, 0, 1)
    assert values(rows, "Black, Asian, Mixed and other ethnic groups", a, b) == (1, 0, 1)
    assert values(rows, "White other than British (not GRT)", a, b) == (0, 0, 0)
    assert values(rows, "English as an additional language", a, b) == (1, 0, 1)
    assert values(rows, "Lone parent", a, b) == (1, 0, 1)
    assert values(rows, "Teenage parent", a, b) == (0, 0, 0)


def test_the_next_quarter_takes_the_changed_household(quarter):
    a, b = quarter
    rows = equality_monitoring(parse_period("2026-Q2"), [a, b])
    # July to September: F1, F3 (A); F4 and F5 (B). F4 is now White Irish with a lone parent.
    assert values(rows, "Families supported", a, b) == (2, 2, 4)
    assert values(rows, "White other than British (not GRT)", a, b) == (0, 1, 1)
    assert values(rows, "Lone parent", a, b) == (1, 1, 2)
    assert values(rows, "Teenage parent", a, b) == (0, 1, 1)
