"""Writes: the community groups register, connecting families and closing the loop, community grants.

Each function owns its transaction and writes its own audit event.
"""

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, Sum
from django.db.models.functions import Round
from django.utils import timezone

from bases.models import District, Locality
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.financial_year import financial_year_of
from ecfs.roles import Role, has_role
from families.models import Family
from families.rules import validate_event_date

from . import permissions, scoring
from .models import (
    FOLLOW_UP_AFTER,
    CommunityGroup,
    Connection,
    GrantApplication,
    GrantBudget,
    GrantMonitoring,
    GrantPayment,
)

Status = GrantApplication.Status
LARGEST_GRANT = Decimal("25000.00")
LARGEST_BUDGET = Decimal("9999999999.99")

GROUP_FIELDS = (
    "name",
    "kind",
    "description",
    "organisation",
    "organisation_website",
    "district",
    "locality",
    "venue_name",
    "venue_address",
    "venue_postcode",
    "min_age_months",
    "max_age_months",
    "for_expectant_parents",
    "weekday",
    "starts_at",
    "ends_at",
    "frequency",
    "cost",
    "cost_notes",
    "contact_name",
    "contact_phone",
    "contact_email",
    "accessibility_notes",
    "status",
)


def _pence(expression):
    """Money arithmetic in the database, rounded to pence (SQLite sums decimals in floating point)."""
    return Round(expression, 2, output_field=DecimalField(max_digits=12, decimal_places=2))


def _jsonable(value):
    if isinstance(value, District | Locality):
        return value.name
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


# The register -----------------------------------------------------------------------------------------


def _check_place(fields: dict) -> None:
    district, locality = fields.get("district"), fields.get("locality")
    if district and locality and not locality.is_other and locality.district_id != district.pk:
        raise ValidationError({"locality": f"{locality.name} is not in {district.name}: choose a place in it"})
    youngest, oldest = fields.get("min_age_months"), fields.get("max_age_months")
    if youngest is not None and oldest is not None and youngest > oldest:
        raise ValidationError({"max_age_months": "The oldest age must be the same as or above the youngest"})
    if fields.get("starts_at") and fields.get("ends_at") and fields["starts_at"] >= fields["ends_at"]:
        raise ValidationError({"ends_at": "The group must finish after it starts"})


def _check_may_keep(actor, district: District) -> None:
    allowed = permissions.group_districts_for(actor)
    if allowed is not None and district.pk not in allowed:
        raise PermissionDenied("Only the managers of the district's bases and the service admin keep its groups.")


@transaction.atomic
def group_add(*, actor, **fields) -> CommunityGroup:
    _check_may_keep(actor, fields["district"])
    _check_place(fields)
    today = timezone.localdate()
    group = CommunityGroup(
        **{name: fields[name] for name in GROUP_FIELDS if name in fields},
        last_checked_on=today,
        last_checked_by=actor,
        created_by=actor,
        modified_by=actor,
    )
    group.full_clean()
    group.save()
    audit_record(actor=actor, action=AuditAction.COMMUNITY_GROUP_ADDED, obj=group, summary=f"Added {group.name}")
    return group


@transaction.atomic
def group_update(*, group: CommunityGroup, actor, **fields) -> CommunityGroup:
    group = CommunityGroup.objects.select_for_update().get(pk=group.pk)
    _check_may_keep(actor, group.district)
    if "district" in fields:
        _check_may_keep(actor, fields["district"])
    _check_place(fields)
    changes = {}
    for name in GROUP_FIELDS:
        if name in fields and getattr(group, name) != fields[name]:
            changes[name] = [_jsonable(getattr(group, name)), _jsonable(fields[name])]
            setattr(group, name, fields[name])
    # Editing the details is checking them: the register says when someone last looked.
    group.last_checked_on = timezone.localdate()
    group.last_checked_by = actor
    group.modified_by = actor
    group.full_clean()
    group.save()
    audit_record(
        actor=actor,
        action=AuditAction.COMMUNITY_GROUP_CHANGED if changes else AuditAction.COMMUNITY_GROUP_CHECKED,
        obj=group,
        summary=f"Changed {group.name}" if changes else f"Checked {group.name}: no change",
        changes=changes or None,
    )
    return group


@transaction.atomic
def group_mark_checked(*, group: CommunityGroup, actor) -> CommunityGroup:
    """The details were checked with the group and are still right."""
    group = CommunityGroup.objects.select_for_update().get(pk=group.pk)
    _check_may_keep(actor, group.district)
    group.last_checked_on = timezone.localdate()
    group.last_checked_by = actor
    group.save(update_fields=["last_checked_on", "last_checked_by", "modified_at"])
    audit_record(
        actor=actor, action=AuditAction.COMMUNITY_GROUP_CHECKED, obj=group, summary=f"Checked {group.name}: no change"
    )
    return group


