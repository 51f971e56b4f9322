"""Support plans (DESIGN §3): draft → active → closed, with manager approval to start and to close.

Scores: every determinant in the plan's goals gets a 1–10 score at the start
(required before it becomes active), at each review, and at the close
(required before it closes).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import is_allocated, manages_family
from families.models import (
    Assessment,
    Determinant,
    Family,
    FollowUp,
    Goal,
    GoalProgress,
    OutcomeAssessment,
    OutcomeScore,
    ParentProgress,
    Person,
    PlanAction,
    Review,
    SupportPlan,
)
from families.rules import (
    long_date,
    require_consent_to_share,
    validate_action_done,
    validate_action_due,
    validate_event_date,
)
from families.selectors import first_referred_on
from families.services.households import follow_up_access_end, open_lead_allocation, support_end

Status = SupportPlan.Status
Stage = OutcomeAssessment.Stage


def _locked(plan: SupportPlan) -> SupportPlan:
    return SupportPlan.objects.select_for_update().select_related("family").get(pk=plan.pk)


# The plan's state machine: for each status, what may be done to the plan and the status it leaves the plan in.
# The services' guards read it, and so do the predicates below that the pages ask.
START_SCORES, ADD_ACTION, SUBMIT, APPROVE, RETURN = "start_scores", "add_action", "submit", "approve", "return"
REVIEW, CLOSING_SCORES = "review", "closing_scores"
REQUEST_CLOSURE, APPROVE_CLOSURE = "request_closure", "approve_closure"
CHANGE_ACTION = "change_action"  # mark an action done, reopen, reassign or re-date it
PLAN_TRANSITIONS: dict[str, dict[str, str]] = {
    Status.DRAFT: {START_SCORES: Status.DRAFT, ADD_ACTION: Status.DRAFT, SUBMIT: Status.PENDING_ACTIVATION},
    Status.PENDING_ACTIVATION: {
        ADD_ACTION: Status.PENDING_ACTIVATION,
        CHANGE_ACTION: Status.PENDING_ACTIVATION,
        APPROVE: Status.ACTIVE,
        RETURN: Status.DRAFT,
    },
    Status.ACTIVE: {
        ADD_ACTION: Status.ACTIVE,
        CHANGE_ACTION: Status.ACTIVE,
        REVIEW: Status.ACTIVE,
        CLOSING_SCORES: Status.ACTIVE,
        REQUEST_CLOSURE: Status.PENDING_CLOSURE,
    },
    Status.PENDING_CLOSURE: {
        CHANGE_ACTION: Status.PENDING_CLOSURE,
        APPROVE_CLOSURE: Status.CLOSED,
        RETURN: Status.ACTIVE,
    },
    Status.CLOSED: {},
}


def plan_allows(plan: SupportPlan, step: str) -> bool:
    return step in PLAN_TRANSITIONS[plan.status]


def _require_status(plan: SupportPlan, step: str, *, doing: str) -> None:
    if not plan_allows(plan, step):
        raise ApplicationError(f"A plan that is {plan.get_status_display().lower()} cannot be {doing}.")


# What the pages ask (the same rules the services below enforce, short of checks on the plan's scores).


def can_submit_plan(user, plan: SupportPlan) -> bool:
    return plan_allows(plan, SUBMIT)


def can_add_plan_action(user, plan: SupportPlan) -> bool:
    return plan_allows(plan, ADD_ACTION)


def may_change_plan_actions(user, plan: SupportPlan) -> bool:
    """Who may mark a plan's actions done, reopen, reassign or re-date them: the plan's worker, a worker
    allocated to the family now, or a manager of the family's base."""
    return plan.worker_id == user.pk or manages_family(user, plan.family) or is_allocated(user, plan.family)


def can_change_plan_actions(user, plan: SupportPlan) -> bool:
    return plan_allows(plan, CHANGE_ACTION) and may_change_plan_actions(user, plan)


def can_review_plan(user, plan: SupportPlan) -> bool:
    return plan_allows(plan, REVIEW)


def can_request_closure(user, plan: SupportPlan) -> bool:
    return plan_allows(plan, REQUEST_CLOSURE)


