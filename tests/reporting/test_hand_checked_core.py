"""The core figures of the monthly and quarterly returns worked out by hand from their published definitions (README
"Returns", DESIGN §4), on a small county built through the services with the clock at each moment, then read in the
returns as generated: the JSON, the CSV and the PDF's text.

December 2026 and quarter 3 of 2026/27 (October to December 2026). England and Wales bank holidays: Christmas Day
(Friday 25 December) and Boxing Day's substitute (Monday 28 December), New Year's Day (Friday 1 January 2027). Every
family is referred to Team A, in Broadland (two workers: the worker and the colleague); Norwich has none.

Referrals (triage due 3 working days after receipt, first contact 10):
- P1–P6, received Mon 5 Oct from a midwife (triage due 8 Oct, first contact due 19 Oct), accepted 6 Oct and
  allocated to the worker. Home visits on 8 Oct for P1–P5; P6's first is a phone call on 20 Oct (late).
- C1, C2, C3, received Mon 2 Nov (triage due 5 Nov, first contact due 16 Nov): C1 stepped up to children's social
  care on 3 Nov, C2 to Family Focus on 4 Nov; C3, a step-down from social care, accepted 3 Nov and never contacted.
- A1–A6, received Fri 11 Dec from health visitors (triage due Wed 16 Dec; first contact due Tue 29 Dec, the bank
  holidays skipped). A1–A4 accepted Mon 14 Dec; A5 accepted Thu 17 Dec (late); A6 signposted 15 Dec (closed at
  triage, so out of the first-contact cohort). A1 home visit 15 Dec; A2 phone call at 15:00 on 29 Dec (the due day);
  A3 video call 30 Dec (late); A4 only a text message on 16 Dec (not a contact that counts); A5 home visit 22 Dec.
- B1, B2, self-referrals received Wed 23 Dec (triage due Wed 30 Dec, the bank holidays skipped; first contact due in
  January): B1 accepted 30 Dec at 15:00 (on time), B2 no further action on 4 Jan 2027 (missed).
- R1, received Mon 21 Dec (triage due 24 Dec) for P1's family, whose plan closed 10 Dec: accepted 22 Dec, a
  re-referral. R2, received Tue 29 Dec (triage due 4 Jan) for P2's family (plan closed 11 Dec), decided 4 Jan: not
  known as a re-referral by the quarter's end.

By hand, December: received 10 (health visitor 6, self 2, GP 0, other 2: R1 and R2 come from a school); decisions 7
(accept 7, signpost 1); triaged on time 7 of 9 (A1–A4, A6, B1, R1; A5 and B2 missed) = 77.8%; first contact on time
3 of 5 (A1, A2, A5) = 60.0%.
Quarter 3: received 19 (midwife 6, social care 1, health visitor 6, self 2, school 2, other source 2: C1 and C2 come
from the police); decisions 17 (accept 14, signpost 1, step up 2); triaged on time 16 of 18 = 88.9%; first contact
on time 8 of 12 (P1–P5, A1, A2, A5; P6, C3, A3, A4 missed) = 66.7%.

Plans: P1–P6 one-to-one plans approved 12 Oct, start scores 3 for social networks (impact 1) and parental mental
health (impact 2). Closed (social networks, mental health): P1 10 Dec needs met (7, 7); P2 11 Dec needs met (5, 2);
P3 14 Dec stepped up (3, 3); P4 15 Dec needs met (4, 4); P5 16 Dec needs met (6, 3); P6 open.
- Families supported in the quarter: 6. Open one-to-one plans at the end: 1 (P6). Started 6, closed 5.
- Closures by reason: needs met 4, stepped up 1. Step-ups: social care 1 (C1), Family Focus 1 (C2), plans 1 (P3).
  Step-downs received 1 (C3). Re-referrals 1 (R1).
- Impact 1: improved P1, P2, P4, P5: 4 of 5 = 80.0%; mean change (4 + 2 + 0 + 1 + 3) / 5 goals = +2.0 points.
  Impact 2: improved P1, P4: 2 of 5 = 40.0%; mean change (4 - 1 + 0 + 1 + 0) / 5 = +0.8 points.
- Caseload at the last moment of December: allocations still open are A1–A4, C3 and P6 (the worker), A5 and B1 (the
  colleague), R1 (the worker, P1's family back in support): 9 over Broadland's 2 workers = 4.5; none over Norwich's
  1; 9 over the county's 3 = 3.0.
- Funded early education (children of P1–P6, ages on 31 December 2026): P1's born 15 Mar 2024 (2, eligible, started
  1 Sep 2026); P2's born 1 Jan 2024 (2, not eligible); P3's born 31 Dec 2023 (3 that day, started 4 Jan 2027, after);
  P4's born 1 Sep 2022 (4, started 1 Sep 2025); P5's born 1 Jan 2022 (4); P6's born 31 Dec 2021 (5 that day, out).
  Aged 2: 1 of 1. Aged 3: 0 of 1. Aged 4: 1 of 2 = 50.0%.
- Fund: council allocation £2,000.00 for 2026/27; food £30.00 each for P1–P5 approved in November (£150.00 to 5
  families), travel £12.50 for P6 in December.
- Groups: a targeted course at the base, 5 weekly sessions from Mon 16 Nov (16, 23, 30 Nov, 7, 14 Dec); P1's and P2's
  parents enrolled, P1's at all 5, P2's at the first only. A universal stay and play at a village hall in Broadland
  on 7 and 14 December, 3 adults and 4 children walking in each time, P6's family named among them.
  In December: 4 sessions (targeted 2, universal 2; at the base 2, at the hall 2); attendances 2 (P1's parent) + 14
  walk-ins = 16; families attending 2 (P1, P6). In the quarter: 7 sessions (targeted 5, universal 2; base 5,
  outreach 2; 71.4% at bases); attendances 6 + 14 = 20; families attending 3 (P1, P2, P6).
"""

