"""Writes to families: members, the team around the family, allocation of workers."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from bases.models import StaffProfile
from bases.selectors import managed_base_ids
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from families.characteristics import CHARACTERISTIC_FIELDS, CONSENT_FIELDS, CONTACT_FIELDS

from ..access import is_allocated, manages_family
from ..determinants import DETERMINANTS
from ..models import Allocation, Determinant, Family, FamilyUserObjectPermission, Person, Professional
from ..rules import (
    name_key,
    require_consent_to_share,
    validate_early_education,
    validate_household_ages,
    validate_person_dates,
    validate_safe_contact,
)
from ..validators import normalise_postcode, validate_uk_postcode

WORKER_FAMILY_PERMISSIONS = ("families.view_family", "families.change_family")


def determinants_ensure() -> None:
    for position, (code, name, impact) in enumerate(DETERMINANTS, start=1):
        Determinant.objects.update_or_create(
            code=code, defaults={"name": name, "impact": int(impact), "position": position}
        )


def _family_reference(family: Family) -> str:
    return f"ECFS-{family.pk:06d}"


def family_create(*, actor, people: list[dict], **fields) -> Family:
    """Create a family with its members. The caller has done the duplicate check."""
    fields["postcode"] = normalise_postcode(fields["postcode"])
    validate_uk_postcode(fields["postcode"])
    family = Family.objects.create(created_by=actor, modified_by=actor, **fields)
    family.reference = _family_reference(family)
    family.save(update_fields=["reference"])
    for person in people:
        person_add(family=family, actor=actor, audit=False, **person)
    audit_record(
        actor=actor, action=AuditAction.FAMILY_CREATED, obj=family, family=family, summary="Family record created"
    )
    return family


def person_add(*, family: Family, actor, audit: bool = True, **fields) -> Person:
    validate_person_dates(
        kind=fields["kind"],
        date_of_birth=fields.get("date_of_birth"),
        expected_date=fields.get("expected_date"),
        today=timezone.localdate(),
    )
    validate_household_ages(
        kind=fields["kind"], date_of_birth=fields.get("date_of_birth"), others=family.members.all() if family.pk else []
    )
    person = Person(family=family, **fields)
    person.first_name_key = name_key(person.first_name)
    person.last_name_key = name_key(person.last_name)
    person.full_clean(exclude=["family"])
    person.save()
    if audit:
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_ADDED,
            obj=person,
            family=family,
            summary=f"{person.get_kind_display()} added to the family",
        )
    return person


@transaction.atomic
def family_member_add(*, family: Family, actor, **fields) -> Person:
    return person_add(family=family, actor=actor, **fields)


PERSON_AMENDABLE = ("first_name", "last_name", "date_of_birth", "expected_date", "relationship")


def can_correct_family(user, family: Family) -> bool:
    """The family's allocated workers and the team managers of its base correct its household records."""
    return manages_family(user, family) or is_allocated(user, family)


@transaction.atomic
def person_amend(*, person: Person, actor, reason: str, **fields) -> Person:
    """Correct a person's name, dates or relationship; the earlier version is kept with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record is being corrected"})
    person = Person.objects.select_for_update().select_related("family").get(pk=person.pk)
    if not can_correct_family(actor, person.family):
        raise ApplicationError("Only the family's allocated workers and its base's team managers can correct it.")
    new = {field: fields.get(field, getattr(person, field)) for field in PERSON_AMENDABLE}
    today = timezone.localdate()
    validate_person_dates(
        kind=person.kind, date_of_birth=new["date_of_birth"], expected_date=new["expected_date"], today=today
    )
    validate_household_ages(
        kind=person.kind, date_of_birth=new["date_of_birth"], others=person.family.members.exclude(pk=person.pk)
    )
    changed = [field for field, value in new.items() if getattr(person, field) != value]
    if not changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})
    for field, value in new.items():
        setattr(person, field, value)
    person.first_name_key = name_key(person.first_name)
    person.last_name_key = name_key(person.last_name)
    person.full_clean(exclude=["family"])
    person._change_reason = reason.strip()
    person._history_user = actor  # also when the change comes from the API, not a page
    person.save()
    audit_record(
        actor=actor,
        action=AuditAction.PERSON_AMENDED,
        obj=person,
        family=person.family,
        summary=f"{person.get_kind_display()} corrected ({', '.join(f.replace('_', ' ') for f in changed)}): "
        f"{reason.strip()}"[:300],
        changes={"fields": changed, "reason": reason.strip()},
    )
    return person


@transaction.atomic
def professional_add(*, family: Family, actor, **fields) -> Professional:
    """Add a professional to the team around the family: only with the family's consent to share with them."""
    require_consent_to_share(
        Family.objects.select_for_update().get(pk=family.pk), doing="add a professional to the team around the family"
    )
    professional = Professional(family=family, **fields)
    professional.full_clean(exclude=["family"])
    professional.save()
    audit_record(
        actor=actor,
        action=AuditAction.PROFESSIONAL_ADDED,
        obj=professional,
        family=family,
        summary=f"{professional.get_agency_display()} added to the team around the family",
    )
    return professional