def can_approve_plan(user, plan: SupportPlan) -> bool:
    """Approve a plan to start or to close: a manager of the family's base who is not the plan's worker."""
    return (
        (plan_allows(plan, APPROVE) or plan_allows(plan, APPROVE_CLOSURE))
        and plan.worker_id != user.pk
        and manages_family(user, plan.family)
    )


def can_return_plan(user, plan: SupportPlan) -> bool:
    return plan_allows(plan, RETURN) and manages_family(user, plan.family)


# Assessment -----------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, family: Family, actor) -> Assessment:
    """Start the family's assessment; one already started is returned as it is (a double submit starts one)."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    started_already = (
        family.assessments.filter(completed_at__isnull=True, in_error_at__isnull=True).order_by("-created_at").first()
    )
    if started_already is not None:
        return started_already
    lead = open_lead_allocation(family)
    started = timezone.localtime(lead.started_at).date() if lead else timezone.localdate()
    assessment = Assessment.objects.create(
        family=family,
        due_on=started + timedelta(weeks=Assessment.DUE_WEEKS_AFTER_ALLOCATION),
        created_by=actor,
    )
    audit_record(
        actor=actor, action=AuditAction.ASSESSMENT_STARTED, obj=assessment, family=family, summary="Assessment started"
    )
    return assessment


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    needs: list[Determinant],
    strengths: str,
    family_view: str,
    child_voice: str,
    agreed_on: date,
    actor,
    history: bool = False,
) -> Assessment:
    """``history=True`` (the import only): a previous provider's assessment, which may predate the service."""
    assessment = Assessment.objects.select_for_update().select_related("family").get(pk=assessment.pk)
    if assessment.completed_at:
        raise ApplicationError("This assessment is already complete.")
    if not needs:
        raise ValidationError({"needs": "Select at least one need"})
    validate_event_date(
        agreed_on,
        field="agreed_on",
        today=timezone.localdate(),
        first_referred=first_referred_on(assessment.family),
        what="The date it was agreed",
        history=history,
    )
    assessment.strengths = strengths
    assessment.family_view = family_view
    assessment.child_voice = child_voice
    assessment.agreed_on = agreed_on
    assessment.completed_at = timezone.now()
    assessment.save()
    assessment.needs.set(needs)
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_COMPLETED,
        obj=assessment,
        family=assessment.family,
        summary=f"Assessment agreed with the family ({len(needs)} need{'s' if len(needs) != 1 else ''})",
    )
    return assessment


# Plans ----------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    family: Family,
    kind: str,
    goals: list[tuple[Determinant, str]],
    actor,
    lead_professional: bool = False,
    review_interval_weeks: int = 8,
) -> SupportPlan:
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status == Family.Status.CLOSED:
        raise ApplicationError(
            f"Support for {family.reference} has ended, so no new plan can start. To support the family again, "
            "refer them for support: once the referral is accepted and allocated, a plan can start."
        )
    if not goals:
        raise ValidationError({"__all__": "Add at least one goal"})
    determinants = [determinant for determinant, _ in goals]
    if len(set(determinants)) != len(determinants):
        raise ValidationError({"__all__": "Each goal must be about a different need"})
    if not 6 <= review_interval_weeks <= 12:
        raise ValidationError({"review_interval_weeks": "Reviews must be every 6 to 12 weeks"})
    if (
        kind == SupportPlan.Kind.ONE_TO_ONE
        and not family.assessments.filter(completed_at__isnull=False, in_error_at__isnull=True).exists()
    ):
        raise ApplicationError("Complete the whole-family assessment before starting a one-to-one plan.")
    if family.plans.filter(kind=kind, status__in=SupportPlan.OPEN_STATUSES).exists():
        raise ApplicationError(f"{family.reference} already has an open {SupportPlan.Kind(kind).label.lower()} plan.")
    plan = SupportPlan.objects.create(
        family=family,
        kind=kind,
        worker=actor,
        lead_professional=lead_professional,
        review_interval_weeks=review_interval_weeks,
        created_by=actor,
    )
    Goal.objects.bulk_create(
        [Goal(plan=plan, determinant=determinant, description=text.strip()) for determinant, text in goals]
    )
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CREATED,
        obj=plan,
        family=family,
        summary=f"{plan.get_kind_display()} plan drafted with {len(goals)} goal{'s' if len(goals) != 1 else ''}",
    )
    return plan