import csv
import io
import re
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ecfs.roles import Role
from families.models import Determinant, Person
from families.services import child_early_education_record
from families.support import services as support_services
from referrals import services as referral_services
from reporting import kpis
from reporting.documents import plain_value
from reporting.figures import computed_figures
from reporting.formatting import format_value
from reporting.kpis import COUNTY, caseload_per_worker
from reporting.periods import parse_period
from reporting.services import return_generate, return_submit
from support_fund import services as fund_services
from support_fund.models import FundSource
from tests.factories import staff_member
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral, default_people, received_referral
from tests.reporting.hand_checked import LONDON, at
from tests.venues.factories import course as make_course
from tests.venues.factories import outreach_venue, parent_of
from venues import services as venue_services
from venues.models import GroupCourse

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DECEMBER, Q3 = parse_period("2026-12"), parse_period("2026-Q3")
B, N = "Broadland", "Norwich"


def moment(day: date, hour=10, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def county(cast):
    assert (cast.team.base.district.name, cast.other_team.base.district.name) == (B, N)
    worker, colleague, manager = cast.worker, cast.colleague, cast.manager
    social, mental = (Determinant.objects.get(code=c) for c in ("social_networks", "parental_mental_health"))

    def referral(day, source, *, dob=None, last_name="Howes"):
        with at(day):
            return received_referral(
                team=cast.team, actor=worker, source=source, people=default_people(last_name=last_name, dob=dob)
            )

    def decide(made, day, decision, reason, hour=10, **family):
        with at(day, hour):
            referral_services.referral_decide(
                referral=made, decision=decision, reason=reason, notes="Decided", actor=manager, **family
            )
        made.refresh_from_db()
        return made

    def accept(made, day, lead=worker, hour=10, **family):
        decide(made, day, "accept", "meets_threshold", hour=hour, **(family or {"new_family": True}))
        with at(day, hour, 30):
            referral_services.referral_allocate(referral=made, worker=lead, actor=manager)
        made.refresh_from_db()
        return made.family

    def contact(family, when, mode, lead=worker):
        seen = {c.pk: True for c in family.members.filter(kind="child")} if mode == "home_visit" else None
        with at(when.date(), when.hour, when.minute + 1 if when.minute < 59 else when.minute):
            support_services.contact_log(
                family=family, actor=lead, occurred_at=when, duration_minutes=30, mode=mode, notes="Contact",
                children_seen=seen,
            )  # fmt: skip

    births = [date(2024, 3, 15), date(2024, 1, 1), date(2023, 12, 31), date(2022, 9, 1), date(2022, 1, 1),
              date(2021, 12, 31)]  # fmt: skip
    p = [referral(date(2026, 10, 5), "midwife", dob=born, last_name=f"P{n}") for n, born in enumerate(births, 1)]
    families = [accept(made, date(2026, 10, 6)) for made in p]
    for family in families[:5]:
        contact(family, moment(date(2026, 10, 8)), "home_visit")
    contact(families[5], moment(date(2026, 10, 20)), "phone")
    with at(date(2026, 10, 12)):
        plans = [active_plan(family=f, worker=worker, manager=manager) for f in families]
    with at(date(2026, 10, 1)):
        fund_services.budget_create(
            financial_year=2026, source=FundSource.objects.get(name="Council allocation"), amount="2000.00",
            actor=cast.admin,
        )  # fmt: skip
    for family, day, category, amount in [
        *((f, date(2026, 11, 9), "food", "30.00") for f in families[:5]),
        (families[5], date(2026, 12, 9), "travel", "12.50"),
    ]:
        with at(day):
            application = fund_services.application_create(
                family=family, actor=worker, category=category, amount=amount, justification="Needed",
                delivery="voucher",
            )  # fmt: skip
            fund_services.application_approve(application=application, actor=manager)

    closing = [
        (date(2026, 12, 10), "needs_met", 7, 7),
        (date(2026, 12, 11), "needs_met", 5, 2),
        (date(2026, 12, 14), "stepped_up", 3, 3),
        (date(2026, 12, 15), "needs_met", 4, 4),
        (date(2026, 12, 16), "needs_met", 6, 3),
    ]
    for plan, (day, reason, social_score, mental_score) in zip(plans, closing, strict=False):
        with at(day):
            support_services.plan_request_closure(
                plan=plan, reason=reason, summary="Ended", scores={social.pk: social_score, mental.pk: mental_score},
                assessed_on=day, actor=worker,
            )  # fmt: skip
            support_services.plan_approve_closure(plan=plan, actor=manager)

    c1, c2, c3 = (referral(date(2026, 11, 2), source) for source in ("police", "police", "social_care"))
    decide(c1, date(2026, 11, 3), "step_up", "social_care")
    decide(c2, date(2026, 11, 4), "step_up", "family_focus")
    accept(c3, date(2026, 11, 3))

    a = [referral(date(2026, 12, 11), "health_visitor", last_name=f"A{n}") for n in range(1, 7)]
    a_families = [accept(made, date(2026, 12, 14)) for made in a[:4]]
    a_families.append(accept(a[4], date(2026, 12, 17), lead=colleague))
    decide(a[5], date(2026, 12, 15), "signpost", "community_groups")
    contact(a_families[0], moment(date(2026, 12, 15)), "home_visit")
    contact(a_families[1], moment(date(2026, 12, 29), 15), "phone")
    contact(a_families[2], moment(date(2026, 12, 30)), "video")
    contact(a_families[3], moment(date(2026, 12, 16)), "message")
    contact(a_families[4], moment(date(2026, 12, 22)), "home_visit", lead=colleague)

    b1, b2 = (referral(date(2026, 12, 23), "self", last_name=f"B{n}") for n in (1, 2))
    accept(b1, date(2026, 12, 30), lead=colleague, hour=15)
    r1 = referral(date(2026, 12, 21), "school", last_name="P1")
    accept(r1, date(2026, 12, 22), family=families[0])
    r2 = referral(date(2026, 12, 29), "school", last_name="P2")
    decide(b2, date(2027, 1, 4), "no_further_action", "no_identified_need")
    decide(r2, date(2027, 1, 4), "signpost", "community_groups", family=families[1])

    children = [f.members.get(kind=Person.Kind.CHILD) for f in families]
    with at(date(2027, 1, 5)):
        for child, eligible, started in (
            (children[0], True, date(2026, 9, 1)),
            (children[2], False, date(2027, 1, 4)),
            (children[3], False, date(2025, 9, 1)),
        ):
            child_early_education_record(
                person=child, eligible_2yo=eligible, started_on=started, setting="Little Acorns", actor=manager
            )

    with at(date(2026, 11, 2)):
        targeted = make_course(
            cast=cast, offer_type=GroupCourse.OfferType.TARGETED_OPEN, start_date=date(2026, 11, 16), sessions=5
        )
        one, two = (
            venue_services.enrolment_create(course=targeted, person=parent_of(f), actor=worker) for f in families[:2]
        )
    for number, session in enumerate(targeted.sessions.order_by("number"), start=1):
        with at(session.starts_at.astimezone(LONDON).date(), 14):
            came = {one.uuid} | ({two.uuid} if number == 1 else set())
            venue_services.register_take(session=session, actor=worker, attended=came)
    with at(date(2026, 11, 2)):
        hall = outreach_venue(cast.team.base.district)
        universal = make_course(
            cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL, start_date=date(2026, 12, 7), sessions=2, venue=hall
        )
    for session in universal.sessions.order_by("number"):
        with at(session.starts_at.astimezone(LONDON).date(), 14):
            venue_services.register_take(
                session=session, actor=worker, attended=set(), walk_in_adults=3, walk_in_children=4,
                walk_in_families=[families[5]],
            )  # fmt: skip
    return families


def table(figures, code):
    kpi = next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == code)
    return {row["label"]: row for row in kpi["rows"]}


