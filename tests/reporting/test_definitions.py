"""The definitions of issue #16, each checked on a small dataset whose right answer is worked out by hand.

Every record is made through the services with the clock moved to the moment it happened, so the dates
are the ones a real user would have left. The period is quarter 2 of 2025/26 (July to September 2025);
every family is referred to Team A, in Broadland.
"""

from contextlib import contextmanager
from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from families import services as family_services
from families.models import Family, Person
from families.support import services as support_services
from referrals import services as referral_services
from referrals.models import Referral
from reporting import kpis
from reporting.kpis import COUNTY
from reporting.periods import parse_period
from tests.families.factories import active_plan, draft_plan, home_visit, scores
from tests.referrals.factories import allocated_referral, received_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
Q2 = parse_period("2025-Q2")


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@contextmanager
def on(day: date, hour: int = 10):
    with time_machine.travel(at(day, hour), tick=False):
        yield


def row(rows, label):
    return next(r for r in rows if r.label == label)


def family_with_plan(cast, *, activated: date, closed: date | None = None, reason="needs_met"):
    """A family referred and allocated a week before its plan started; the plan closed on ``closed``."""
    with on(date.fromordinal(activated.toordinal() - 7)):
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    with on(activated):
        plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    if closed:
        with on(closed):
            close_plan(cast, plan, reason=reason)
    family.refresh_from_db()
    return family


def close_plan(cast, plan, *, reason):
    support_services.plan_request_closure(
        plan=plan,
        reason=reason,
        summary="Support ended",
        scores=scores(plan, 6),
        assessed_on=timezone.localdate(),
        actor=cast.worker,
    )
    support_services.plan_approve_closure(plan=plan, actor=cast.manager)


def decide(cast, referral, decision, reason, **family):
    return referral_services.referral_decide(
        referral=referral, decision=decision, reason=reason, notes="Decided", actor=cast.manager, **family
    )


@pytest.fixture
def districts(cast):
    return [cast.team.base.district.name, cast.other_team.base.district.name]


# 1. Families supported in a period: the same plan active at some moment in it.


def test_family_whose_only_active_plan_ended_before_the_quarter_is_not_supported_in_it(cast, districts):
    ended_in_february = family_with_plan(cast, activated=date(2025, 1, 10), closed=date(2025, 2, 14))
    with on(date(2025, 7, 28)):  # referred again (support had ended, so a new plan needs a referral)
        again = received_referral(team=cast.team, actor=cast.worker)
        decide(cast, again, "accept", "meets_threshold", family=ended_in_february)
        referral_services.referral_allocate(referral=again, worker=cast.worker, actor=cast.manager)
    with on(date(2025, 8, 1)):
        draft_plan(family=ended_in_february, worker=cast.worker)  # a new plan, never approved to start
    family_with_plan(cast, activated=date(2025, 3, 3))  # still open: supported
    family_with_plan(cast, activated=date(2025, 5, 6), closed=date(2025, 7, 10))  # active in July: supported
    family_with_plan(cast, activated=date(2025, 10, 6))  # starts after the quarter: not supported
    broadland = cast.team.base.district.name

    # By hand: the open family and the one closed on 10 July; not February's (its only active plan ended
    # before 1 July, the draft never started) nor October's.
    supported = row(kpis.equality_monitoring(Q2, districts), "Families supported")
    assert (supported.values[broadland], supported.values[COUNTY]) == (2, 2)
    reach = row(kpis.reach_high_need(Q2, districts), "In the highest-need localities")
    assert reach.bases[COUNTY] == 2


# 4. Re-referrals: every referral received in the period for a family whose support ended in the 12 months
# before it, whatever the triage decision.