@transaction.atomic
def plan_action_add(
    *,
    plan: SupportPlan,
    description: str,
    owner: str,
    due_on: date,
    actor,
    goal: Goal | None = None,
    owner_person: Person | None = None,
    owner_professional=None,
) -> PlanAction:
    plan = _locked(plan)
    _require_status(plan, ADD_ACTION, doing="given new actions")
    if owner == PlanAction.Owner.FAMILY and (
        owner_person is None or owner_person.family_id != plan.family_id or owner_person.kind == Person.Kind.UNBORN
    ):
        raise ValidationError({"owner_person": "Choose the family member who will do this"})
    if owner == PlanAction.Owner.PROFESSIONAL and (
        owner_professional is None or owner_professional.family_id != plan.family_id
    ):
        raise ValidationError({"owner_professional": "Choose the professional who will do this"})
    if owner == PlanAction.Owner.PROFESSIONAL:
        require_consent_to_share(plan.family, doing="give a plan action to another agency")
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": "Choose one of this plan's goals"})
    _check_due(plan, due_on)
    if plan.actions.filter(
        description=description, owner=owner, due_on=due_on, done_on__isnull=True, goal=goal
    ).exists():
        raise ValidationError({"description": f"This action is already on the plan, due {due_on:%-d %B %Y}"})
    action = PlanAction.objects.create(
        plan=plan,
        goal=goal,
        description=description,
        owner=owner,
        owner_worker=plan.worker if owner == PlanAction.Owner.WORKER else None,
        owner_person=owner_person if owner == PlanAction.Owner.FAMILY else None,
        owner_professional=owner_professional if owner == PlanAction.Owner.PROFESSIONAL else None,
        due_on=due_on,
    )
    audit_record(
        actor=actor, action=AuditAction.PLAN_ACTION_ADDED, obj=plan, family=plan.family, summary="Plan action added"
    )
    return action


def _check_due(plan: SupportPlan, due_on: date) -> None:
    validate_action_due(
        due_on,
        field="due_on",
        today=timezone.localdate(),
        plan_created=timezone.localdate(plan.created_at),
        plan_ends=None,  # a plan has no planned end date yet: reviews every 6–12 weeks until it closes
    )


def _plan_started(plan: SupportPlan) -> date:
    return timezone.localdate(plan.activated_at or plan.created_at)


def _locked_action(action: PlanAction, actor, *, doing: str) -> PlanAction:
    """The action, locked with its plan, once the actor may change it and the plan's status allows it."""
    plan = _locked(action.plan)
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    action.plan = plan
    if not may_change_plan_actions(actor, plan):
        raise ApplicationError(
            "Only the plan's worker, a worker allocated to the family or a team manager of its base can change "
            "its actions."
        )
    if not plan_allows(plan, CHANGE_ACTION):
        raise ApplicationError(
            f"A plan that is {plan.get_status_display().lower()} cannot {doing}: only an active plan or one "
            "awaiting approval can."
        )
    return action


def _audit_action(action: PlanAction, actor, audit: AuditAction, summary: str, changes: dict | None = None) -> None:
    audit_record(
        actor=actor,
        action=audit,
        obj=action.plan,
        family=action.plan.family,
        summary=f"{summary}: {action.description}"[:300],
        changes=changes,
    )


def action_owner_label(action: PlanAction) -> str:
    if action.owner == PlanAction.Owner.FAMILY and action.owner_person:
        return action.owner_person.full_name
    if action.owner == PlanAction.Owner.PROFESSIONAL and action.owner_professional:
        return action.owner_professional.name
    if action.owner_worker:
        return action.owner_worker.get_full_name()
    return "The worker"


@transaction.atomic
def plan_action_done(*, action: PlanAction, done_on: date, actor) -> PlanAction:
    """Mark an action done on a day: today or earlier, not before the plan started."""
    action = _locked_action(action, actor, doing="have its actions marked done")
    if action.done_on:
        raise ApplicationError(f"This action was already marked done on {action.done_on:%-d %B %Y}.")
    validate_action_done(done_on, field="done_on", today=timezone.localdate(), plan_started=_plan_started(action.plan))
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    _audit_action(action, actor, AuditAction.PLAN_ACTION_DONE, "Plan action done", {"done_on": str(done_on)})
    return action