# Connections ------------------------------------------------------------------------------------------


def can_connect(user) -> bool:
    return has_role(user, Role.WORKER) or has_role(user, Role.MANAGER)


@transaction.atomic
def connection_create(
    *,
    family: Family,
    actor,
    group: CommunityGroup | None = None,
    service_name: str = "",
    note: str = "",
    connected_on: date | None = None,
) -> Connection:
    """Connect a family (fetched through the actor's scope) to a community group or another named service."""
    if not can_connect(actor):
        raise PermissionDenied("Only workers and team managers connect families.")
    service_name = service_name.strip()
    if (group is None) == (not service_name):
        raise ValidationError({"group": "Choose a community group, or name another service (not both)"})
    if group is not None and group.status not in (CommunityGroup.Status.ACTIVE, CommunityGroup.Status.STARTING):
        raise ApplicationError(f"{group.name} is {group.get_status_display().lower()}: choose a group that is running.")
    today = timezone.localdate()
    connected_on = connected_on or today
    validate_event_date(
        connected_on,
        field="connected_on",
        today=today,
        first_referred=None,
        what="The date you connected them",
    )
    waiting = Connection.objects.filter(family=family, outcome=Connection.Outcome.PENDING)
    waiting = waiting.filter(group=group) if group is not None else waiting.filter(service_name__iexact=service_name)
    earlier = waiting.order_by("connected_on").first()
    if earlier is not None:
        raise ApplicationError(
            f"{family.reference} was connected to {earlier.to_name} on {earlier.connected_on:%-d %B %Y}: record "
            "whether they went before connecting them again."
        )
    connection = Connection.objects.create(
        family=family,
        group=group,
        service_name=service_name,
        connected_on=connected_on,
        connected_by=actor,
        note=note.strip(),
        follow_up_due=connected_on + FOLLOW_UP_AFTER,
    )
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_CONNECTED,
        obj=connection,
        family=family,
        summary=f"Connected to {connection.to_name}",
    )
    return connection


@transaction.atomic
def connection_record_outcome(*, connection: Connection, actor, outcome: str, note: str = "") -> Connection:
    """The answer to "did they go, and is it helping?" (the connection was fetched through the actor's scope)."""
    connection = Connection.objects.select_for_update(of=("self",)).select_related("group").get(pk=connection.pk)
    if outcome not in Connection.Outcome.values or outcome == Connection.Outcome.PENDING:
        raise ValidationError({"outcome": "Choose whether they went and whether it is helping"})
    old = connection.outcome
    connection.outcome = outcome
    connection.outcome_note = note.strip()
    connection.outcome_recorded_on = timezone.localdate()
    connection.outcome_recorded_by = actor
    connection.save()
    audit_record(
        actor=actor,
        action=AuditAction.CONNECTION_OUTCOME,
        obj=connection,
        family=connection.family,
        summary=f"{connection.to_name}: {connection.get_outcome_display()}",
        changes={"outcome": [old, outcome]},
    )
    return connection


# Grants -----------------------------------------------------------------------------------------------


def clean_money(value, *, field: str = "amount", largest: Decimal = LARGEST_GRANT) -> Decimal:
    message = "Enter an amount in pounds and pence, like 1500 or 1500.00"
    try:
        amount = Decimal(str(value).strip().replace("£", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: message}) from None
    if not amount.is_finite():
        raise ValidationError({field: message})
    if amount <= 0:
        raise ValidationError({field: "The amount must be more than £0"})
    if amount > largest:
        raise ValidationError({field: f"The amount must be £{largest:,} or less"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: "The amount cannot include fractions of a penny"})
    return amount


def _require_grants(actor) -> None:
    if not permissions.can_manage_grants(actor):
        raise PermissionDenied("Community grants are run by team managers and the service admin.")


@transaction.atomic
def grant_create(*, actor, group: CommunityGroup | None = None, **fields) -> GrantApplication:
    _require_grants(actor)
    _check_place(fields)
    fields["amount_requested"] = clean_money(fields["amount_requested"], field="amount_requested")
    received_on = fields.pop("received_on", None) or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future"})
    if group is not None:
        fields.setdefault("group_name", group.name)
        fields.setdefault("organisation", group.organisation)
    # The reference is the row's number: saved under a placeholder first, so concurrent entries never collide.
    application = GrantApplication(
        reference=uuid.uuid4().hex[:12], group=group, received_on=received_on, created_by=actor, **fields
    )
    application.full_clean()
    application.save()
    application.reference = f"CG-{application.pk:05d}"
    application.save(update_fields=["reference"])
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_RECEIVED,
        obj=application,
        summary=f"{application.reference}: £{application.amount_requested:,} for {application.group_name}",
    )
    return application


