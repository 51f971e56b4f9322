"""Correcting what was recorded in a support plan: a goal's or an action's wording, a review, a set of scores,
the six-month follow-up; and marking scores or a follow-up recorded in error (on the wrong family).

Who: the record's author (for goals and actions, the plan's author or its worker) or a team manager of the
family's base. When: while the plan is open — a closed plan's goals, actions, reviews and scores stand as they
were approved; a follow-up (recorded after the plan closed) while it is not marked in error. A reason is always
required, the earlier version is kept by django-simple-history, and every correction is audited.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.history import keep_first_versions
from families.access import manages_family
from families.models import (
    FollowUp,
    Goal,
    GoalProgress,
    OutcomeAssessment,
    OutcomeScore,
    PlanAction,
    Review,
    SupportPlan,
)

from .corrections import require_reason
from .plans import validate_review_date

AMENDABLE_GOAL_FIELDS = ("description",)
AMENDABLE_ACTION_FIELDS = ("description",)
AMENDABLE_REVIEW_FIELDS = ("reviewed_on", "notes")
AMENDABLE_FOLLOW_UP_FIELDS = ("sustained", "notes")


# Who may, and when (the pages ask these; the services below enforce the same) -------------------------------


def _writes_the_plan(user, plan: SupportPlan) -> bool:
    return user.pk in (plan.created_by_id, plan.worker_id) or manages_family(user, plan.family)


def can_reword_plan(user, plan: SupportPlan) -> bool:
    """Re-word the plan's goals and actions: its author, its worker or a team manager, while it is open."""
    return plan.is_open and _writes_the_plan(user, plan)


def can_correct_goal(user, goal: Goal) -> bool:
    return can_reword_plan(user, goal.plan)


def can_correct_action(user, action: PlanAction) -> bool:
    return can_reword_plan(user, action.plan)


def can_correct_review(user, review: Review) -> bool:
    plan = review.plan
    return plan.is_open and (review.created_by_id == user.pk or manages_family(user, plan.family))


def _may_change_scores(user, assessment: OutcomeAssessment) -> bool:
    if assessment.in_error_at is not None:
        return False
    return assessment.created_by_id == user.pk or manages_family(user, assessment.plan.family)


def can_correct_scores(user, assessment: OutcomeAssessment) -> bool:
    return assessment.plan.is_open and _may_change_scores(user, assessment)


def can_mark_scores_in_error(user, assessment: OutcomeAssessment) -> bool:
    """Scores recorded on the wrong family's plan can be taken out at any time, even after the plan closed:
    they then leave the plan's charts and the outcome figures."""
    return _may_change_scores(user, assessment)


def can_correct_follow_up(user, follow_up: FollowUp) -> bool:
    if follow_up.in_error_at is not None or follow_up.recorded_at is None:
        return False
    return follow_up.recorded_by_id == user.pk or manages_family(user, follow_up.plan.family)


can_mark_follow_up_in_error = can_correct_follow_up


# Shared steps -----------------------------------------------------------------------------------------------


def _locked_plan(plan_id: int) -> SupportPlan:
    return SupportPlan.objects.select_for_update().select_related("family").get(pk=plan_id)


def _require_open(plan: SupportPlan) -> None:
    if not plan.is_open:
        raise ApplicationError("The plan is closed: what was recorded in it stands as it was approved.")


def _refuse(allowed: bool, what: str) -> None:
    if not allowed:
        raise ApplicationError(f"Only {what} or a team manager of the family's base can correct it.")


def _keep(record, *, actor, reason: str, moment=None) -> None:
    record._change_reason = reason
    record._history_user = actor
    if moment is not None:
        record._history_date = moment  # one moment for a correction spanning rows: the page shows it once
    record.save()


def _audit(plan: SupportPlan, actor, action: AuditAction, summary: str, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=plan, family=plan.family, summary=summary[:300], changes=changes)


def _nothing_changed() -> ValidationError:
    return ValidationError({"reason": "Nothing was changed: correct at least one answer"})


# Goals and actions: the wording ----------------------------------------------------------------------------


@transaction.atomic
def goal_amend(*, goal: Goal, actor, reason: str, description: str) -> Goal:
    """Re-word a goal (the family's words); the need it is about stays."""
    reason = require_reason(reason)
    plan = _locked_plan(goal.plan_id)
    goal = Goal.objects.select_for_update().select_related("determinant").get(pk=goal.pk)
    goal.plan = plan
    _require_open(plan)
    _refuse(can_correct_goal(actor, goal), "the plan's worker")
    description = description.strip()
    if not description:
        raise ValidationError({"description": "Describe the goal in the family's words"})
    if description == goal.description:
        raise _nothing_changed()
    keep_first_versions(Goal, [goal])  # goals are written in bulk when the plan is drafted
    old = goal.description
    goal.description = description
    _keep(goal, actor=actor, reason=reason)
    _audit(
        plan,
        actor,
        AuditAction.PLAN_GOAL_AMENDED,
        f"Goal ({goal.determinant.name.lower()}) re-worded: {reason}",
        {"description": {"old": old, "new": description}, "reason": reason},
    )
    return goal