@transaction.atomic
def plan_action_reopen(*, action: PlanAction, reason: str, actor) -> PlanAction:
    """An action marked done that is not done after all: open again, with the reason."""
    action = _locked_action(action, actor, doing="have its actions reopened")
    if not action.done_on:
        raise ApplicationError("This action is not marked done.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the action is being reopened"})
    old = action.done_on
    action.done_on = None
    action.save(update_fields=["done_on"])
    _audit_action(
        action,
        actor,
        AuditAction.PLAN_ACTION_REOPENED,
        f"Plan action reopened ({reason.strip()})",
        {"done_on": {"old": str(old), "new": None}},
    )
    return action


@transaction.atomic
def plan_action_redate(*, action: PlanAction, due_on: date, reason: str, actor) -> PlanAction:
    """A new due date within the plan's life, with the reason."""
    action = _locked_action(action, actor, doing="have its actions re-dated")
    if action.done_on:
        raise ApplicationError("This action is done: reopen it before changing its due date.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the due date is changing"})
    _check_due(action.plan, due_on)
    if due_on == action.due_on:
        raise ValidationError({"due_on": f"The action is already due on {due_on:%-d %B %Y}: enter a new date"})
    old = action.due_on
    action.due_on = due_on
    action.save(update_fields=["due_on"])
    _audit_action(
        action,
        actor,
        AuditAction.PLAN_ACTION_REDATED,
        f"Plan action re-dated to {due_on:%-d %B %Y} ({reason.strip()})",
        {"due_on": {"old": str(old), "new": str(due_on)}},
    )
    return action


@transaction.atomic
def plan_action_reassign(
    *,
    action: PlanAction,
    owner: str,
    actor,
    owner_worker=None,
    owner_person: Person | None = None,
    owner_professional=None,
) -> PlanAction:
    """Give the action to a worker allocated to the family, a family member or another agency working with it."""
    action = _locked_action(action, actor, doing="have its actions reassigned")
    if action.done_on:
        raise ApplicationError("This action is done: reopen it before reassigning it.")
    family = action.plan.family
    if owner == PlanAction.Owner.WORKER:
        if owner_worker is None or not is_allocated(owner_worker, family):
            raise ValidationError({"owner_worker": "Choose a worker allocated to the family"})
    elif owner == PlanAction.Owner.FAMILY:
        if owner_person is None or owner_person.family_id != family.pk or owner_person.kind == Person.Kind.UNBORN:
            raise ValidationError({"owner_person": "Choose the family member who will do this"})
    elif owner == PlanAction.Owner.PROFESSIONAL:
        if owner_professional is None or owner_professional.family_id != family.pk:
            raise ValidationError({"owner_professional": "Choose the professional who will do this"})
        require_consent_to_share(family, doing="give a plan action to another agency")
    else:
        raise ValidationError({"owner": "Select who will do it"})
    before = action_owner_label(action)
    action.owner = owner
    action.owner_worker = owner_worker if owner == PlanAction.Owner.WORKER else None
    action.owner_person = owner_person if owner == PlanAction.Owner.FAMILY else None
    action.owner_professional = owner_professional if owner == PlanAction.Owner.PROFESSIONAL else None
    action.save(update_fields=["owner", "owner_worker", "owner_person", "owner_professional"])
    after = action_owner_label(action)
    _audit_action(
        action,
        actor,
        AuditAction.PLAN_ACTION_REASSIGNED,
        f"Plan action reassigned to {after}",
        {"owner": {"old": before, "new": after}},
    )
    return action


def _validate_scores(plan: SupportPlan, scores: dict) -> dict[int, int]:
    """``scores`` maps determinant (or its pk) to 1–10; every goal's determinant needs one."""
    by_pk = {getattr(key, "pk", key): value for key, value in scores.items()}
    wanted = set(plan.goals.values_list("determinant_id", flat=True))
    errors = {}
    for determinant_id in wanted:
        value = by_pk.get(determinant_id)
        if value in (None, ""):
            errors[f"score_{determinant_id}"] = "Enter a score from 1 to 10"
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 10:
            errors[f"score_{determinant_id}"] = "Score must be a whole number from 1 to 10"
        by_pk[determinant_id] = number
    extra = set(by_pk) - wanted
    if extra:
        errors["__all__"] = "Scores can only be given for the plan's goals"
    if errors:
        raise ValidationError(errors)
    return {determinant_id: by_pk[determinant_id] for determinant_id in wanted}