def county_values(figures, code):
    """Each row's (Broadland, Norwich, county) as computed."""
    return {label: tuple(row["values"][area] for area in (B, N, COUNTY)) for label, row in table(figures, code).items()}


MONTH_EXPECTED = {
    ("referrals_by_source", "Health visitor"): (6, 0, 6),
    ("referrals_by_source", "Self-referral"): (2, 0, 2),
    ("referrals_by_source", "School"): (2, 0, 2),
    ("referrals_by_source", "Midwife"): (0, 0, 0),
    ("triage_decisions", "Accept for tier 2 support"): (7, 0, 7),
    ("triage_decisions", "Signpost"): (1, 0, 1),
    ("triage_decisions", "No further action"): (0, 0, 0),
    ("triaged_within_timescale", "Triaged on time"): (77.8, None, 77.8),
    ("first_contact_within_timescale", "First contact on time"): (60.0, None, 60.0),
    ("open_plans", "One-to-one"): (1, 0, 1),
    ("new_and_closed_plans", "Started"): (0, 0, 0),
    ("new_and_closed_plans", "Closed"): (5, 0, 5),
    ("sessions_by_offer", "Targeted"): (2, 0, 2),
    ("sessions_by_offer", "Universal"): (2, 0, 2),
    ("sessions_by_place", "At bases"): (2, 0, 2),
    ("sessions_by_place", "At outreach venues"): (2, 0, 2),
    ("sessions_by_place", "% at bases"): (50.0, None, 50.0),
    ("attendances", "Attendances"): (16, 0, 16),
    ("attendances", "Families attending"): (2, 0, 2),
    ("caseload_per_worker", "Families per worker"): (4.5, 0.0, 3.0),
    ("fund_payments_by_category", "Travel"): ("12.50", "0.00", "12.50"),
    ("fund_payments_by_category", "Food"): ("0.00", "0.00", "0.00"),
    ("contacts_by_mode", "Home visit"): (2, 0, 2),  # A1, A5
    ("contacts_by_mode", "Phone"): (1, 0, 1),
    ("contacts_by_mode", "At a base"): (0, 0, 0),
    ("outreach_share", "In homes and community venues"): (100.0, None, 100.0),  # 2 of 2 face to face
}

