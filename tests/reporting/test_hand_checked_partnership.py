"""The partnership section worked out by hand from its published definitions, on the edges a commissioner checks:
the quarter's first and last day (23:30 UK time on 30 June is in quarter 1, 00:30 on 1 July is not), a meeting
with nobody from another agency, and an onward referral's outcome changed after the quarter.

Quarter 1 of 2026/27 (April to June 2026). District A is Team A's, district B Team B's. Every family has a plan
active since 10 March, so all five are supported in the quarter.

- F1 (A): a health visitor added to the team around the family at 23:30 on 30 June (UK time). Nothing else.
- F2 (A): a meeting on 30 June with ECFS staff only (no other agency); housing added at 00:30 on 1 July.
- F3 (A): a GP added on 1 July and a meeting with them that day (the next quarter).
- F4 (A): a health visitor added on 1 April and at a meeting that day; referred to housing on 30 June, put on a
  waiting list at 23:30 that evening, accepted on 2 July.
- F5 (B): referred to housing on 31 March (the quarter before); referred to Portage on 1 April, declined on
  10 April.

By hand: meetings held 2 (F2 on 30 June, F4 on 1 April), 2 families. Agencies: health visiting 1 (F4 at a
meeting; F1's is on record but at no meeting), housing 1 (F4 referred; F2's came on 1 July), Portage 1 (F5).
Supported 5; with at least one partner agency 3 (F1: a professional on record before the quarter ended; F4; F5
referred) — F2's meeting had no other agency and F3's came after. Onward referrals made: housing 1, Portage 1.
Outcomes known at the quarter's end: on a waiting list 1 (F4), declined 1 (F5).
"""

from datetime import date

import pytest

from families import services as family_services
from partnership import services
from reporting.kpis import COUNTY
from reporting.partnership_figures import (
    partnership_agencies,
    partnership_families,
    partnership_onward_outcomes,
    partnership_onward_referrals,
    partnership_taf_meetings,
)
from reporting.periods import parse_period
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral, default_people
from tests.reporting.hand_checked import at, values

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Q1 = parse_period("2026-Q1")


@pytest.fixture
def quarter(cast):
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert a != b, "the cast's two teams must be in different districts for these sums"
    with at(date(2026, 3, 2)):
        f1, f2, f3, f4 = (
            allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker, people=default_people(name))
            for name in ("Howes", "Gurney", "Bloggs", "Shaw")
        )
        f5 = allocated_referral(
            team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker, people=default_people("Ling")
        )
    families = [r.family for r in (f1, f2, f3, f4, f5)]
    f1, f2, f3, f4, f5 = families
    with at(date(2026, 3, 10)):
        for family in (f1, f2, f3, f4):
            active_plan(family=family, worker=cast.worker, manager=cast.manager)
        active_plan(family=f5, worker=cast.other_worker, manager=cast.other_manager)

    def professional(family, agency, moment, worker=cast.worker):
        with moment:
            return family_services.professional_add(family=family, actor=worker, agency=agency, name="Jo")

    def meeting(family, day, professionals=(), worker=cast.worker):
        with at(day):
            services.taf_meeting_record(
                family=family, actor=worker, held_on=day, decisions="Agreed.", workers=[worker],
                professionals=list(professionals),
            )  # fmt: skip

    def onward(family, day, agency, worker=cast.worker):
        with at(day):
            return services.onward_referral_record(
                family=family, actor=worker, agency=agency, organisation="Service", reason="Needs it",
                referred_on=day, consent_confirmed=True, outcome_expected_by=day,
            )  # fmt: skip

    def outcome(referral, moment, value, day, worker=cast.worker):
        with moment:
            services.onward_referral_outcome_record(referral=referral, actor=worker, outcome=value, outcome_on=day)

    professional(f1, "health_visiting", at(date(2026, 6, 30), 23, 30))
    meeting(f2, date(2026, 6, 30))
    professional(f2, "housing", at(date(2026, 7, 1), 0, 30))
    gp = professional(f3, "gp", at(date(2026, 7, 1)))
    meeting(f3, date(2026, 7, 1), [gp])
    health = professional(f4, "health_visiting", at(date(2026, 4, 1), 9))
    meeting(f4, date(2026, 4, 1), [health])
    housing = onward(f4, date(2026, 6, 30), "housing")
    outcome(housing, at(date(2026, 6, 30), 23, 30), "waiting_list", date(2026, 6, 30))
    outcome(housing, at(date(2026, 7, 2)), "accepted", date(2026, 7, 2))
    onward(f5, date(2026, 3, 31), "housing", worker=cast.other_worker)
    portage = onward(f5, date(2026, 4, 1), "portage", worker=cast.other_worker)
    outcome(portage, at(date(2026, 4, 10)), "declined", date(2026, 4, 10), worker=cast.other_worker)
    return a, b


def test_meetings_on_the_quarters_first_and_last_day_count_and_the_next_days_do_not(quarter):
    a, b = quarter
    rows = partnership_taf_meetings(Q1, [a, b])
    assert values(rows, "Meetings held", a, b) == (2, 0, 2)
    assert values(rows, "Families with a meeting", a, b) == (2, 0, 2)


def test_agencies_count_those_at_meetings_or_referred_to_in_the_quarter_only(quarter):
    a, b = quarter
    rows = partnership_agencies(Q1, [a, b])
    assert values(rows, "Health visiting", a, b) == (1, 0, 1)
    assert values(rows, "Housing", a, b) == (1, 0, 1)
    assert values(rows, "Portage", a, b) == (0, 1, 1)
    assert values(rows, "GP practice", a, b) == (0, 0, 0)
    assert sum(r.values[COUNTY] for r in rows) == 3


def test_a_meeting_with_no_other_agency_is_not_a_partner_agency(quarter):
    a, b = quarter
    rows = partnership_families(Q1, [a, b])
    assert values(rows, "Families supported", a, b) == (4, 1, 5)
    assert values(rows, "With at least one partner agency", a, b) == (2, 1, 3)  # F1, F4; F5
    assert values(rows, "% with at least one partner agency", a, b) == (50.0, 100.0, 60.0)


def test_onward_referrals_and_the_outcome_as_it_stood_at_the_quarters_last_moment(quarter):
    a, b = quarter
    made = partnership_onward_referrals(Q1, [a, b])
    assert values(made, "Housing", a, b) == (1, 0, 1)
    assert values(made, "Portage", a, b) == (0, 1, 1)
    assert sum(r.values[COUNTY] for r in made) == 2
    outcomes = partnership_onward_outcomes(Q1, [a, b])
    assert values(outcomes, "On a waiting list", a, b) == (1, 0, 1)  # accepted on 2 July: too late for Q1
    assert values(outcomes, "Declined by the service", a, b) == (0, 1, 1)
    assert values(outcomes, "Accepted", a, b) == (0, 0, 0)
    assert values(outcomes, "Outcome not known by the end of the quarter", a, b) == (0, 0, 0)