def _save_scores(*, plan, stage, scores: dict, assessed_on: date, actor, review=None) -> OutcomeAssessment:
    valid = _validate_scores(plan, scores)
    validate_event_date(
        assessed_on,
        field="assessed_on",
        today=timezone.localdate(),
        first_referred=first_referred_on(plan.family),
        what="The date scored",
    )
    assessment, _ = OutcomeAssessment.objects.update_or_create(
        plan=plan,
        stage=stage,
        review=review,
        in_error_at__isnull=True,  # scores marked recorded in error stay as they were; new ones are recorded
        defaults={"assessed_on": assessed_on, "created_by": actor},
    )
    assessment.scores.all().delete()
    OutcomeScore.objects.bulk_create(
        [OutcomeScore(assessment=assessment, determinant_id=pk, score=value) for pk, value in valid.items()]
    )
    return assessment


@transaction.atomic
def outcome_record(*, plan: SupportPlan, stage: str, scores: dict, assessed_on: date, actor) -> OutcomeAssessment:
    """Start or closing scores (review scores are recorded with the review)."""
    plan = _locked(plan)
    if stage == Stage.START:
        _require_status(plan, START_SCORES, doing="given start scores")
    elif stage == Stage.CLOSE:
        _require_status(plan, CLOSING_SCORES, doing="given closing scores")
    else:
        raise ApplicationError("Review scores are recorded with the review.")
    assessment = _save_scores(plan=plan, stage=stage, scores=scores, assessed_on=assessed_on, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_SCORES,
        obj=plan,
        family=plan.family,
        summary=f"{Stage(stage).label} scores recorded",
        changes={"scores": {str(s.determinant_id): s.score for s in assessment.scores.all()}},
    )
    return assessment


@transaction.atomic
def plan_submit_for_activation(*, plan: SupportPlan, actor) -> SupportPlan:
    plan = _locked(plan)
    _require_status(plan, SUBMIT, doing="sent for approval")
    if not plan.outcome_assessments.filter(stage=Stage.START, in_error_at__isnull=True).exists():
        raise ApplicationError("Record the start scores for every goal before sending the plan for approval.")
    plan.status = Status.PENDING_ACTIVATION
    plan.save(update_fields=["status", "modified_at"])
    audit_record(
        actor=actor, action=AuditAction.PLAN_SUBMITTED, obj=plan, family=plan.family, summary="Plan sent for approval"
    )
    return plan


def _check_approver(plan: SupportPlan, actor) -> None:
    if plan.worker_id == actor.pk:
        raise ApplicationError("You cannot approve your own plan: ask another team manager.")
    if not manages_family(actor, plan.family):
        raise ApplicationError("Only a team manager of the family's base can approve plans.")


@transaction.atomic
def plan_approve_activation(*, plan: SupportPlan, actor) -> SupportPlan:
    plan = _locked(plan)
    _check_approver(plan, actor)
    _require_status(plan, APPROVE, doing="approved to start")
    if not plan.outcome_assessments.filter(stage=Stage.START, in_error_at__isnull=True).exists():
        raise ApplicationError("The plan has no start scores.")
    now = timezone.now()
    plan.status = Status.ACTIVE
    plan.activated_at = now
    plan.activated_by = actor
    plan.next_review_due = timezone.localdate() + timedelta(weeks=plan.review_interval_weeks)
    plan.save()
    audit_record(
        actor=actor, action=AuditAction.PLAN_ACTIVATED, obj=plan, family=plan.family, summary="Plan approved and active"
    )
    return plan


