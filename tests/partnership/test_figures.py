"""The quarterly return's partnership section (#20 item 8), on a small dataset with answers worked out by hand,
and small numbers protected for commissioners."""

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from families import services as family_services
from partnership import services
from reporting.figures import compute_figures
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

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Q1 = parse_period("2026-Q1")  # April to June 2026
LONDON = ZoneInfo("Europe/London")


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON), tick=False)


def row(rows, label):
    return next(r for r in rows if r.label == label)


def meeting(family, actor, day, professionals=()):
    with on(day):
        return services.taf_meeting_record(
            family=family, actor=actor, held_on=day, decisions="Agreed.", workers=[actor],
            professionals=list(professionals),
        )  # fmt: skip


def onward(family, actor, day, agency, *, outcome=None, outcome_day=None):
    with on(day):
        referral = services.onward_referral_record(
            family=family, actor=actor, agency=agency, organisation="Service", reason="Needs it", referred_on=day,
            consent_confirmed=True, outcome_expected_by=day,
        )  # fmt: skip
    if outcome:
        with on(outcome_day):
            services.onward_referral_outcome_record(
                referral=referral, actor=actor, outcome=outcome, outcome_on=outcome_day
            )
    return referral


@pytest.fixture
def dataset(cast):
    """Team A's district (A) and Team B's (B; perhaps the same district):

    - family 1 (A, supported): a health visitor and housing on record since March; meetings on 20 March (the
      quarter before), 5 May (both attend) and 20 June (the health visitor); referred to speech and language
      therapy on 6 May, accepted on 20 May;
    - family 2 (A, supported): no professional; referred to Portage on 1 June, put on a waiting list on 3 July
      (after the quarter: not known at its end);
    - family 3 (A, supported): nothing with partners;
    - family 4 (B, not supported: no plan): a meeting on 10 April with ECFS only; referred to housing on 11 April,
      declined on 30 April.
    """
    with on(date(2026, 3, 2)):
        first, second, third = (
            allocated_referral(
                team=cast.team, manager=cast.manager, worker=cast.worker, people=default_people(name)
            ).family
            for name in ("Howes", "Gurney", "Bloggs")
        )
        fourth = allocated_referral(
            team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker, people=default_people("Shaw")
        ).family
        health = family_services.professional_add(family=first, actor=cast.worker, agency="health_visiting", name="Jo")
        housing = family_services.professional_add(family=first, actor=cast.worker, agency="housing", name="Sam")
    with on(date(2026, 3, 10)):
        for family in (first, second, third):
            active_plan(family=family, worker=cast.worker, manager=cast.manager)
    meeting(first, cast.worker, date(2026, 3, 20), [health, housing])
    meeting(first, cast.worker, date(2026, 5, 5), [health, housing])
    meeting(first, cast.worker, date(2026, 6, 20), [health])
    onward(first, cast.worker, date(2026, 5, 6), "speech_language", outcome="accepted", outcome_day=date(2026, 5, 20))
    onward(second, cast.worker, date(2026, 6, 1), "portage", outcome="waiting_list", outcome_day=date(2026, 7, 3))
    meeting(fourth, cast.other_worker, date(2026, 4, 10))
    onward(fourth, cast.other_worker, date(2026, 4, 11), "housing", outcome="declined", outcome_day=date(2026, 4, 30))
    a, b = first.district.name, fourth.district.name
    return a, b, sorted({a, b})


def expected(**by_district) -> dict:
    """Counts per district from (district, n) pairs given by hand, with the county total."""
    counts = Counter()
    for district, n in by_district.values():
        counts[district] += n
    return counts


def test_meetings_held_by_the_familys_district(dataset):
    a, b, districts = dataset
    rows = partnership_taf_meetings(Q1, districts)
    meetings = row(rows, "Meetings held").values
    families = row(rows, "Families with a meeting").values
    # 5 May and 20 June for family 1 (A), 10 April for family 4 (B); 20 March is the quarter before.
    assert meetings[COUNTY] == 3 and families[COUNTY] == 2
    want = expected(first=(a, 2), fourth=(b, 1))
    assert {d: meetings[d] for d in districts} == {d: want[d] for d in districts}


def test_agencies_involved_by_type(dataset):
    a, b, districts = dataset
    rows = partnership_agencies(Q1, districts)
    # Health visiting: family 1 at two meetings, counted once. Housing: family 1 at a meeting (A) and family 4
    # referred (B). Speech and language: family 1 referred. Portage: family 2 referred.
    assert row(rows, "Health visiting").values[COUNTY] == 1
    assert row(rows, "Housing").values[COUNTY] == 2
    assert row(rows, "Housing").values[b] == (2 if a == b else 1)
    assert row(rows, "Speech and language therapy").values[a] == 1
    assert row(rows, "Portage").values[COUNTY] == 1
    assert row(rows, "Jobcentre Plus").values[COUNTY] == 0
    assert sum(r.values[COUNTY] for r in rows) == 5


def test_supported_families_with_a_partner_agency(dataset):
    a, _b, districts = dataset
    rows = partnership_families(Q1, districts)
    # Supported: families 1, 2 and 3 (family 4 has no plan). With a partner: 1 (professionals on record, meetings,
    # a referral) and 2 (a referral); 3 has none. 2 of 3 = 66.7%.
    assert row(rows, "Families supported").values[COUNTY] == 3
    assert row(rows, "With at least one partner agency").values[COUNTY] == 2
    assert row(rows, "% with at least one partner agency").values[a] == 66.7


def test_onward_referrals_and_their_outcomes_as_known_at_the_quarters_end(dataset):
    _a, b, districts = dataset
    made = partnership_onward_referrals(Q1, districts)
    assert [(r.label, r.values[COUNTY]) for r in made if r.values[COUNTY]] == [
        ("Speech and language therapy", 1),
        ("Portage", 1),
        ("Housing", 1),
    ]
    outcomes = partnership_onward_outcomes(Q1, districts)
    assert [(r.label, r.values[COUNTY]) for r in outcomes] == [
        ("Accepted", 1),
        ("Declined by the service", 1),
        ("The family did not engage", 0),
        ("On a waiting list", 0),  # recorded on 3 July, after the quarter
        ("Other", 0),
        ("Outcome not known by the end of the quarter", 1),
    ]
    assert row(outcomes, "Declined by the service").values[b] == 1
    # The next quarter's figure is about its own referrals: none.
    assert sum(r.values[COUNTY] for r in partnership_onward_outcomes(parse_period("2026-Q2"), districts)) == 0


def test_a_commissioner_sees_the_partnership_section_with_small_numbers_protected(dataset):
    a, _b, _districts = dataset
    with on(date(2026, 7, 6)):
        figures = compute_figures(Q1, with_trend=False)
    [section] = [s for s in figures["sections"] if s["code"] == "partnership"]
    codes = [k["code"] for k in section["kpis"]]
    for code in ("partnership_taf_meetings", "partnership_agencies", "partnership_families",
                 "partnership_onward_referrals", "partnership_onward_outcomes"):  # fmt: skip
        assert code in codes
    meetings = next(k for k in section["kpis"] if k["code"] == "partnership_taf_meetings")
    held = next(r for r in meetings["rows"] if r["label"] == "Meetings held")
    assert held["display"][COUNTY] == "[c]" and held["values"][COUNTY] is None  # 3 meetings: 1 to 4