QUARTER_EXPECTED = {
    ("referrals_by_source", "Midwife"): (6, 0, 6),
    ("referrals_by_source", "Health visitor"): (6, 0, 6),
    ("referrals_by_source", "Police"): (2, 0, 2),
    ("referrals_by_source", "Social care or Family Focus (step-down)"): (1, 0, 1),
    ("triage_decisions", "Accept for tier 2 support"): (14, 0, 14),
    ("triage_decisions", "Step up"): (2, 0, 2),
    ("triaged_within_timescale", "Triaged on time"): (88.9, None, 88.9),
    ("first_contact_within_timescale", "First contact on time"): (66.7, None, 66.7),
    ("new_and_closed_plans", "Started"): (6, 0, 6),
    ("new_and_closed_plans", "Closed"): (5, 0, 5),
    ("closures_by_reason", "Needs met"): (4, 0, 4),
    ("closures_by_reason", "Stepped up"): (1, 0, 1),
    ("step_ups_and_downs", "Stepped up at triage to children's social care"): (1, 0, 1),
    ("step_ups_and_downs", "Stepped up at triage to Family Focus"): (1, 0, 1),
    ("step_ups_and_downs", "Plans closed as stepped up"): (1, 0, 1),
    ("step_ups_and_downs", "Step-downs received"): (1, 0, 1),
    ("step_ups_and_downs", "Re-referrals within 12 months"): (1, 0, 1),
    ("impact1_improvement", "Plans with improved scores"): (80.0, None, 80.0),
    ("impact1_improvement", "Mean change in score per need"): (2.0, None, 2.0),
    ("impact2_improvement", "Plans with improved scores"): (40.0, None, 40.0),
    ("impact2_improvement", "Mean change in score per need"): (0.8, None, 0.8),
    ("impact3_improvement", "Plans with improved scores"): (None, None, None),
    ("early_education_takeup", "Aged 2"): (100.0, None, 100.0),
    ("early_education_takeup", "Aged 3"): (0.0, None, 0.0),
    ("early_education_takeup", "Aged 4"): (50.0, None, 50.0),
    ("equality_monitoring", "Families supported"): (6, 0, 6),
    ("sessions_by_offer", "Targeted"): (5, 0, 5),
    ("sessions_by_offer", "Universal"): (2, 0, 2),
    ("sessions_by_offer", "% targeted"): (71.4, None, 71.4),
    ("sessions_by_place", "At bases"): (5, 0, 5),
    ("sessions_by_place", "At outreach venues"): (2, 0, 2),
    ("sessions_by_place", "% at bases"): (71.4, None, 71.4),
    ("attendances", "Attendances"): (20, 0, 20),
    ("attendances", "Families attending"): (3, 0, 3),
    ("fund_payments_by_category", "Food"): ("150.00", "0.00", "150.00"),
    ("fund_spend_against_budget", "Council allocation: budget"): (None, None, "2000.00"),
    ("fund_spend_against_budget", "Council allocation: spent this year"): ("162.50", "0.00", "162.50"),
    ("contacts_by_mode", "Home visit"): (7, 0, 7),  # P1–P5 on 8 October, A1 and A5
    ("contacts_by_mode", "Phone"): (2, 0, 2),  # P6, A2
    ("contacts_by_mode", "Video call"): (1, 0, 1),
    ("contacts_by_mode", "Message (text or email)"): (1, 0, 1),
    ("outreach_share", "In homes and community venues"): (100.0, None, 100.0),  # 7 of 7 face to face
}