@transaction.atomic
def action_amend(*, action: PlanAction, actor, reason: str, description: str) -> PlanAction:
    """Re-word an action (who does it, when it is due and whether it is done change on their own pages)."""
    reason = require_reason(reason)
    plan = _locked_plan(action.plan_id)
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    action.plan = plan
    _require_open(plan)
    _refuse(can_correct_action(actor, action), "the plan's worker")
    description = description.strip()
    if not description:
        raise ValidationError({"description": "Describe the action"})
    if description == action.description:
        raise _nothing_changed()
    old = action.description
    action.description = description
    _keep(action, actor=actor, reason=reason)
    _audit(
        plan,
        actor,
        AuditAction.PLAN_ACTION_AMENDED,
        f"Plan action re-worded: {reason}",
        {"description": {"old": old, "new": description}, "reason": reason},
    )
    return action


# Reviews ------------------------------------------------------------------------------------------------


@transaction.atomic
def review_amend(
    *, review: Review, actor, reason: str, reviewed_on: date, notes: str, progress: dict[int, str]
) -> Review:
    """Correct a review's date, notes or the progress recorded on each goal. The date follows the rules for
    recording a review; the review's scores take its date, and the latest review sets when the next is due."""
    reason = require_reason(reason)
    plan = _locked_plan(review.plan_id)
    review = Review.objects.select_for_update().get(pk=review.pk)
    review.plan = plan
    _require_open(plan)
    _refuse(can_correct_review(actor, review), "the person who recorded the review")
    validate_review_date(plan, reviewed_on, review=review)
    rows = list(review.progress.select_for_update().select_related("goal__determinant"))
    errors = {
        f"progress_{row.goal_id}": "Select the progress made on this goal"
        for row in rows
        if progress.get(row.goal_id) not in GoalProgress.Progress.values
    }
    if errors:
        raise ValidationError(errors)
    changed = [
        name for name, value in (("reviewed_on", reviewed_on), ("notes", notes)) if getattr(review, name) != value
    ]
    moved = [row for row in rows if row.progress != progress[row.goal_id]]
    changed += [f"progress on {row.goal.determinant.name.lower()}" for row in moved]
    if not changed:
        raise _nothing_changed()
    keep_first_versions(GoalProgress, moved)  # written in bulk with the review
    moment = timezone.now()
    review.reviewed_on, review.notes = reviewed_on, notes
    _keep(review, actor=actor, reason=reason, moment=moment)
    for row in moved:
        row.progress = progress[row.goal_id]
        _keep(row, actor=actor, reason=reason, moment=moment)
    OutcomeAssessment.objects.filter(review=review, in_error_at__isnull=True).update(assessed_on=reviewed_on)
    latest = plan.reviews.order_by("-reviewed_on", "-pk").first()
    if plan.status == SupportPlan.Status.ACTIVE and latest is not None:
        plan.next_review_due = latest.reviewed_on + timedelta(weeks=plan.review_interval_weeks)
        plan.save(update_fields=["next_review_due", "modified_at"])
    _audit(
        plan,
        actor,
        AuditAction.PLAN_REVIEW_AMENDED,
        f"Review corrected ({', '.join(name.replace('_', ' ') for name in changed)}): {reason}",
        {"fields": changed, "reason": reason},
    )
    return review


# Scores -------------------------------------------------------------------------------------------------


def _locked_scores(assessment: OutcomeAssessment, actor, allowed) -> OutcomeAssessment:
    plan = _locked_plan(assessment.plan_id)
    assessment = OutcomeAssessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.plan = plan
    if assessment.in_error_at is not None:
        raise ApplicationError("These scores were marked recorded in error: they cannot be changed.")
    _refuse(allowed(actor, assessment), "the person who recorded the scores")
    return assessment