@transaction.atomic
def child_early_education_record(
    *, person: Person, eligible_2yo: bool, started_on: date | None, setting: str, actor
) -> Person:
    """Record a child's funded early education: eligible for a funded 2-year-old place, taking up a funded place
    since ``started_on`` (None: not taking one up) at ``setting``. The one place these facts are written (the
    page, the API and the return read them). The allocated worker or a manager of the family's base only; a
    child aged 0 to 5 only (``families.rules.validate_early_education`` checks the dates)."""
    person = Person.objects.select_for_update().select_related("family").get(pk=person.pk)
    family = person.family
    if not (is_allocated(actor, family) or manages_family(actor, family)):
        raise PermissionDenied("Only the family's allocated worker or its team manager can record early education.")
    if person.kind != Person.Kind.CHILD:
        raise ApplicationError("Early education is recorded for a child aged 0 to 5 only.")
    setting = (setting or "").strip()
    validate_early_education(
        date_of_birth=person.date_of_birth,
        eligible_2yo=eligible_2yo,
        started_on=started_on,
        setting=setting,
        today=timezone.localdate(),
    )
    values = {
        "funded_education_eligible": bool(eligible_2yo),
        "funded_education_started_on": started_on,
        "funded_education_setting": setting,
    }
    changes = {
        name: {"old": _jsonable(getattr(person, name)), "new": _jsonable(value)}
        for name, value in values.items()
        if getattr(person, name) != value
    }
    if changes:
        for name, value in values.items():
            setattr(person, name, value)
        person.save(update_fields=[*values, "modified_at"])
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_EARLY_EDUCATION,
            obj=person,
            family=family,
            summary="Child's early education recorded",
            changes=changes,
        )
    return person


EDITABLE_CHARACTERISTICS = CHARACTERISTIC_FIELDS + CONSENT_FIELDS + CONTACT_FIELDS


@transaction.atomic
def family_update_characteristics(*, family: Family, actor, **fields) -> Family:
    family = Family.objects.select_for_update().get(pk=family.pk)
    unknown = set(fields) - set(EDITABLE_CHARACTERISTICS)
    if unknown:
        raise ApplicationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if fields.get("consent_given") and not fields.get("consent_date"):
        raise ValidationError({"consent_date": "Enter the date consent was given"})
    validate_safe_contact(
        channel=fields.get("safe_contact_channel", family.safe_contact_channel),
        phone=fields.get("contact_phone", family.contact_phone),
        email=fields.get("contact_email", family.contact_email),
    )
    changes = {}
    for name, value in fields.items():
        old = getattr(family, name)
        if old != value:
            changes[name] = {"old": _jsonable(old), "new": _jsonable(value)}
            setattr(family, name, value)
    if changes:
        family.modified_by = actor
        family.save()
        audit_record(
            actor=actor,
            action=AuditAction.FAMILY_CHANGED,
            obj=family,
            family=family,
            summary="Household details changed",
            changes=changes,
        )
    return family


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


# Allocation -----------------------------------------------------------------------------------


def _check_manages(actor, family: Family) -> None:
    if not manages_family(actor, family):
        raise ApplicationError("Only a team manager of the family's base can allocate its workers.")


def _check_in_support(family: Family) -> None:
    """Workers join a family only while it is in support: once support has ended, a referral brings it back."""
    if family.status == Family.Status.CLOSED:
        raise ApplicationError(
            f"Support for {family.reference} has ended, so no worker can be allocated. To work with the family "
            "again, record a referral for them: once accepted, it is allocated from the triage queue."
        )


def _check_allocatable(actor, worker) -> None:
    if not worker.is_active or not has_role(worker, Role.WORKER):
        raise ApplicationError(f"{worker} is not an active family support worker.")
    if not StaffProfile.objects.filter(user=worker, team__base_id__in=managed_base_ids(actor)).exists():
        raise ApplicationError(f"{worker} is not in a team you manage.")


def _grant(worker, family: Family) -> None:
    for permission in WORKER_FAMILY_PERMISSIONS:
        assign_perm(permission, worker, family)


def _revoke(worker, family: Family) -> None:
    for permission in WORKER_FAMILY_PERMISSIONS:
        remove_perm(permission, worker, family)


def open_lead_allocation(family: Family) -> Allocation | None:
    return (
        family.allocations.filter(ended_at__isnull=True, role=Allocation.Role.LEAD)
        .select_related("worker", "allocated_by")
        .first()
    )