def test_the_december_figures_are_the_hand_worked_ones(county):
    with at(date(2027, 1, 6)):
        figures = computed_figures(DECEMBER)
    wrong = {
        key: (county_values(figures, key[0])[key[1]], expected)
        for key, expected in MONTH_EXPECTED.items()
        if county_values(figures, key[0])[key[1]] != expected
    }
    assert not wrong


def test_the_quarters_figures_are_the_hand_worked_ones(county):
    with at(date(2027, 1, 6)):
        figures = computed_figures(Q3)
    wrong = {
        key: (county_values(figures, key[0])[key[1]], expected)
        for key, expected in QUARTER_EXPECTED.items()
        if county_values(figures, key[0])[key[1]] != expected
    }
    assert not wrong


def test_caseload_per_worker_rounds_half_up_once(cast):
    """1 family over Norwich's 8 workers is 0.125, published as 0.13 (to the nearest hundredth, a half rounded up as
    everywhere in the return), not 0.12."""
    for n in range(7):
        staff_member(role=Role.WORKER, team=cast.other_team, email=f"norwich{n}@example.org")
    with at(date(2026, 12, 1)):
        allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker)
    row = caseload_per_worker(DECEMBER, [B, N])[0]
    assert (row.values[N], row.bases[N]) == (0.13, 8)
    assert format_value(row.values[N], "mean") == "0.13"