def test_rereferral_counts_whatever_the_triage_decision(cast, districts):
    closed_in_february = family_with_plan(cast, activated=date(2025, 1, 10), closed=date(2025, 2, 14))
    closed_in_march = family_with_plan(cast, activated=date(2025, 1, 13), closed=date(2025, 3, 14))
    closed_in_april = family_with_plan(cast, activated=date(2025, 2, 10), closed=date(2025, 4, 11))
    closed_long_ago = family_with_plan(cast, activated=date(2024, 4, 8), closed=date(2024, 6, 14))

    def referral_for(family, received: date, decided: date, decision: str, reason: str):
        with on(received):
            referral = received_referral(team=cast.team, actor=cast.worker)
        with on(decided):
            decide(cast, referral, decision, reason, family=family)

    # Counted: signposted, stepped up and accepted re-referrals within 12 months of the family's closure.
    referral_for(closed_in_february, date(2025, 7, 7), date(2025, 7, 8), "signpost", "community_groups")
    referral_for(closed_in_march, date(2025, 8, 14), date(2025, 8, 15), "step_up", "social_care")
    referral_for(closed_in_april, date(2025, 9, 1), date(2025, 9, 2), "accept", "meets_threshold")
    # Not counted: support ended more than 12 months before; a new family; received in the quarter
    # but only known to be for a family at its decision after the quarter; received before the quarter.
    referral_for(closed_long_ago, date(2025, 8, 1), date(2025, 8, 4), "signpost", "information_advice")
    with on(date(2025, 8, 5)):
        allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    referral_for(closed_in_february, date(2025, 9, 29), date(2025, 10, 2), "no_further_action", "needs_met")
    referral_for(closed_in_february, date(2025, 6, 30), date(2025, 7, 1), "signpost", "information_advice")

    rereferrals = row(kpis.step_ups_and_downs(Q2, districts), "Re-referrals within 12 months")
    assert rereferrals.values[cast.team.base.district.name] == 3
    assert rereferrals.values[COUNTY] == 3


def test_family_chosen_on_the_referral_page_when_signposting_makes_it_a_rereferral(client, cast, districts):
    closed_in_march = family_with_plan(cast, activated=date(2025, 1, 13), closed=date(2025, 3, 14))
    with on(date(2025, 8, 11)):
        referral = received_referral(team=cast.team, actor=cast.worker)  # same names and postcode: a match
    client.force_login(cast.manager)
    with on(date(2025, 8, 12)):
        response = client.post(
            reverse("referral-decide", args=[referral.uuid]),
            {
                "decision": "signpost",
                "reason": "community_groups",
                "notes": "Stay and play",
                "family_choice": closed_in_march.reference,
            },
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.family) == (Referral.Status.SIGNPOSTED, closed_in_march)
    assert referral.previous_closure_at == at(date(2025, 3, 14))
    closed_in_march.refresh_from_db()
    assert closed_in_march.status == Family.Status.CLOSED  # signposting does not reopen the family
    # By hand: one referral in the quarter, for a family closed five months before it.
    assert row(kpis.step_ups_and_downs(Q2, districts), "Re-referrals within 12 months").values[COUNTY] == 1


# 5. Step-ups: to social care and to Family Focus at triage, and plans closed as stepped up, each once.


def test_step_ups_are_counted_by_destination_and_plans_closed_as_stepped_up_separately(cast, districts):
    def stepped_up(received: date, decided: date, reason: str):
        with on(received):
            referral = received_referral(team=cast.team, actor=cast.worker)
        with on(decided):
            decide(cast, referral, "step_up", reason)

    stepped_up(date(2025, 7, 7), date(2025, 7, 8), "social_care")
    stepped_up(date(2025, 7, 7), date(2025, 7, 9), "social_care")
    stepped_up(date(2025, 7, 14), date(2025, 7, 15), "family_focus")
    stepped_up(date(2025, 6, 27), date(2025, 6, 30), "social_care")  # decided in the quarter before
    family_with_plan(cast, activated=date(2025, 5, 6), closed=date(2025, 8, 20), reason="stepped_up")
    family_with_plan(cast, activated=date(2025, 5, 6), closed=date(2025, 8, 21), reason="needs_met")

    rows = kpis.step_ups_and_downs(Q2, districts)
    broadland = cast.team.base.district.name
    expected = {
        "Stepped up at triage to children's social care": 2,
        "Stepped up at triage to Family Focus": 1,
        "Plans closed as stepped up": 1,
    }
    for label, count in expected.items():
        assert (row(rows, label).values[broadland], row(rows, label).values[COUNTY]) == (count, count), label


# 2. Timescales: the cohort that fell due in the period, as it stood on the due date (UK time).