@transaction.atomic
def plan_return_to_worker(*, plan: SupportPlan, reason: str, actor) -> SupportPlan:
    plan = _locked(plan)
    if not manages_family(actor, plan.family):
        raise ApplicationError("Only a team manager of the family's base can return plans.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs to change"})
    _require_status(plan, RETURN, doing="returned")
    if plan.status == Status.PENDING_CLOSURE:
        plan.outcome_assessments.filter(stage=Stage.CLOSE, in_error_at__isnull=True).delete()
        plan.closure_reason = ""
        plan.closure_summary = ""
        plan.stepped_down_to = ""
        plan.closure_requested_at = None
    plan.status = PLAN_TRANSITIONS[plan.status][RETURN]
    plan.save()
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_RETURNED,
        obj=plan,
        family=plan.family,
        summary=f"Plan returned: {reason}"[:300],
    )
    return plan


@transaction.atomic
def plan_review(*, plan: SupportPlan, reviewed_on: date, progress: dict, scores: dict, notes: str, actor) -> Review:
    """A review: progress per goal, new scores, and the next review date."""
    plan = _locked(plan)
    _require_status(plan, REVIEW, doing="reviewed")
    validate_review_date(plan, reviewed_on)
    goals = list(plan.goals.all())
    by_goal = {getattr(key, "pk", key): value for key, value in progress.items()}
    missing = [goal for goal in goals if by_goal.get(goal.pk) not in GoalProgress.Progress.values]
    if missing:
        raise ValidationError({f"progress_{goal.pk}": "Select the progress made on this goal" for goal in missing})
    review = Review.objects.create(plan=plan, reviewed_on=reviewed_on, notes=notes, created_by=actor)
    GoalProgress.objects.bulk_create(
        [GoalProgress(review=review, goal=goal, progress=by_goal[goal.pk]) for goal in goals]
    )
    _save_scores(plan=plan, stage=Stage.REVIEW, scores=scores, assessed_on=reviewed_on, actor=actor, review=review)
    # A review recorded late, dated before one already recorded, does not bring the next one forward.
    latest = plan.reviews.order_by("-reviewed_on", "-pk").first()
    plan.next_review_due = latest.reviewed_on + timedelta(weeks=plan.review_interval_weeks)
    plan.save(update_fields=["next_review_due", "modified_at"])
    audit_record(actor=actor, action=AuditAction.PLAN_REVIEWED, obj=plan, family=plan.family, summary="Plan reviewed")
    return review


def validate_review_date(plan: SupportPlan, reviewed_on: date, *, review: Review | None = None) -> None:
    """A review's date (recorded, or ``review`` corrected): as for anything that happened, and also not before the
    plan started, and not a day the plan already has a review for (a form sent twice; correct that review)."""
    validate_event_date(
        reviewed_on,
        field="reviewed_on",
        today=timezone.localdate(),
        first_referred=first_referred_on(plan.family),
        what="The review date",
    )
    started = timezone.localtime(plan.activated_at).date() if plan.activated_at else None
    if started is not None and reviewed_on < started:
        raise ValidationError(
            {"reviewed_on": f"The review date must be on or after the plan started ({long_date(started)})"}
        )
    same_day = plan.reviews.filter(reviewed_on=reviewed_on).exclude(pk=getattr(review, "pk", None))
    if same_day.exists():
        raise ValidationError(
            {
                "reviewed_on": f"This plan already has a review on {long_date(reviewed_on)}: "
                "correct that review instead of recording another"
            }
        )


@transaction.atomic
def plan_request_closure(
    *,
    plan: SupportPlan,
    reason: str,
    summary: str,
    scores: dict,
    assessed_on: date,
    actor,
    stepped_down_to: str = "",
) -> SupportPlan:
    """``stepped_down_to`` names the universal services or community group a family stepped down goes to."""
    plan = _locked(plan)
    _require_status(plan, REQUEST_CLOSURE, doing="closed")
    if reason not in SupportPlan.ClosureReason.values:
        raise ValidationError({"reason": "Select why the plan is closing"})
    if not summary.strip():
        raise ValidationError({"summary": "Write a short summary of the support and where the family is now"})
    stepped_down_to = stepped_down_to.strip() if reason == SupportPlan.ClosureReason.STEPPED_DOWN else ""
    if reason == SupportPlan.ClosureReason.STEPPED_DOWN and not stepped_down_to:
        raise ValidationError(
            {"stepped_down_to": "Say which universal services or community group the family is stepping down to"}
        )
    _save_scores(plan=plan, stage=Stage.CLOSE, scores=scores, assessed_on=assessed_on, actor=actor)
    plan.status = Status.PENDING_CLOSURE
    plan.closure_reason = reason
    plan.closure_summary = summary
    plan.stepped_down_to = stepped_down_to
    plan.closure_requested_at = timezone.now()
    plan.save()
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CLOSURE_REQUESTED,
        obj=plan,
        family=plan.family,
        summary=f"Closure requested: {SupportPlan.ClosureReason(reason).label.lower()}",
    )
    return plan