def test_a_mean_change_in_points_is_rounded_once_to_what_is_published(cast, monkeypatch):
    """One point gained over 22 goals (22 plans closed with one goal each in impact 1) is +0.045 points: published
    to one decimal as 0.0, not rounded first to 0.05 and then up to +0.1."""
    plans = [{"district": B, "impact": 1, "goals": 1, "start": 3, "close": 4 if n == 0 else 3} for n in range(22)]
    monkeypatch.setattr(kpis, "_closed_plan_scores", lambda period: plans)
    mean = next(r for r in kpis._improvement_kpi(1)(Q3, [B, N]) if r.label == "Mean change in score per need")
    assert mean.values[B] == 0.0
    assert format_value(mean.values[B], "points") == "0.0 points"
    assert plain_value(mean.values[B], "points") == "0.0"


def test_the_county_mean_change_of_a_targeted_course_is_rounded_once(cast, monkeypatch):
    """One parent in Broadland gained a point of confidence and 21 in Norwich none: the county's mean change is 1 / 22
    = +0.045 points, published as 0.0 (not 0.05, then +0.1)."""
    rows = [
        {"district": B, "enrolled": 1, "completed": 1, "measured_parents": 1,
         "mean_confidence_change": 1.0, "mean_wellbeing_change": 0.0},
        {"district": N, "enrolled": 21, "completed": 21, "measured_parents": 21,
         "mean_confidence_change": 0.0, "mean_wellbeing_change": 0.0},
    ]  # fmt: skip
    monkeypatch.setattr(kpis.group_selectors, "targeted_course_outcomes", lambda start, end: rows)
    confidence = next(r for r in kpis.targeted_course_outcomes(Q3, [B, N]) if r.label == "Mean change in confidence")
    assert (confidence.values[COUNTY], confidence.bases[COUNTY]) == (0.0, 22)
    assert plain_value(confidence.values[COUNTY], "points") == "0.0"


# What a commissioner reads, (Broadland, county), for the figures above: shown where the count is 5 or more (or the
# share or mean is of 5 or more), [c] for a count of 1 to 4 and for whatever would give one away.
MONTH_SHOWN = {
    ("referrals_by_source", "Health visitor"): ("6", "6"),
    ("referrals_by_source", "Self-referral"): ("[c]", "[c]"),
    ("referrals_by_source", "School"): ("[c]", "[c]"),
    ("triage_decisions", "Accept for tier 2 support"): ("7", "7"),
    ("triage_decisions", "Signpost"): ("[c]", "[c]"),
    ("triaged_within_timescale", "Triaged on time"): ("77.8%", "77.8%"),
    ("first_contact_within_timescale", "First contact on time"): ("60.0%", "60.0%"),
    ("open_plans", "One-to-one"): ("[c]", "[c]"),
    ("new_and_closed_plans", "Closed"): ("5", "5"),
    ("sessions_by_offer", "Targeted"): ("[c]", "[c]"),
    ("sessions_by_place", "At outreach venues"): ("[c]", "[c]"),
    ("attendances", "Attendances"): ("16", "16"),
    ("attendances", "Families attending"): ("[c]", "[c]"),
    ("caseload_per_worker", "Families per worker"): ("[c]", "[c]"),  # of 2 workers, and 3
    ("fund_payments_by_category", "Travel"): ("[c]", "[c]"),  # paid to one family
}