def allocation_start(*, family: Family, worker, role: str, actor, reason: str = "") -> Allocation:
    """Allocate a worker (inside the caller's transaction, with the family row locked)."""
    _check_manages(actor, family)
    _check_allocatable(actor, worker)
    if family.allocations.filter(ended_at__isnull=True, worker=worker).exists():
        raise ApplicationError(f"{worker} is already allocated to {family.reference}.")
    allocation = Allocation.objects.create(
        family=family, worker=worker, role=role, started_at=timezone.now(), allocated_by=actor, reason=reason
    )
    _grant(worker, family)
    if family.restricted:
        # Allocating a worker to a restricted family is naming them: they could not work with it otherwise.
        family.restricted_to.add(worker)
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_ALLOCATED,
        obj=allocation,
        family=family,
        summary=f"{worker.get_full_name()} allocated as {allocation.get_role_display().lower()}",
        changes={"worker": worker.email, "role": role},
    )
    return allocation


def allocation_end(*, allocation: Allocation, actor, reason: str, keep_access: bool = False) -> Allocation:
    """End a worker's allocation; they lose sight of the family unless ``keep_access`` (a follow-up is due)."""
    allocation.ended_at = timezone.now()
    allocation.ended_by = actor
    allocation.end_reason = reason
    allocation.save(update_fields=["ended_at", "ended_by", "end_reason"])
    if not keep_access:
        _revoke(allocation.worker, allocation.family)
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_ALLOCATION_ENDED,
        obj=allocation,
        family=allocation.family,
        summary=f"{allocation.worker.get_full_name()} no longer {allocation.get_role_display().lower()}",
        changes={"worker": allocation.worker.email, "reason": reason},
    )
    return allocation


SUPPORT_ENDED = "Support ended"


def support_end(*, family: Family, actor, reason: str, follow_up_due: bool = False) -> None:
    """The family's support has ended (its last plan closed, or its referral closed before a plan): the family
    closes and every allocation ends, so caseloads count only families in support. While a six-month follow-up
    is due the lead worker keeps sight of the family to record it (``follow_up_access_end`` then revokes it).
    Inside the caller's transaction, with the family row locked."""
    if family.status != Family.Status.CLOSED:
        family.status = Family.Status.CLOSED
        family.closed_at = timezone.now()
        family.save(update_fields=["status", "closed_at", "modified_at"])
    for allocation in family.allocations.filter(ended_at__isnull=True).select_related("worker", "family"):
        allocation_end(
            allocation=allocation,
            actor=actor,
            reason=f"{SUPPORT_ENDED}: {reason}",
            keep_access=follow_up_due and allocation.role == Allocation.Role.LEAD,
        )


def follow_up_access_end(*, family: Family) -> None:
    """After the follow-up: workers no longer allocated to the family lose the sight of it they kept."""
    allocated = family.allocations.filter(ended_at__isnull=True).values("worker_id")
    holders = (
        FamilyUserObjectPermission.objects.filter(content_object=family)
        .exclude(user_id__in=allocated)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for worker in get_user_model().objects.filter(pk__in=list(holders)):
        _revoke(worker, family)


@transaction.atomic
def family_reallocate(*, family: Family, worker, reason: str, actor) -> Allocation:
    """Hand the family to a new lead worker; the old one loses access on their next request."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the family is being reallocated"})
    family = Family.objects.select_for_update().get(pk=family.pk)
    _check_manages(actor, family)
    _check_in_support(family)
    current = open_lead_allocation(family)
    if current and current.worker_id == worker.pk:
        raise ApplicationError(f"{worker} is already the lead worker for {family.reference}.")
    co_worker = family.allocations.filter(ended_at__isnull=True, worker=worker).first()
    if co_worker:
        allocation_end(allocation=co_worker, actor=actor, reason="Became lead worker")
    if current:
        allocation_end(allocation=current, actor=actor, reason=reason)
    return allocation_start(family=family, worker=worker, role=Allocation.Role.LEAD, actor=actor, reason=reason)


@transaction.atomic
def family_add_co_worker(*, family: Family, worker, actor, reason: str = "") -> Allocation:
    family = Family.objects.select_for_update().get(pk=family.pk)
    _check_manages(actor, family)
    _check_in_support(family)
    return allocation_start(family=family, worker=worker, role=Allocation.Role.CO_WORKER, actor=actor, reason=reason)


@transaction.atomic
def family_end_co_worker(*, family: Family, worker, actor, reason: str) -> Allocation:
    family = Family.objects.select_for_update().get(pk=family.pk)
    _check_manages(actor, family)
    allocation = family.allocations.filter(ended_at__isnull=True, worker=worker, role=Allocation.Role.CO_WORKER).first()
    if allocation is None:
        raise ApplicationError(f"{worker} is not a co-worker for {family.reference}.")
    return allocation_end(allocation=allocation, actor=actor, reason=reason or "Co-working ended")
