"""Support plans in each state, built through the services."""

from datetime import timedelta

from django.utils import timezone

from families.models import Determinant, SupportPlan
from families.support import services as support_services

GOAL_CODES = ("social_networks", "parental_mental_health")


def completed_assessment(*, family, worker):
    assessment = support_services.assessment_start(family=family, actor=worker)
    return support_services.assessment_complete(
        assessment=assessment,
        needs=list(Determinant.objects.filter(code__in=GOAL_CODES)),
        strengths="Loving, keen to get out more",
        family_view="We want to make friends locally",
        child_voice="Likes the swings",
        agreed_on=timezone.localdate(),
        actor=worker,
    )


def draft_plan(*, family, worker, kind=SupportPlan.Kind.ONE_TO_ONE) -> SupportPlan:
    if kind == SupportPlan.Kind.ONE_TO_ONE:
        completed_assessment(family=family, worker=worker)
    goals = [(Determinant.objects.get(code=code), f"Better {code}") for code in GOAL_CODES]
    return support_services.plan_create(family=family, kind=kind, goals=goals, actor=worker)


def scores(plan, value: int) -> dict:
    return {goal.determinant_id: value for goal in plan.goals.all()}


def active_plan(*, family, worker, manager, kind=SupportPlan.Kind.ONE_TO_ONE) -> SupportPlan:
    plan = draft_plan(family=family, worker=worker, kind=kind)
    support_services.outcome_record(
        plan=plan, stage="start", scores=scores(plan, 3), assessed_on=timezone.localdate(), actor=worker
    )
    support_services.plan_submit_for_activation(plan=plan, actor=worker)
    support_services.plan_approve_activation(plan=plan, actor=manager)
    plan.refresh_from_db()
    return plan


def closed_plan(*, family, worker, manager, reason="needs_met") -> SupportPlan:
    plan = active_plan(family=family, worker=worker, manager=manager)
    support_services.plan_request_closure(
        plan=plan,
        reason=reason,
        summary="Family now goes to stay and play weekly",
        scores=scores(plan, 7),
        assessed_on=timezone.localdate(),
        actor=worker,
    )
    support_services.plan_approve_closure(plan=plan, actor=manager)
    plan.refresh_from_db()
    return plan


def home_visit(*, family, worker, concern=False, **overrides):
    children = {child.pk: True for child in family.members.filter(kind="child")}
    fields = {
        "occurred_at": timezone.now() - timedelta(hours=1),
        "duration_minutes": 60,
        "mode": "home_visit",
        "notes": "Talked about local groups.",
        "children_seen": children,
        "safeguarding_concern": concern,
    }
    fields.update(overrides)
    return support_services.contact_log(family=family, actor=worker, **fields)


def plan_action(*, plan, worker, due_on=None, description="Visit the children's centre together", **fields):
    """An action for the plan's worker, due in a week unless ``due_on`` says otherwise."""
    return support_services.plan_action_add(
        plan=plan,
        description=description,
        owner=fields.pop("owner", "worker"),
        due_on=due_on or timezone.localdate() + timedelta(days=7),
        actor=worker,
        **fields,
    )
