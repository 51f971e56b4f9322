"""Which recorded events send which messages. Called for every new audit event, inside the transaction of
the change it records, so the outbox rows commit (or roll back) with the change itself."""

from django.contrib.auth import get_user_model

from ecfs.audit.actions import AuditAction
from families.models import Allocation, Contact, SupportPlan
from referrals.models import Referral, Source, TriageDecision
from support_fund.models import Application

from . import content, services
from .models import Kind

Status = Referral.Status
# A referral's outcome, once decided. Accepted is told when the family is allocated a worker.
OUTCOMES_AT_DECISION = (
    Status.SIGNPOSTED,
    Status.STEPPED_UP,
    Status.NO_FURTHER_ACTION,
    Status.DUPLICATE,
    Status.WITHDRAWN,
)


def on_audit_event(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    handler = HANDLERS.get(instance.action)
    if handler is not None:
        handler(instance)


def _object(model, event):
    key = "uuid" if any(field.name == "uuid" for field in model._meta.fields) else "pk"
    return model.objects.filter(**{key: event.object_id})


def _base_managers(base_id: int, *, excluding=()):
    return (
        get_user_model()
        .objects.filter(managed_teams__base_id=base_id, is_active=True)
        .exclude(pk__in=[pk for pk in excluding if pk])
        .distinct()
        .order_by("pk")
    )


def _district_managers(district_id: int, *, excluding=()):
    return (
        get_user_model()
        .objects.filter(managed_teams__base__district_id=district_id, is_active=True)
        .exclude(pk__in=[pk for pk in excluding if pk])
        .distinct()
        .order_by("pk")
    )


# Referrers and families hear the outcome ------------------------------------------------------------------


def _who_to_contact(referral: Referral, decided_by) -> str:
    base = referral.routed_team.base.name
    if decided_by is not None and decided_by.email:
        return f"{decided_by.get_full_name()}, team manager at {base}, {decided_by.email}"
    return f"the team manager at {base}"


def referral_outcome_queue(*, referral: Referral, status: str, reason: str, decided_by) -> None:
    """Once per referral: a professional referrer by email; a family that asked for help itself only through
    the way it said is safe (the family's latest answer once it is known to the service)."""
    key = f"referral-outcome:{referral.uuid}"
    contact = _who_to_contact(referral, decided_by)
    if referral.source == Source.SELF:
        family = referral.family
        channel = (family.safe_contact_channel if family else "") or referral.safe_contact_channel
        services.family_notify(
            channel_choice=channel,
            email=(family.contact_email if family else "") or referral.contact_email,
            phone=(family.contact_phone if family else "") or referral.contact_phone,
            key=key,
            kind=Kind.SELF_REFERRAL_OUTCOME,
            text=content.self_referral_outcome(reference=referral.reference, status=status, contact=contact),
            family=family,
            reference=referral.reference,
        )
    elif referral.referrer_email:
        reason_label = TriageDecision.Reason(reason).label if reason in TriageDecision.Reason.values else ""
        services.message_queue(
            key=key,
            kind=Kind.REFERRAL_OUTCOME,
            channel="email",
            text=content.referral_outcome(
                reference=referral.reference, status=status, reason_label=reason_label, contact=contact
            ),
            recipient_address=referral.referrer_email,
            family=referral.family,
            reference=referral.reference,
        )


def referral_decided(event) -> None:
    status = (event.changes.get("status") or {}).get("new")
    if status not in OUTCOMES_AT_DECISION:
        return
    referral = _object(Referral, event).select_related("routed_team__base", "family").get()
    referral_outcome_queue(
        referral=referral, status=status, reason=event.changes.get("reason", ""), decided_by=event.actor
    )


# Staff are told what needs them ---------------------------------------------------------------------------


def family_allocated(event) -> None:
    allocation = _object(Allocation, event).select_related("family", "worker", "allocated_by").get()
    family = allocation.family
    if allocation.worker_id != event.actor_id:
        services.staff_notify(
            user=allocation.worker,
            kind=Kind.ALLOCATION,
            key=f"allocation:{allocation.pk}",
            text=content.allocation(family_reference=family.reference),
            family=family,
            reference=family.reference,
        )
    if allocation.role == Allocation.Role.LEAD:
        accepted = family.referrals.filter(status=Status.ACCEPTED).select_related("routed_team__base", "family")
        for referral in accepted:
            referral_outcome_queue(referral=referral, status=Status.ALLOCATED, reason="", decided_by=event.actor)


def contact_logged(event) -> None:
    contact = _object(Contact, event).select_related("family__base").get()
    if not contact.safeguarding_concern:
        return
    family = contact.family
    for manager in _base_managers(family.base_id):
        services.staff_notify(
            user=manager,
            kind=Kind.SAFEGUARDING,
            key=f"safeguarding:{contact.uuid}:{manager.pk}",
            text=content.safeguarding(
                family_reference=family.reference, base=family.base.name, contact_uuid=contact.uuid
            ),
            family=family,
            reference=family.reference,
        )


def plan_awaiting(event) -> None:
    plan = _object(SupportPlan, event).select_related("family").get()
    closing = plan.status == SupportPlan.Status.PENDING_CLOSURE
    for manager in _base_managers(plan.family.base_id, excluding=[plan.worker_id, event.actor_id]):
        services.staff_notify(
            user=manager,
            kind=Kind.PLAN_AWAITING,
            key=f"plan-awaiting:{event.pk}:{manager.pk}",
            text=content.plan_awaiting(family_reference=plan.family.reference, plan_uuid=plan.uuid, closing=closing),
            family=plan.family,
            reference=plan.family.reference,
        )


def fund_awaiting(event) -> None:
    application = _object(Application, event).select_related("family").get()
    second = event.action == AuditAction.FUND_AWAITING_SECOND
    excluding = [application.applicant_id, application.first_approved_by_id, event.actor_id]
    managers = (
        _district_managers(application.family.district_id, excluding=excluding)
        if second
        else _base_managers(application.family.base_id, excluding=excluding)
    )
    for manager in managers:
        services.staff_notify(
            user=manager,
            kind=Kind.FUND_AWAITING,
            key=f"fund-awaiting:{event.pk}:{manager.pk}",
            text=content.fund_awaiting(
                application_reference=application.reference,
                family_reference=application.family.reference,
                application_uuid=application.uuid,
                second=second,
            ),
            family=application.family,
            reference=application.reference,
        )


HANDLERS = {
    AuditAction.REFERRAL_DECIDED: referral_decided,
    AuditAction.FAMILY_ALLOCATED: family_allocated,
    AuditAction.CONTACT_LOGGED: contact_logged,
    AuditAction.PLAN_SUBMITTED: plan_awaiting,
    AuditAction.PLAN_CLOSURE_REQUESTED: plan_awaiting,
    AuditAction.FUND_SUBMITTED: fund_awaiting,
    AuditAction.FUND_AWAITING_SECOND: fund_awaiting,
}