def test_triage_timescale_counts_referrals_due_in_the_period_as_they_stood_on_the_due_date(cast, districts):
    def referral(received: date, decided: date | None = None, hour: int = 10):
        with on(received, 9):
            made = received_referral(team=cast.team, actor=cast.worker)
        if decided:
            with on(decided, hour):
                decide(cast, made, "signpost", "community_groups")
        return made

    # Triage falls due 3 working days after receipt.
    referral(date(2025, 6, 30), decided=date(2025, 7, 3), hour=17)  # received in Q1, due Thu 3 Jul: on time
    referral(date(2025, 7, 3), decided=date(2025, 7, 9))  # due Tue 8 Jul, decided the day after: late
    referral(date(2025, 9, 22), decided=date(2025, 10, 2))  # due Thu 25 Sep, decided after the quarter: late
    referral(date(2025, 9, 8), decided=date(2025, 9, 12), hour=0)  # due Thu 11 Sep, 00:00 BST on Fri 12: late
    referral(date(2025, 8, 4), decided=date(2025, 8, 6))  # due Thu 7 Aug: on time
    # Not in the quarter's cohort: due Wed 1 Oct (not yet due when the quarter ends); due Mon 30 Jun (Q1).
    referral(date(2025, 9, 26))
    referral(date(2025, 6, 25), decided=date(2025, 7, 1))

    # By hand: 5 referrals fell due in the quarter, 2 triaged by the end of their due day: 40%.
    triaged = row(kpis.triaged_within_timescale(Q2, districts), "Triaged on time")
    broadland = cast.team.base.district.name
    assert (triaged.values[broadland], triaged.bases[broadland]) == (40.0, 5)
    assert (triaged.values[COUNTY], triaged.bases[COUNTY]) == (40.0, 5)


def test_first_contact_timescale_counts_open_referrals_due_in_the_period_as_they_stood_on_the_due_date(cast, districts):
    def allocated(received: date):
        with on(received, 9):
            return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)

    def contact(referral, day: date, mode: str, hour: int = 11):
        with on(day, hour):
            if mode == "home_visit":
                home_visit(family=referral.family, worker=cast.worker, occurred_at=timezone.now())
            else:
                support_services.contact_log(
                    family=referral.family,
                    actor=cast.worker,
                    occurred_at=timezone.now(),
                    duration_minutes=15,
                    mode=mode,
                    notes="Spoke",
                )

    # First contact falls due 10 working days after receipt: Mon 7 Jul → Mon 21 Jul.
    contact(allocated(date(2025, 7, 7)), date(2025, 7, 18), "home_visit")  # on time
    contact(allocated(date(2025, 7, 7)), date(2025, 7, 21), "home_visit", hour=20)  # on the due day: on time
    texted_then_called = allocated(date(2025, 7, 7))
    contact(texted_then_called, date(2025, 7, 10), "message")  # a text is not a first contact
    contact(texted_then_called, date(2025, 7, 22), "phone")  # the call came a day late
    stepped_up_later = allocated(date(2025, 7, 7))
    with on(date(2025, 7, 28)):  # a week after the due date: it stays in the cohort, missed
        decide(cast, stepped_up_later, "step_up", "social_care")
    with on(date(2025, 7, 7), 9):
        never_triaged = received_referral(team=cast.team, actor=cast.worker)  # open on the due date: missed
        signposted = received_referral(team=cast.team, actor=cast.worker)
    with on(date(2025, 7, 9)):
        decide(cast, signposted, "signpost", "community_groups")  # closed at triage before it fell due
    contact(allocated(date(2025, 9, 15)), date(2025, 9, 29), "video", hour=18)  # due Mon 29 Sep: on time
    contact(allocated(date(2025, 6, 23)), date(2025, 7, 3), "home_visit")  # received in Q1, due Mon 7 Jul
    allocated(date(2025, 9, 23))  # due Tue 7 Oct: not yet due when the quarter ends

    # By hand: 7 referrals fell due in the quarter and were open on their due date (not the signposted one,
    # nor the one due in October); 4 had a visit, call or video by the end of it: 57.1%.
    assert never_triaged.family_id is None
    first = row(kpis.first_contact_within_timescale(Q2, districts), "First contact on time")
    broadland = cast.team.base.district.name
    assert (first.values[broadland], first.bases[broadland]) == (57.1, 7)
    assert (first.values[COUNTY], first.bases[COUNTY]) == (57.1, 7)