def _locked(application: GrantApplication) -> GrantApplication:
    return GrantApplication.objects.select_for_update(of=("self",)).select_related("locality").get(pk=application.pk)


@transaction.atomic
def grant_assess(*, application: GrantApplication, actor, quality_points: int, notes: str = "") -> GrantApplication:
    """Score the application against the need of the place (community.scoring), as it stands today."""
    _require_grants(actor)
    application = _locked(application)
    if application.status not in GrantApplication.OPEN:
        raise ApplicationError(f"{application.reference} is {application.get_status_display().lower()}.")
    if not 0 <= quality_points <= scoring.QUALITY_MAX:
        raise ValidationError({"quality_points": f"Give the plan from 0 to {scoring.QUALITY_MAX} points"})
    points = scoring.place_points(locality=application.locality, rural=application.rural)
    application.need_points = points.need
    application.rural_points = points.rural
    application.gap_points = points.gap
    application.quality_points = quality_points
    application.assessment_notes = notes.strip()
    application.assessed_by = actor
    application.assessed_on = timezone.localdate()
    application.status = Status.ASSESSED
    application.save()
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_ASSESSED,
        obj=application,
        summary=f"{application.reference} scored {application.score} of 100",
        changes={"need": points.need, "rural": points.rural, "gap": points.gap, "plan": quality_points},
    )
    return application


@transaction.atomic
def grant_budget_adjust(*, financial_year: int, amount, reason: str, actor) -> GrantBudget:
    """Add to (or take from, when negative) a year's grants budget; never below what is already committed."""
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied("Only the service admin sets the community grants budget.")
    try:
        amount = Decimal(str(amount).strip().replace("£", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "Enter an amount in pounds, like 250000 or -5000"}) from None
    if not amount.is_finite() or amount == 0 or abs(amount) > LARGEST_BUDGET:
        raise ValidationError({"amount": "Enter an amount in pounds, like 250000 or -5000"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": "The amount cannot include fractions of a penny"})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the budget changes"})
    budget, _ = GrantBudget.objects.get_or_create(financial_year=financial_year)
    changed = (
        GrantBudget.objects.filter(pk=budget.pk)
        .alias(new_total=_pence(F("total_amount") + amount))
        .filter(committed_amount__lte=F("new_total"), new_total__lte=LARGEST_BUDGET)
        .update(total_amount=_pence(F("total_amount") + amount))
    )
    if not changed:
        raise ApplicationError("The budget cannot go below what approved grants have already committed.")
    budget.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_BUDGET_ADJUSTED,
        obj=budget,
        summary=f"{budget}: {amount:+,} ({reason.strip()})",
        changes={"total_amount": str(budget.total_amount)},
    )
    return budget


@transaction.atomic
def grant_approve(*, application: GrantApplication, actor, amount, reason: str = "") -> GrantApplication:
    """Approve an assessed application, committing the money with one conditional update: never overspent."""
    _require_grants(actor)
    application = _locked(application)
    if application.status != Status.ASSESSED:
        raise ApplicationError(
            f"{application.reference} is {application.get_status_display().lower()}: only an assessed "
            "application can be approved."
        )
    if application.created_by_id == actor.pk:
        raise ApplicationError("Someone other than the person who entered the application must approve it.")
    amount = clean_money(amount)
    if amount > application.amount_requested:
        raise ValidationError(
            {"amount": f"The grant cannot be more than the £{application.amount_requested:,} asked for"}
        )
    year = financial_year_of(timezone.localdate())
    budget = GrantBudget.objects.filter(financial_year=year).first()
    charged = (
        GrantBudget.objects.filter(financial_year=year)
        .alias(room=_pence(F("total_amount") - F("committed_amount")))
        .filter(room__gte=amount)
        .update(committed_amount=_pence(F("committed_amount") + amount))
    )
    if not charged:
        left = budget.remaining_amount if budget else Decimal("0.00")
        raise ApplicationError(
            f"Not enough money left: £{amount:,} is needed but the {year}/{str(year + 1)[-2:]} community grants "
            f"budget has £{max(left, Decimal('0.00')):,} left."
        )
    application.budget = budget
    application.amount_approved = amount
    application.status = Status.APPROVED
    application.decided_by = actor
    application.decided_on = timezone.localdate()
    application.decision_reason = reason.strip()
    application.save()
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_APPROVED,
        obj=application,
        summary=f"{application.reference}: £{amount:,} approved",
    )
    return application