@transaction.atomic
def scores_amend(*, assessment: OutcomeAssessment, actor, reason: str, scores: dict) -> OutcomeAssessment:
    """Correct the 1–10 scores of one set (start, review or close); the returns read the corrected scores."""
    reason = require_reason(reason)
    assessment = _locked_scores(assessment, actor, _may_change_scores)
    _require_open(assessment.plan)
    rows = {row.determinant_id: row for row in assessment.scores.select_for_update().select_related("determinant")}
    by_pk = {getattr(key, "pk", key): value for key, value in scores.items()}
    if set(by_pk) - set(rows):
        raise ValidationError({"__all__": "Scores can only be corrected for the needs that were scored"})
    errors = {}
    for determinant_id in rows:
        value = by_pk.get(determinant_id)
        if value in (None, "") or not str(value).isdigit() or not 1 <= int(value) <= 10:
            errors[f"score_{determinant_id}"] = "Score must be a whole number from 1 to 10"
    if errors:
        raise ValidationError(errors)
    moved = [row for pk, row in rows.items() if row.score != int(by_pk[pk])]
    if not moved:
        raise _nothing_changed()
    keep_first_versions(OutcomeAssessment, [assessment])
    keep_first_versions(OutcomeScore, moved)  # scores are written in bulk
    moment = timezone.now()
    _keep(assessment, actor=actor, reason=reason, moment=moment)
    changes = {}
    for row in moved:
        changes[row.determinant.name] = {"old": row.score, "new": int(by_pk[row.determinant_id])}
        row.score = int(by_pk[row.determinant_id])
        _keep(row, actor=actor, reason=reason, moment=moment)
    _audit(
        assessment.plan,
        actor,
        AuditAction.PLAN_SCORES_AMENDED,
        f"{assessment.get_stage_display()} scores corrected ({', '.join(changes)}): {reason}",
        {"scores": changes, "reason": reason},
    )
    return assessment


@transaction.atomic
def scores_mark_in_error(*, assessment: OutcomeAssessment, actor, reason: str) -> OutcomeAssessment:
    """Scores recorded on the wrong family's plan: kept, but out of the plan's charts and the outcome figures.
    A draft plan's start scores can then be recorded again."""
    reason = require_reason(reason)
    assessment = _locked_scores(assessment, actor, can_mark_scores_in_error)
    assessment.in_error_at = timezone.now()
    assessment.in_error_by = actor
    assessment.in_error_reason = reason
    keep_first_versions(OutcomeAssessment, [assessment])
    _keep(assessment, actor=actor, reason=f"Recorded in error: {reason}")
    _audit(
        assessment.plan,
        actor,
        AuditAction.PLAN_SCORES_IN_ERROR,
        f"{assessment.get_stage_display()} scores marked recorded in error: {reason}",
        {"reason": reason},
    )
    return assessment


# The six-month follow-up ----------------------------------------------------------------------------------


def _locked_follow_up(follow_up: FollowUp, actor) -> FollowUp:
    plan = _locked_plan(follow_up.plan_id)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    follow_up.plan = plan
    if follow_up.in_error_at is not None:
        raise ApplicationError("This follow-up was marked recorded in error: it cannot be changed.")
    if follow_up.recorded_at is None:
        raise ApplicationError("This follow-up is not recorded yet: record it instead of correcting it.")
    _refuse(can_correct_follow_up(actor, follow_up), "the person who recorded the follow-up")
    return follow_up


@transaction.atomic
def follow_up_amend(*, follow_up: FollowUp, actor, reason: str, sustained: bool, notes: str) -> FollowUp:
    reason = require_reason(reason)
    follow_up = _locked_follow_up(follow_up, actor)
    changed = [
        name for name, value in (("sustained", sustained), ("notes", notes)) if getattr(follow_up, name) != value
    ]
    if not changed:
        raise _nothing_changed()
    follow_up.sustained, follow_up.notes = sustained, notes
    _keep(follow_up, actor=actor, reason=reason)
    _audit(
        follow_up.plan,
        actor,
        AuditAction.PLAN_FOLLOW_UP_AMENDED,
        f"Six-month follow-up corrected ({', '.join(changed)}): {reason}",
        {"fields": changed, "reason": reason},
    )
    return follow_up


@transaction.atomic
def follow_up_mark_in_error(*, follow_up: FollowUp, actor, reason: str) -> FollowUp:
    """Recorded on the wrong family: kept, but out of the returns; the plan gets a new follow-up, due when this one
    was, to record for the right family."""
    reason = require_reason(reason)
    follow_up = _locked_follow_up(follow_up, actor)
    follow_up.in_error_at = timezone.now()
    follow_up.in_error_by = actor
    follow_up.in_error_reason = reason
    _keep(follow_up, actor=actor, reason=f"Recorded in error: {reason}")
    FollowUp.objects.create(plan=follow_up.plan, due_on=follow_up.due_on)
    _audit(
        follow_up.plan,
        actor,
        AuditAction.PLAN_FOLLOW_UP_IN_ERROR,
        f"Six-month follow-up marked recorded in error: {reason}",
        {"reason": reason},
    )
    return follow_up