QUARTER_SHOWN = {
    ("referrals_by_source", "Midwife"): ("6", "6"),
    ("referrals_by_source", "Police"): ("[c]", "[c]"),
    # 14 accepted, but the months show October's 6 and December's 7: 14 would give November's hidden 1 (C3) back.
    ("triage_decisions", "Accept for tier 2 support"): ("[c]", "[c]"),
    ("triage_decisions", "Step up"): ("[c]", "[c]"),
    ("triaged_within_timescale", "Triaged on time"): ("88.9%", "88.9%"),
    ("first_contact_within_timescale", "First contact on time"): ("66.7%", "66.7%"),
    ("new_and_closed_plans", "Started"): ("6", "6"),
    # 5 closed: December's return shows all 5, so hiding the quarter's would protect nothing. The reasons (4 needs
    # met, 1 stepped up) stay hidden: a quarter may hide a zero beside its months, so each could be 0 to 5.
    ("new_and_closed_plans", "Closed"): ("5", "5"),
    ("closures_by_reason", "Needs met"): ("[c]", "[c]"),
    ("closures_by_reason", "Stepped up"): ("[c]", "[c]"),
    ("step_ups_and_downs", "Re-referrals within 12 months"): ("[c]", "[c]"),
    ("step_ups_and_downs", "Step-downs received"): ("[c]", "[c]"),
    ("impact1_improvement", "Plans with improved scores"): ("80.0%", "80.0%"),
    ("impact1_improvement", "Mean change in score per need"): ("+2.0 points", "+2.0 points"),
    ("impact2_improvement", "Plans with improved scores"): ("40.0%", "40.0%"),
    ("impact2_improvement", "Mean change in score per need"): ("+0.8 points", "+0.8 points"),
    ("impact3_improvement", "Plans with improved scores"): ("–", "–"),
    ("early_education_takeup", "Aged 4"): ("[c]", "[c]"),  # of 2 children
    ("equality_monitoring", "Families supported"): ("6", "6"),
    # 5 targeted and 2 universal: the 2 hidden, the 5 and the total with them (7 less 5 would give 2 back); the
    # shares stay, as 5 of 7 is also 10 of 14 and 15 of 21 (the audit checks it).
    ("sessions_by_offer", "Targeted"): ("[c]", "[c]"),
    ("sessions_by_offer", "Universal"): ("[c]", "[c]"),
    ("sessions_by_offer", "% targeted"): ("71.4%", "71.4%"),
    ("sessions_by_place", "At outreach venues"): ("[c]", "[c]"),
    ("sessions_by_place", "% at bases"): ("71.4%", "71.4%"),
    # 20 attendances, but 20 less December's 16 (and October's 0) would give November's hidden 4 back.
    ("attendances", "Attendances"): ("[c]", "[c]"),
    ("attendances", "Families attending"): ("[c]", "[c]"),
    ("fund_payments_by_category", "Food"): ("£150.00", "£150.00"),
}


@pytest.mark.parametrize(("period", "shown"), [(DECEMBER, MONTH_SHOWN), (Q3, QUARTER_SHOWN)], ids=["month", "quarter"])
def test_the_generated_return_publishes_the_same_figures_in_its_json_csv_and_pdf(county, period, shown):
    with at(date(2027, 1, 6)):
        generated = return_generate(period=period)
    rows = csv.DictReader(io.StringIO(generated.csv.open("rb").read().decode()))
    published = {(r["kpi"], r["breakdown"], r["district"]): r for r in rows}
    pdf = "\n".join(page.extract_text() for page in PdfReader(generated.pdf.open("rb")).pages)
    wrong = {}
    for (code, label), expected in shown.items():
        row = table(generated.figures, code)[label]
        in_json = (row["display"][B], row["display"][COUNTY])
        in_csv = tuple(published[(code, label, area)]["display"] for area in (B, COUNTY))
        if in_json != expected or in_csv != expected:
            wrong[(code, label)] = (in_json, in_csv, expected)
        for area in (B, COUNTY):
            line = published[(code, label, area)]
            hidden = line["display"] == "[c]"
            # A hidden figure has no value anywhere: not in the CSV's value column, not in the stored JSON.
            if hidden and (line["value"] != "" or line["protected"] != "true" or row["values"][area] is not None):
                wrong[(code, label, area)] = line
        shown_figures = [text for text in expected if text not in ("[c]", "–", "0")]
        if any(text not in pdf for text in shown_figures):
            wrong[(code, label, "pdf")] = shown_figures
    assert not wrong
    assert "£12.50" not in pdf  # the one family's travel payment