# Final once the period ends: what happens afterwards never changes a past period's figures.


def test_quarter_regenerated_six_weeks_later_after_a_step_up_a_closure_and_a_rereferral_is_unchanged(cast):
    from reporting.figures import compute_figures

    from .dataset import build

    built = build(cast)
    with on(date(2025, 10, 1), 7):  # the first working day after the quarter
        first = compute_figures(Q2, with_trend=False)

    never_triaged = Referral.objects.get(status=Referral.Status.RECEIVED)  # received 5 Aug, due in the quarter
    with on(date(2025, 10, 6)):
        referral_services.referral_decide(
            referral=never_triaged,
            decision="step_up",
            reason="social_care",
            notes="Escalated",
            actor=cast.other_manager,
        )
    never_contacted = built["families"][5].referrals.get()  # allocated, first contact due 24 Jul, missed
    with on(date(2025, 10, 13)):
        decide(cast, never_contacted, "step_up", "family_focus")
    with on(date(2025, 10, 20)):
        close_plan(cast, built["plans"][2], reason="stepped_up")
    with on(date(2025, 11, 3)):
        again = received_referral(team=cast.team, actor=cast.worker)
    with on(date(2025, 11, 4)):
        decide(cast, again, "signpost", "community_groups", family=built["families"][0])

    with on(date(2025, 11, 12)):  # six weeks later
        assert compute_figures(Q2, with_trend=False) == first


# 6. Funded early education take-up: the per-child facts recorded on the family record, and nothing else.


def test_early_education_takeup_counts_eligible_two_year_olds_and_every_three_and_four_year_old(cast, districts):
    family = family_with_plan(cast, activated=date(2025, 7, 1))

    def child(name, born, *, eligible=False, started=None, recorded_on=date(2025, 8, 1)):
        with on(recorded_on):
            person = family_services.family_member_add(
                family=family, actor=cast.worker, kind=Person.Kind.CHILD, first_name=name, last_name="Howes",
                date_of_birth=born, relationship=Person.Relationship.SUBJECT_CHILD,
            )  # fmt: skip
            if eligible or started:
                family_services.child_early_education_record(
                    person=person,
                    eligible_2yo=eligible,
                    started_on=started,
                    setting="Little Acorns" if started else "",
                    actor=cast.worker,
                )
        return person

    # Ages at the quarter's end, 30 Sep 2025.
    child("Ava", date(2023, 3, 1), eligible=True, started=date(2025, 4, 1))  # 2, eligible, taking up
    child("Ben", date(2023, 5, 10), eligible=True)  # 2, eligible, not taking up
    child("Cal", date(2023, 6, 15))  # 2, not eligible: not counted
    child("Dot", date(2022, 2, 1), started=date(2025, 4, 14))  # 3, taking up (from 3 no eligibility needed)
    child("Eve", date(2022, 6, 1), started=date(2025, 10, 1), recorded_on=date(2025, 10, 2))  # 3, starts after
    child("Fay", date(2021, 7, 1))  # 4, not taking up
    # The referral's own child (born 2 years and 30 days before 24 Jun 2025, so 2 and not eligible): not counted.

    rows = kpis.early_education_takeup(Q2, districts)

    # By hand: aged 2 — Ava and Ben eligible, Ava taking up: 1 of 2 = 50.0; aged 3 — Dot and Eve, Dot by
    # 30 Sep: 1 of 2 = 50.0; aged 4 — Fay, not: 0 of 1 = 0.0. All in Broadland (Team A's district).
    broadland = cast.team.base.district.name
    for label, value, base in (("Aged 2", 50.0, 2), ("Aged 3", 50.0, 2), ("Aged 4", 0.0, 1)):
        figure = row(rows, label)
        assert (figure.values[broadland], figure.bases[broadland]) == (value, base), label
        assert (figure.values[COUNTY], figure.bases[COUNTY]) == (value, base), label