@transaction.atomic
def grant_decline(*, application: GrantApplication, actor, reason: str) -> GrantApplication:
    _require_grants(actor)
    application = _locked(application)
    if application.status not in GrantApplication.OPEN:
        raise ApplicationError(f"{application.reference} is {application.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the application is declined (the group is told)"})
    application.status = Status.DECLINED
    application.decided_by = actor
    application.decided_on = timezone.localdate()
    application.decision_reason = reason.strip()
    application.save()
    audit_record(actor=actor, action=AuditAction.GRANT_DECLINED, obj=application, summary=application.reference)
    return application


@transaction.atomic
def grant_withdraw(*, application: GrantApplication, actor, reason: str) -> GrantApplication:
    """The group withdrew: an approved grant not yet paid gives its money back to the budget."""
    _require_grants(actor)
    application = _locked(application)
    if application.status not in (*GrantApplication.OPEN, Status.APPROVED):
        raise ApplicationError(f"{application.reference} is {application.get_status_display().lower()}.")
    if application.status == Status.APPROVED and application.payments.exists():
        raise ApplicationError(f"{application.reference} has been partly paid: it cannot be withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the application is withdrawn"})
    if application.status == Status.APPROVED:
        GrantBudget.objects.filter(pk=application.budget_id).update(
            committed_amount=_pence(F("committed_amount") - application.amount_approved)
        )
    application.status = Status.WITHDRAWN
    application.decision_reason = reason.strip()
    application.save()
    audit_record(actor=actor, action=AuditAction.GRANT_WITHDRAWN, obj=application, summary=application.reference)
    return application


@transaction.atomic
def grant_record_payment(
    *, application: GrantApplication, actor, amount, paid_on: date, reference: str
) -> GrantPayment:
    """A payment to the group; the payments never add up to more than the grant, and the last one marks it paid."""
    _require_grants(actor)
    application = _locked(application)
    if application.status != Status.APPROVED:
        raise ApplicationError(
            f"{application.reference} is {application.get_status_display().lower()}: only an approved grant is paid."
        )
    amount = clean_money(amount)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "The payment date cannot be in the future"})
    if paid_on < application.decided_on:
        raise ValidationError({"paid_on": "The payment date cannot be before the grant was approved"})
    if not reference.strip():
        raise ValidationError({"reference": "Enter the payment reference"})
    paid = application.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if paid + amount > application.amount_approved:
        raise ValidationError(
            {
                "amount": f"Only £{application.amount_approved - paid:,} of the "
                f"£{application.amount_approved:,} is left to pay"
            }
        )
    payment = GrantPayment.objects.create(
        application=application, amount=amount, paid_on=paid_on, reference=reference.strip(), recorded_by=actor
    )
    GrantBudget.objects.filter(pk=application.budget_id).update(paid_amount=_pence(F("paid_amount") + amount))
    if paid + amount == application.amount_approved:
        application.status = Status.PAID
        application.save(update_fields=["status", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_PAID,
        obj=application,
        summary=f"{application.reference}: £{amount:,} paid ({reference.strip()})",
    )
    return payment


@transaction.atomic
def grant_record_monitoring(
    *, application: GrantApplication, actor, period_end: date, families_reached: int, sessions_held: int, notes=""
) -> GrantMonitoring:
    _require_grants(actor)
    application = _locked(application)
    if application.status not in (Status.APPROVED, Status.PAID):
        raise ApplicationError(f"{application.reference} has no grant to monitor.")
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": "The date cannot be in the future"})
    # The quarterly return counts the families reached in the quarter the return runs up to.
    if period_end < application.decided_on:
        approved = f"{application.decided_on:%-d %B %Y}"
        raise ValidationError(
            {"period_end": f"The return must run up to the day the grant was approved ({approved}) or later"}
        )
    if application.monitoring.filter(period_end=period_end).exists():
        raise ValidationError({"period_end": "A return up to this date is already recorded"})
    monitoring = GrantMonitoring.objects.create(
        application=application,
        period_end=period_end,
        families_reached=families_reached,
        sessions_held=sessions_held,
        notes=notes.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.GRANT_MONITORING,
        obj=application,
        summary=f"{application.reference}: {families_reached} families, {sessions_held} sessions to {period_end}",
    )
    return monitoring