# Rows of the outputs section that both kinds of return publish and that add up over a quarter's three months.
MONTHLY_FLOWS = ("referrals_by_source", "triage_decisions", "new_and_closed_plans", "contacts_by_mode")


def test_a_month_hidden_count_cannot_be_worked_out_from_the_quarter_less_the_other_months(county):
    """December's 2 home visits in Broadland are hidden, but October's 5 and November's 0 are shown and the quarter
    shows 7: 7 - 5 - 0 = 2."""
    with at(date(2027, 1, 6)):
        months = [return_generate(period=parse_period(label)).figures for label in ("2026-10", "2026-11", "2026-12")]
        quarter = return_generate(period=Q3).figures
    given_away = []
    for code in MONTHLY_FLOWS:
        for label, row in table(quarter, code).items():
            for area in (B, N, COUNTY):
                cells = [table(month, code)[label]["display"][area] for month in months]
                whole = row["display"][area]
                if whole != "[c]" and cells.count("[c]") == 1:
                    given_away.append((code, label, area, int(whole) - sum(int(c) for c in cells if c != "[c]")))
    assert not given_away


def _closed_in_broadland(figures):
    closed = table(figures, "new_and_closed_plans")["Closed"]["display"][B]
    return None if closed == "[c]" else int(closed)


def test_a_quarter_read_beside_its_three_months_gives_no_hidden_closure_away(county):
    """The monthly returns of October, November and December publish the plans closed in Broadland (0, 0 and 5).
    Had the quarter hidden its own total of closed plans to protect the closures by reason (4 needs met, 1 stepped
    up), a commissioner adding up the three months would have it back (5), and with it each reason to 1 to 4 while
    zeros were always shown. The quarter is checked beside the months published for it, and may hide a zero there:
    whatever it hides cannot be narrowed from them."""
    with at(date(2027, 1, 6)):
        months = [return_generate(period=parse_period(label)).figures for label in ("2026-10", "2026-11", "2026-12")]
        quarter = return_generate(period=Q3).figures
    assert [_closed_in_broadland(month) for month in months] == [0, 0, 5]
    reasons = table(quarter, "closures_by_reason")
    hidden = [label for label, row in reasons.items() if row["display"][B] == "[c]"]
    shown = sum(int(row["display"][B]) for row in reasons.values() if row["display"][B] != "[c]")
    closed = sum(_closed_in_broadland(month) for month in months)
    # A quarter may hide a zero beside its months, so each hidden reason is 0 or more; together they are the closed
    # plans less the reasons shown.
    widest = closed - shown
    assert hidden and widest >= 5, f"the hidden reasons {hidden} are each 0 to {widest}"


def test_the_commissioners_dashboard_leads_the_fund_with_the_money_spent_not_the_budget(county, client, cast):
    """ "Family support fund: spend against budget" followed by £2,000.00 read as if the whole budget were spent: the
    summary leads with the year's spend (£162.50 to 6 families), the budget beside it in the table."""
    with at(date(2027, 1, 6)):
        return_submit(a_return=return_generate(period=Q3), actor=cast.manager)
        client.force_login(cast.commissioner)
        page = client.get(reverse("county-dashboard")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Family support fund: spend against budget £162.50 (council allocation: spent this year)" in text
