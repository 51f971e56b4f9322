import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ecfs.errors import ApplicationError
from families.models import (
    Contact,
    Determinant,
    FollowUp,
    OutcomeAssessment,
    OutcomeScore,
    SafeguardingAction,
    SupportPlan,
)
from families.support import services as support_services
from referrals.models import Referral
from tests.families.factories import active_plan, closed_plan, completed_assessment, draft_plan, home_visit, scores
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _score_data(plan, value):
    return {f"score_{goal.determinant_id}": value for goal in plan.goals.all()}


def test_full_plan_lifecycle_through_the_pages(client, cast, family):
    today = timezone.localdate()
    client.force_login(cast.worker)
    # The one-to-one plan needs the assessment first.
    response = client.post(
        reverse("plan-new", args=[family.reference]),
        {
            "kind": "one_to_one",
            "review_interval_weeks": 8,
            "goal_1_determinant": Determinant.objects.get(code="parental_mental_health").pk,
            "goal_1_description": "Make friends",
        },
    )
    assert response.status_code == 400
    assert "Complete the whole-family assessment" in response.content.decode()
    completed_assessment(family=family, worker=cast.worker)

    mental_health = Determinant.objects.get(code="parental_mental_health")
    networks = Determinant.objects.get(code="social_networks")
    response = client.post(
        reverse("plan-new", args=[family.reference]),
        {
            "kind": "one_to_one",
            "review_interval_weeks": 8,
            "lead_professional": "true",
            "goal_1_determinant": networks.pk,
            "goal_1_description": "Go to a group every week",
            "goal_2_determinant": mental_health.pk,
            "goal_2_description": "See the GP about low mood",
        },
    )
    assert response.status_code == 302
    plan = SupportPlan.objects.get(family=family)
    assert plan.status == SupportPlan.Status.DRAFT and plan.lead_professional

    # Draft → active is refused without start scores.
    client.post(reverse("plan-submit", args=[plan.uuid]))
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.DRAFT
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert "Record the start scores for every goal" in page

    response = client.post(
        reverse("plan-start-scores", args=[plan.uuid]), {**_score_data(plan, 3), **_date("assessed_on", today)}
    )
    assert response.status_code == 302
    client.post(reverse("plan-submit", args=[plan.uuid]))
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.PENDING_ACTIVATION

    # A worker cannot approve their own plan.
    assert client.post(reverse("plan-approve", args=[plan.uuid])).status_code == 403
    client.force_login(cast.manager)
    client.post(reverse("plan-approve", args=[plan.uuid]))
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.ACTIVE
    assert plan.next_review_due == today + timedelta(weeks=8)

    # Review: progress per goal and new scores move the next review on.
    client.force_login(cast.worker)
    review = {**_date("reviewed_on", today), **_score_data(plan, 5), "notes": "Going to stay and play"}
    review.update({f"progress_{goal.pk}": "positive" for goal in plan.goals.all()})
    assert client.post(reverse("plan-review", args=[plan.uuid]), review).status_code == 302
    assert plan.reviews.count() == 1

    # Closing is refused without closing scores and a reason.
    response = client.post(reverse("plan-close", args=[plan.uuid]), {"summary": "Done", **_date("assessed_on", today)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select why the plan is closing" in html and "Enter a score from 1 to 10" in html
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.ACTIVE
    assert not OutcomeAssessment.objects.filter(plan=plan, stage="close").exists()

    close = {
        "reason": "needs_met",
        "summary": "Confident and connected",
        **_score_data(plan, 8),
        **_date("assessed_on", today),
    }
    assert client.post(reverse("plan-close", args=[plan.uuid]), close).status_code == 302
    client.force_login(cast.manager)
    client.post(reverse("plan-approve", args=[plan.uuid]))
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.CLOSED and plan.closure_reason == "needs_met"
    follow_up = FollowUp.objects.get(plan=plan)
    assert follow_up.due_on > today + timedelta(days=180)

    # The journey chart shows every score, readable without colour.
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert "<svg" in page and "Start 3, R1 5, Close 8" in page


def test_a_manager_cannot_approve_a_plan_they_wrote(cast, family):
    from families.models import Determinant

    completed_assessment(family=family, worker=cast.worker)
    plan = support_services.plan_create(
        family=family, kind="one_to_one", goals=[(Determinant.objects.first(), "x")], actor=cast.manager
    )
    support_services.outcome_record(
        plan=plan, stage="start", scores=scores(plan, 4), assessed_on=timezone.localdate(), actor=cast.manager
    )
    support_services.plan_submit_for_activation(plan=plan, actor=cast.manager)
    with pytest.raises(ApplicationError, match="cannot approve your own plan"):
        support_services.plan_approve_activation(plan=plan, actor=cast.manager)


@pytest.mark.parametrize("bad", [0, 11, "seven"], ids=["zero", "eleven", "words"])
def test_scores_outside_1_to_10_are_refused_and_nothing_saved(client, cast, family, bad):
    plan = draft_plan(family=family, worker=cast.worker)
    client.force_login(cast.worker)
    response = client.post(
        reverse("plan-start-scores", args=[plan.uuid]),
        {**_score_data(plan, bad), **_date("assessed_on", timezone.localdate())},
    )
    assert response.status_code == 400
    assert "Score must be a whole number from 1 to 10" in response.content.decode()
    assert not OutcomeScore.objects.exists()


def test_service_refuses_scores_outside_range_too(cast, family):
    from django.core.exceptions import ValidationError

    plan = draft_plan(family=family, worker=cast.worker)
    with pytest.raises(ValidationError):
        support_services.outcome_record(
            plan=plan, stage="start", scores=scores(plan, 11), assessed_on=timezone.localdate(), actor=cast.worker
        )
    assert not OutcomeAssessment.objects.exists()


def contact_data(family, **overrides):
    now = timezone.localtime() - timedelta(minutes=5)
    data = {
        **_date("occurred_on", now.date()),
        "time": now.strftime("%H:%M"),
        "duration_minutes": 45,
        "mode": "home_visit",
        "notes": "Visited at home; mum low but engaging.",
    }
    data.update({f"child_{child.pk}": "yes" for child in family.members.filter(kind="child")})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_safeguarding_concern_reaches_the_manager_until_actioned(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(
        reverse("contact-new", args=[family.reference]), contact_data(family, safeguarding_concern="true")
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.safeguarding_concern

    client.force_login(cast.manager)
    home = client.get(reverse("home")).content.decode()
    assert "Safeguarding concerns" in home and family.reference in home
    client.force_login(cast.other_manager)
    assert family.reference not in client.get(reverse("home")).content.decode()

    client.force_login(cast.manager)
    url = reverse("contact-safeguarding", args=[contact.uuid])
    response = client.post(url, {"action": "no_further_action", "notes": ""})
    assert response.status_code == 400
    assert "reason for no further action" in response.content.decode()
    assert client.get(reverse("home")).content.decode().count(family.reference) >= 1
    response = client.post(url, {"action": "consulted_cads", "notes": "CADS advised monitoring; plan updated"})
    assert response.status_code == 302
    assert SafeguardingAction.objects.get().recorded_by == cast.manager
    assert "Safeguarding concerns" not in client.get(reverse("home")).content.decode()


def test_first_contact_timescale_is_met_by_logging_a_contact(cast, family):
    referral = family.referrals.get()
    assert referral.first_contact_at is None
    contact = home_visit(family=family, worker=cast.worker)
    referral.refresh_from_db()
    assert referral.first_contact_at == contact.occurred_at
    assert referral.status == Referral.Status.ALLOCATED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": -10}, "Duration must be more than 0 minutes"),
        ({"occurred_on_year": timezone.localdate().year + 1}, "must be today or in the past"),
        ({"mode": "community_venue"}, None),
    ],
    ids=["negative-duration", "future", "venue-missing"],
)
def test_bad_contacts_are_refused_and_nothing_saved(client, cast, family, overrides, message):
    client.force_login(cast.worker)
    response = client.post(reverse("contact-new", args=[family.reference]), contact_data(family, **overrides))
    assert response.status_code == 400
    assert message is None or message in response.content.decode()
    if overrides.get("mode") == "community_venue":
        assert "Choose the venue" in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_later_today_is_refused_as_future(cast):
    from django.core.exceptions import ValidationError

    # At 10:00, so that two hours later is still today (after 22:00 it would be tomorrow, refused for its date).
    with time_machine.travel("2026-11-03 10:00 +0000", tick=False):
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        with pytest.raises(ValidationError, match="cannot be in the future"):
            home_visit(family=family, worker=cast.worker, occurred_at=timezone.now() + timedelta(hours=2))
    assert not Contact.objects.exists()


def test_home_visit_must_say_whether_each_child_was_seen(client, cast, family):
    client.force_login(cast.worker)
    data = contact_data(family)
    child = family.members.get(kind="child")
    data.pop(f"child_{child.pk}")
    response = client.post(reverse("contact-new", args=[family.reference]), data)
    assert response.status_code == 400
    assert f"Say whether {child.first_name} was seen" in response.content.decode()
    # A phone call does not need it.
    data["mode"] = "phone"
    assert client.post(reverse("contact-new", args=[family.reference]), data).status_code == 302


def test_the_contact_form_asks_about_each_child_once_and_records_who_was_seen(client, cast, family):
    """#17 item 9: 'Was Alfie seen?' once per child; the list of who was seen is the grown-ups."""
    client.force_login(cast.worker)
    child = family.members.get(kind="child")
    adult = family.members.exclude(kind__in=["child", "unborn"]).first()
    page = client.get(reverse("contact-new", args=[family.reference])).content.decode()
    assert page.count(f"Was {child.first_name} seen?") == 1
    boxes = re.findall(r'<input[^>]*name="people_seen"[^>]*>', page)
    offered = {int(re.search(r'value="(\d+)"', box)[1]) for box in boxes}
    assert adult.pk in offered and child.pk not in offered  # not also offered in "Which adults were seen"
    response = client.post(
        reverse("contact-new", args=[family.reference]), contact_data(family, people_seen=[adult.pk])
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert set(contact.people_seen.all()) == {adult, child}
    assert contact.children_seen.get(child=child).seen is True


def test_closed_needs_met_plan_gets_a_follow_up_recorded_by_the_worker(client, cast, family):
    plan = closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    FollowUp.objects.filter(plan=plan).update(due_on=timezone.localdate())
    client.force_login(cast.worker)
    response = client.post(reverse("plan-follow-up", args=[plan.uuid]), {"sustained": "yes", "notes": "Still going"})
    assert response.status_code == 302
    assert FollowUp.objects.get(plan=plan).sustained is True


def test_worker_week_shows_upcoming_group_sessions_and_own_actions(client, cast, family):
    from tests.venues.factories import course

    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    support_services.plan_action_add(
        plan=plan,
        description="Ring the nursery about a funded place",
        owner="worker",
        due_on=timezone.localdate() + timedelta(days=2),
        actor=cast.worker,
    )
    course(cast=cast, start_date=timezone.localdate() + timedelta(days=1))
    client.force_login(cast.worker)
    html = client.get(reverse("my-week")).content.decode()
    assert "Action: Ring the nursery" in html
    assert "Group: Incredible Years" in html


def test_a_planned_visit_shows_in_my_week_and_can_be_cancelled(client, cast, family):
    from families.models import PlannedVisit

    client.force_login(cast.worker)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("visit-new", args=[family.reference]),
        {**_date("on", day), "time": "10:30", "mode": "home_visit", "notes": "Bring the book bag"},
    )
    assert response.status_code == 302
    assert "Home visit at 10:30: Bring the book bag" in client.get(reverse("my-week")).content.decode()
    visit = PlannedVisit.objects.get()
    assert "Bring the book bag" in client.get(reverse("family-detail", args=[family.reference])).content.decode()
    # Another worker cannot see or cancel it.
    client.force_login(cast.colleague)
    assert client.post(reverse("visit-cancel", args=[visit.uuid])).status_code == 404
    client.force_login(cast.worker)
    client.post(reverse("visit-cancel", args=[visit.uuid]))
    assert "Bring the book bag" not in client.get(reverse("my-week")).content.decode()


def test_a_visit_in_the_past_cannot_be_planned(client, cast, family):
    from families.models import PlannedVisit

    client.force_login(cast.worker)
    day = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("visit-new", args=[family.reference]), {**_date("on", day), "time": "10:30", "mode": "home_visit"}
    )
    assert response.status_code == 400
    assert "must be today or in the future" in response.content.decode()
    assert not PlannedVisit.objects.exists()


def test_worker_week_and_manager_overdue_reviews(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    SupportPlan.objects.filter(pk=plan.pk).update(next_review_due=timezone.localdate() - timedelta(days=3))
    client.force_login(cast.worker)
    html = client.get(reverse("my-week")).content.decode()
    assert "Plan review" in html and "Overdue" in html
    client.force_login(cast.manager)
    assert "1 plan with an overdue review" in client.get(reverse("home")).content.decode()


# The plan, family, contact, landing and week pages' query counts are pinned in tests/test_query_pins.py.


def test_the_assessment_starts_from_the_referral_and_the_plan_from_the_assessment(client, cast, family):
    """#17 item 9: what was asked once is carried forward: the referral's reasons are the assessment's needs to
    start with, and the assessment's needs are the plan's goals to start with."""
    client.force_login(cast.worker)
    reasons = list(family.referrals.get().reasons.values_list("pk", flat=True))
    assert reasons
    support_services.assessment_start(family=family, actor=cast.worker)
    page = client.get(reverse("family-assessment", args=[family.reference])).content.decode()
    ticked = {int(pk) for pk in re.findall(r'<input[^>]*name="needs"[^>]*value="(\d+)"[^>]*checked', page)}
    ticked |= {int(pk) for pk in re.findall(r'<input[^>]*checked[^>]*name="needs"[^>]*value="(\d+)"', page)}
    assert ticked == set(reasons)

    family.assessments.all().delete()
    assessment = completed_assessment(family=family, worker=cast.worker)
    needs = list(assessment.needs.order_by("pk").values_list("pk", flat=True))
    page = client.get(reverse("plan-new", args=[family.reference])).content.decode()
    for slot, need in enumerate(needs[:3], start=1):
        select = re.search(rf'<select[^>]*name="goal_{slot}_determinant"[^>]*>(.*?)</select>', page, re.S)[1]
        assert re.search(rf'<option value="{need}"[^>]*selected', select), slot


def test_a_family_stepped_down_to_universal_services_is_told_where_to(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    client.force_login(cast.worker)
    answers = {
        "reason": "stepped_down",
        "summary": "Settled; confident to go to groups.",
        **_date("assessed_on", timezone.localdate()),
        **_score_data(plan, 7),
    }
    response = client.post(reverse("plan-close", args=[plan.uuid]), answers)
    assert response.status_code == 400
    assert "Say which universal services or community group the family is stepping down to" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.ACTIVE  # nothing saved

    where = "The stay and play at Dereham library"
    response = client.post(reverse("plan-close", args=[plan.uuid]), {**answers, "stepped_down_to": where})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.stepped_down_to) == (SupportPlan.Status.PENDING_CLOSURE, where)
    assert (
        f"Stepped down to universal services: {where}"
        in client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    )


def test_only_a_step_down_keeps_where_to(cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    support_services.plan_request_closure(
        plan=plan,
        reason="needs_met",
        summary="Done",
        scores=scores(plan, 7),
        assessed_on=timezone.localdate(),
        actor=cast.worker,
        stepped_down_to="Toddler group",
    )
    plan.refresh_from_db()
    assert plan.stepped_down_to == ""
