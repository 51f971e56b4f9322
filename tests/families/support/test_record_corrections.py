"""Issue #17 item 3 for tier-2 support records: assessments, goals, actions, reviews, scores and follow-ups are
corrected by their author or a team manager of the family's base, with a reason, keeping what was there; an
assessment, a set of scores or a follow-up recorded on the wrong family is marked recorded in error (never
deleted) and leaves the family's lists and the returns."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families import selectors as family_selectors
from families.models import Assessment, Determinant, FollowUp, GoalProgress, OutcomeAssessment, SupportPlan
from families.support import selectors as support_selectors
from families.support import services as support_services
from families.support.services import assessment_corrections, plan_corrections
from tests.families.factories import (
    GOAL_CODES,
    active_plan,
    closed_plan,
    completed_assessment,
    draft_plan,
    plan_action,
    scores,
)
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def clock():
    """A fixed day: the family is referred at 09:00, everything else is recorded at noon."""
    with time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


@pytest.fixture
def family(cast, clock):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    clock.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=LONDON))
    return family


def _date(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _reviewed(plan, worker, progress="positive", value=5):
    return support_services.plan_review(
        plan=plan,
        reviewed_on=timezone.localdate(),
        progress={goal.pk: progress for goal in plan.goals.all()},
        scores=scores(plan, value),
        notes="Going to stay and play",
        actor=worker,
    )


def _recorded_follow_up(cast, family, clock):
    plan = closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    follow_up = plan.follow_up
    clock.move_to(datetime.combine(follow_up.due_on, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=12))
    support_services.follow_up_record(
        follow_up=follow_up, sustained=True, notes="Still going weekly", actor=cast.worker
    )
    follow_up.refresh_from_db()
    return plan, follow_up


# The whole-family assessment ------------------------------------------------------------------------------


def _assessment_data(assessment, **overrides):
    data = {
        "needs": [need.pk for need in assessment.needs.all()],
        "strengths": assessment.strengths,
        "family_view": assessment.family_view,
        "child_voice": assessment.child_voice,
        **_date("agreed_on", assessment.agreed_on),
        "reason": "Typing mistake",
    }
    data.update(overrides)
    return data


def test_the_author_corrects_an_assessment_and_the_needs_it_had_are_shown(client, cast, family):
    assessment = completed_assessment(family=family, worker=cast.worker)
    speech = Determinant.objects.get(code="speech_language")
    client.force_login(cast.worker)
    data = _assessment_data(assessment, needs=[*(need.pk for need in assessment.needs.all()), speech.pk])
    data["child_voice"] = "Likes the slide"
    response = client.post(reverse("assessment-amend", args=[assessment.uuid]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment.refresh_from_db()
    assert assessment.child_voice == "Likes the slide" and speech in assessment.needs.all()
    latest = assessment.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Typing mistake" and latest.history_user == cast.worker
    page = client.get(reverse("assessment-detail", args=[assessment.uuid])).content.decode()
    assert "Amended on 10 Jun 2026 by Mandy Robinson: Typing mistake" in page
    assert "was Likes the swings; now Likes the slide" in page
    assert "was Parental mental health, Social networks that offer support; now" in page
    assert AuditEvent.objects.filter(action="assessment.amended", object_id=str(assessment.uuid)).count() == 1


def test_an_assessment_correction_needs_a_reason_a_change_and_a_true_date(client, cast, family):
    assessment = completed_assessment(family=family, worker=cast.worker)
    client.force_login(cast.worker)
    url = reverse("assessment-amend", args=[assessment.uuid])
    no_reason = client.post(url, _assessment_data(assessment, strengths="Warm", reason=""))
    assert no_reason.status_code == 400 and "Say why the record is being corrected" in no_reason.content.decode()
    unchanged = client.post(url, _assessment_data(assessment))
    assert unchanged.status_code == 400 and "Nothing was changed" in unchanged.content.decode()
    no_needs = client.post(url, _assessment_data(assessment, needs=[]))
    assert no_needs.status_code == 400 and "Select at least one need" in no_needs.content.decode()
    before_referral = client.post(
        url, _assessment_data(assessment, **_date("agreed_on", timezone.localdate() - timedelta(days=30)))
    )
    assert before_referral.status_code == 400
    assert "must be after the family was first referred" in before_referral.content.decode()
    assessment.refresh_from_db()
    assert assessment.strengths == "Loving, keen to get out more"
    assert not AuditEvent.objects.filter(action="assessment.amended").exists()


def test_an_assessment_not_yet_agreed_is_completed_not_corrected(client, cast, family):
    assessment = support_services.assessment_start(family=family, actor=cast.worker)
    client.force_login(cast.worker)
    assert client.get(reverse("assessment-amend", args=[assessment.uuid])).status_code == 403
    assert client.get(reverse("assessment-in-error", args=[assessment.uuid])).status_code == 200


def test_an_assessment_recorded_in_error_leaves_the_family_record_and_new_plans(client, cast, family):
    assessment = completed_assessment(family=family, worker=cast.worker)
    client.force_login(cast.manager)  # a team manager of the family's base
    response = client.post(reverse("assessment-in-error", args=[assessment.uuid]), {"reason": "Wrong family"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.in_error_at and assessment.in_error_by == cast.manager
    assert Assessment.objects.filter(pk=assessment.pk).exists()  # never deleted
    assert support_selectors.assessed_needs(family=family) == []
    on_record = family_selectors.family_detail(user=cast.manager, reference=family.reference)
    assert on_record.completed_assessment is None and on_record.open_assessment is None
    with pytest.raises(ApplicationError, match="Complete the whole-family assessment"):
        support_services.plan_create(
            family=family,
            kind=SupportPlan.Kind.ONE_TO_ONE,
            goals=[(Determinant.objects.get(code=GOAL_CODES[0]), "Make friends")],
            actor=cast.worker,
        )
    detail = client.get(reverse("assessment-detail", args=[assessment.uuid])).content.decode()
    assert "Recorded in error" in detail and "Correct the assessment" not in detail
    assert client.get(reverse("assessment-amend", args=[assessment.uuid])).status_code == 403
    assert AuditEvent.objects.filter(action="assessment.in_error").count() == 1


def test_an_open_assessment_recorded_in_error_leaves_the_week(cast, family):
    assessment = support_services.assessment_start(family=family, actor=cast.worker)
    week = support_selectors.worker_week(user=cast.worker, today=assessment.due_on)
    assert any(item.what == "Assessment due" for item in week)
    assessment_corrections.assessment_mark_in_error(assessment=assessment, actor=cast.worker, reason="Wrong family")
    week = support_selectors.worker_week(user=cast.worker, today=assessment.due_on)
    assert not any(item.what == "Assessment due" for item in week)
    assert support_selectors.open_assessment(family=family) is None


# Goals and actions ---------------------------------------------------------------------------------------


def test_a_goal_is_re_worded_in_the_familys_words_and_the_wording_kept(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    goal = plan.goals.first()
    client.force_login(cast.worker)
    url = reverse("plan-goal-amend", args=[plan.uuid, goal.pk])
    assert client.get(url).status_code == 200
    unchanged = client.post(url, {"description": goal.description, "reason": "Family's words"})
    assert unchanged.status_code == 400 and "Nothing was changed" in unchanged.content.decode()
    response = client.post(url, {"description": "Kerry knows two other mums", "reason": "In Kerry's words"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Kerry knows two other mums"
    assert [version.description for version in goal.history.order_by("history_date")] == [
        "Better social_networks",
        "Kerry knows two other mums",
    ]
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert "Amended on 10 Jun 2026 by Mandy Robinson: In Kerry&#x27;s words" in page
    assert "was Better social_networks; now Kerry knows two other mums" in page
    assert AuditEvent.objects.filter(action="plan.goal_amended").count() == 1


def test_a_closed_plans_goals_and_actions_are_not_re_worded(client, cast, family):
    plan = closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    goal = plan.goals.first()
    assert not plan_corrections.can_correct_goal(cast.worker, goal)
    assert not plan_corrections.can_correct_goal(cast.manager, goal)
    with pytest.raises(ApplicationError, match="The plan is closed"):
        plan_corrections.goal_amend(goal=goal, actor=cast.manager, reason="Typo", description="New words")
    client.force_login(cast.worker)
    assert client.get(reverse("plan-goal-amend", args=[plan.uuid, goal.pk])).status_code == 403
    assert "Re-word" not in client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()


def test_an_actions_wording_is_corrected_with_a_reason(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    action = plan_action(plan=plan, worker=cast.worker)
    client.force_login(cast.manager)
    url = reverse("plan-action-amend", args=[plan.uuid, action.uuid])
    no_reason = client.post(url, {"description": "Go to stay and play together"})
    assert no_reason.status_code == 400 and "Say why the record is being corrected" in no_reason.content.decode()
    response = client.post(url, {"description": "Go to stay and play together", "reason": "Clearer"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Go to stay and play together"
    assert action.history.order_by("-history_date").first().history_change_reason == "Clearer"
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert "was Visit the children&#x27;s centre together; now Go to stay and play together" in page


def test_who_may_re_word_a_plan(cast, family, deputy):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    goal = plan.goals.first()
    assert plan_corrections.can_correct_goal(cast.worker, goal)  # its author and worker
    assert plan_corrections.can_correct_goal(deputy, goal)  # another manager of the family's base
    assert not plan_corrections.can_correct_goal(cast.colleague, goal)
    assert not plan_corrections.can_correct_goal(cast.other_manager, goal)
    with pytest.raises(ApplicationError, match="Only the plan's worker"):
        plan_corrections.goal_amend(goal=goal, actor=cast.colleague, reason="Typo", description="Other words")


# Reviews ---------------------------------------------------------------------------------------------------


def test_a_reviews_date_notes_and_progress_are_corrected_and_shown(client, cast, family, clock):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    clock.move_to(datetime(2026, 6, 20, 12, 0, tzinfo=LONDON))
    review = _reviewed(plan, cast.worker)
    goal = plan.goals.get(determinant__code="social_networks")
    other = plan.goals.exclude(pk=goal.pk).get()
    client.force_login(cast.worker)
    url = reverse("plan-review-amend", args=[plan.uuid, review.pk])
    corrected = timezone.localdate() - timedelta(days=2)
    data = {
        **_date("reviewed_on", corrected),
        "notes": "Going to stay and play weekly",
        f"progress_{goal.pk}": "no_change",
        f"progress_{other.pk}": "positive",
        "reason": "Wrong day and progress",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    review.refresh_from_db()
    plan.refresh_from_db()
    assert review.reviewed_on == corrected and review.notes == "Going to stay and play weekly"
    assert GoalProgress.objects.get(review=review, goal=goal).progress == "no_change"
    assert OutcomeAssessment.objects.get(review=review).assessed_on == corrected  # its scores take its date
    assert plan.next_review_due == corrected + timedelta(weeks=plan.review_interval_weeks)
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert page.count("Amended on 20 Jun 2026 by Mandy Robinson: Wrong day and progress") == 1
    assert "was Positive change; now No change" in page and "Progress on social networks" in page
    assert AuditEvent.objects.filter(action="plan.review_amended").count() == 1


def test_a_reviews_date_follows_the_rules_for_recording_one(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    review = _reviewed(plan, cast.worker)
    base = {f"progress_{goal.pk}": "positive" for goal in plan.goals.all()} | {"notes": "", "reason": "Date"}
    client.force_login(cast.worker)
    url = reverse("plan-review-amend", args=[plan.uuid, review.pk])
    future = client.post(url, {**base, **_date("reviewed_on", timezone.localdate() + timedelta(days=1))})
    assert future.status_code == 400 and "must be today or in the past" in future.content.decode()
    early = client.post(url, {**base, **_date("reviewed_on", timezone.localdate() - timedelta(days=3))})
    assert early.status_code == 400 and "must be after the family was first referred" in early.content.decode()
    missing = client.post(url, {"notes": "", "reason": "Date", **_date("reviewed_on", timezone.localdate())})
    assert missing.status_code == 400 and "Select the progress made on this goal" in missing.content.decode()
    with pytest.raises(ValidationError):
        plan_corrections.review_amend(
            review=review,
            actor=cast.worker,
            reason="Progress",
            reviewed_on=review.reviewed_on,
            notes=review.notes,
            progress={},
        )
    assert review.history.count() == 1


def test_only_the_reviews_author_or_a_manager_corrects_it(cast, family, deputy):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    review = _reviewed(plan, cast.worker)
    assert plan_corrections.can_correct_review(cast.worker, review)
    assert plan_corrections.can_correct_review(deputy, review)
    assert not plan_corrections.can_correct_review(cast.colleague, review)


# Scores ----------------------------------------------------------------------------------------------------


def test_scores_are_corrected_one_by_one_and_the_old_ones_shown(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    start = plan.outcome_assessments.get(stage="start")
    social = Determinant.objects.get(code="social_networks")
    mental = Determinant.objects.get(code="parental_mental_health")
    client.force_login(cast.worker)
    url = reverse("plan-scores-amend", args=[plan.uuid, start.pk])
    out_of_range = client.post(url, {f"score_{social.pk}": 11, f"score_{mental.pk}": 3, "reason": "Typo"})
    assert (
        out_of_range.status_code == 400 and "Score must be a whole number from 1 to 10" in out_of_range.content.decode()
    )
    unchanged = client.post(url, {f"score_{social.pk}": 3, f"score_{mental.pk}": 3, "reason": "Typo"})
    assert unchanged.status_code == 400 and "Nothing was changed" in unchanged.content.decode()
    response = client.post(url, {f"score_{social.pk}": 2, f"score_{mental.pk}": 3, "reason": "Typed 3 for 2"})
    assert response.status_code == 302
    assert start.scores.get(determinant=social).score == 2
    assert [v.score for v in start.scores.get(determinant=social).history.order_by("history_date")] == [3, 2]
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert page.count("Amended on 10 Jun 2026 by Mandy Robinson: Typed 3 for 2") == 1
    assert "Social networks that offer support score" in page and "was 3; now 2" in page
    assert AuditEvent.objects.filter(action="plan.scores_amended").count() == 1


def test_scores_in_error_leave_the_plan_and_a_draft_plan_scores_again(client, cast, family):
    plan = draft_plan(family=family, worker=cast.worker)
    start = support_services.outcome_record(
        plan=plan, stage="start", scores=scores(plan, 4), assessed_on=timezone.localdate(), actor=cast.worker
    )
    client.force_login(cast.worker)
    response = client.post(reverse("plan-scores-in-error", args=[plan.uuid, start.pk]), {"reason": "Wrong family"})
    assert response.status_code == 302
    start.refresh_from_db()
    assert start.in_error_at and OutcomeAssessment.objects.filter(pk=start.pk).exists()
    with pytest.raises(ApplicationError, match="Record the start scores"):
        support_services.plan_submit_for_activation(plan=plan, actor=cast.worker)
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert "No scores yet." in page
    assert client.get(reverse("plan-scores-amend", args=[plan.uuid, start.pk])).status_code == 404
    again = support_services.outcome_record(
        plan=plan, stage="start", scores=scores(plan, 5), assessed_on=timezone.localdate(), actor=cast.worker
    )
    assert again.pk != start.pk
    support_services.plan_submit_for_activation(plan=plan, actor=cast.worker)
    assert AuditEvent.objects.filter(action="plan.scores_in_error").count() == 1


def test_a_closed_plans_scores_are_not_corrected_but_can_be_marked_in_error(cast, family):
    plan = closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    close = plan.outcome_assessments.get(stage="close")
    assert not plan_corrections.can_correct_scores(cast.worker, close)
    assert plan_corrections.can_mark_scores_in_error(cast.worker, close)
    with pytest.raises(ApplicationError, match="The plan is closed"):
        plan_corrections.scores_amend(assessment=close, actor=cast.manager, reason="Typo", scores=scores(plan, 9))
    assert not plan_corrections.can_mark_scores_in_error(cast.colleague, close)


# The six-month follow-up --------------------------------------------------------------------------------------


def test_a_follow_up_is_corrected_and_its_history_shown(client, cast, family, clock):
    plan, follow_up = _recorded_follow_up(cast, family, clock)
    client.force_login(cast.manager)
    url = reverse("plan-follow-up-amend", args=[plan.uuid])
    unchanged = client.post(url, {"sustained": "yes", "notes": "Still going weekly", "reason": "Typo"})
    assert unchanged.status_code == 400 and "Nothing was changed" in unchanged.content.decode()
    response = client.post(url, {"sustained": "no", "notes": "Stopped going in October", "reason": "Misheard"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.sustained is False and follow_up.notes == "Stopped going in October"
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert "Misheard" in page and "was sustained; now not sustained" in page
    assert AuditEvent.objects.filter(action="plan.follow_up_amended").count() == 1


def test_a_follow_up_in_error_is_kept_and_the_plan_gets_a_new_one(client, cast, family, clock):
    plan, follow_up = _recorded_follow_up(cast, family, clock)
    client.force_login(cast.manager)
    response = client.post(reverse("plan-follow-up-in-error", args=[plan.uuid]), {"reason": "Other family's answers"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.in_error_at and follow_up.in_error_by == cast.manager
    current = plan.follow_up
    assert current.pk != follow_up.pk and current.recorded_at is None and current.due_on == follow_up.due_on
    assert FollowUp.objects.filter(plan=plan).count() == 2  # kept, never deleted
    assert "Record the follow-up" in client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    assert client.get(reverse("plan-follow-up-amend", args=[plan.uuid])).status_code == 403  # nothing recorded


# Scoping: another worker's or team's family answers 404 on every new page ----------------------------------


@pytest.fixture
def records(cast, family, clock):
    # The group plan stays open, so the family (and the worker's sight of it) stays open after the follow-up.
    group = active_plan(family=family, worker=cast.worker, manager=cast.manager, kind="group")
    action = plan_action(plan=group, worker=cast.worker)
    review = _reviewed(group, cast.worker)
    plan, _ = _recorded_follow_up(cast, family, clock)
    assessment = family.assessments.get()
    return {
        "assessment-detail": [assessment.uuid],
        "assessment-amend": [assessment.uuid],
        "assessment-in-error": [assessment.uuid],
        "plan-goal-amend": [group.uuid, group.goals.first().pk],
        "plan-action-amend": [group.uuid, action.uuid],
        "plan-review-amend": [group.uuid, review.pk],
        "plan-scores-amend": [group.uuid, group.outcome_assessments.get(stage="start").pk],
        "plan-scores-in-error": [group.uuid, group.outcome_assessments.get(stage="start").pk],
        "plan-follow-up-amend": [plan.uuid],
        "plan-follow-up-in-error": [plan.uuid],
    }


def test_every_correction_page_is_scoped_to_the_family(client, cast, records):
    for name, args in records.items():
        url = reverse(name, args=args)
        for outsider in (cast.other_worker, cast.other_manager, cast.colleague):
            client.force_login(outsider)
            assert client.get(url).status_code == 404, (name, outsider)
            assert client.post(url, {"reason": "Not mine"}).status_code == 404, (name, outsider)
        client.force_login(cast.worker)
        assert client.get(url).status_code == 200, name
        client.force_login(cast.manager)
        assert client.get(url).status_code == 200, name


def test_anonymising_forgets_the_earlier_versions_of_every_record_that_keeps_them():
    from django.apps import apps

    from privacy.anonymise import WITH_HISTORY

    kept = {model for model, _ in WITH_HISTORY}
    with_history = {
        model
        for model in apps.get_app_config("families").get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    }
    assert with_history <= kept, sorted(model.__name__ for model in with_history - kept)