@transaction.atomic
def plan_approve_closure(*, plan: SupportPlan, actor) -> SupportPlan:
    plan = _locked(plan)
    _check_approver(plan, actor)
    _require_status(plan, APPROVE_CLOSURE, doing="approved to close")
    if not plan.outcome_assessments.filter(stage=Stage.CLOSE, in_error_at__isnull=True).exists():
        raise ApplicationError("Record the closing scores before the plan closes.")
    now = timezone.now()
    plan.status = Status.CLOSED
    plan.closed_at = now
    plan.closed_by = actor
    plan.next_review_due = None
    plan.save()
    if plan.closure_reason == SupportPlan.ClosureReason.NEEDS_MET:
        FollowUp.objects.create(
            plan=plan, due_on=timezone.localdate() + relativedelta(months=FollowUp.MONTHS_AFTER_CLOSURE)
        )
    family = Family.objects.select_for_update().get(pk=plan.family_id)
    if not family.plans.filter(status__in=SupportPlan.OPEN_STATUSES).exists():
        support_end(
            family=family,
            actor=actor,
            reason=f"plan closed ({plan.get_closure_reason_display().lower()})",
            follow_up_due=plan.closure_reason == SupportPlan.ClosureReason.NEEDS_MET,
        )
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CLOSED,
        obj=plan,
        family=plan.family,
        summary=f"Plan closed: {plan.get_closure_reason_display().lower()}",
    )
    return plan


@transaction.atomic
def follow_up_record(*, follow_up: FollowUp, sustained: bool, notes: str, actor) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().select_related("plan__family").get(pk=follow_up.pk)
    if follow_up.recorded_at:
        raise ApplicationError("This follow-up has already been recorded.")
    if follow_up.due_on > timezone.localdate() + timedelta(days=28):
        raise ApplicationError(f"The follow-up is not due until {follow_up.due_on:%-d %B %Y}.")
    follow_up.sustained = sustained
    follow_up.notes = notes
    follow_up.recorded_at = timezone.now()
    follow_up.recorded_by = actor
    follow_up.save()
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_FOLLOW_UP,
        obj=follow_up.plan,
        family=follow_up.plan.family,
        summary="Six-month follow-up: progress " + ("sustained" if sustained else "not sustained"),
    )
    if follow_up.plan.family.status == Family.Status.CLOSED:
        follow_up_access_end(family=follow_up.plan.family)
    return follow_up


@transaction.atomic
def parent_progress_record(*, person: Person, kind: str, started_on: date, actor) -> ParentProgress:
    """A parent started work, training, education or volunteering; the same start twice is refused."""
    person = Person.objects.select_for_update().select_related("family").get(pk=person.pk)
    if person.kind not in (Person.Kind.PARENT_CARER, Person.Kind.OTHER_ADULT):
        raise ValidationError({"person": "Choose a parent, carer or other adult"})
    validate_event_date(
        started_on,
        field="started_on",
        today=timezone.localdate(),
        first_referred=first_referred_on(person.family),
        what="The start date",
    )
    if kind not in ParentProgress.Kind.values:
        raise ValidationError({"kind": "Select what they started"})
    if person.progress.filter(kind=kind, started_on=started_on).exists():
        raise ValidationError(
            {
                "started_on": f"{person.full_name} starting {ParentProgress.Kind(kind).label.lower()} on "
                f"{started_on:%-d %B %Y} is already recorded"
            }
        )
    progress = ParentProgress.objects.create(person=person, kind=kind, started_on=started_on, recorded_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.PERSON_PROGRESS,
        obj=person,
        family=person.family,
        summary=f"A parent started {progress.get_kind_display().lower()}",
    )
    return progress
