"""Writes to the workforce records: one function each, owning its transaction and writing its audit event.

None of them names a family: the audit rows have no family, and a supervision session records only that cases were
discussed, never which.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bases.models import Base, District, StaffProfile
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.roles import Role, has_role

from .models import BackgroundCheck, StaffRole, SupervisionSession, TrainingRecord, Vacancy
from .rules import Course, default_expiry
from .selectors import can_record_supervision, can_record_training, supervisors

# Nothing the workforce records is older than the service's staff records (the new service began in 2019).
EARLIEST = date(2015, 1, 1)


def _past_date(value: date | None, field: str, what: str, errors: dict) -> None:
    if value is None:
        errors[field] = f"Enter {what.lower()}"
    elif value > timezone.localdate():
        errors[field] = f"{what} must be today or in the past"
    elif value < EARLIEST:
        errors[field] = f"{what} must be in {EARLIEST.year} or later"


def _lock_member(profile: StaffProfile) -> None:
    """Writes to one member's records wait for each other, so a form sent twice at once is seen as a duplicate."""
    StaffProfile.objects.select_for_update().filter(pk=profile.pk).first()


def _require_admin(actor) -> None:
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied("Only the service admin enters vacancies.")


@transaction.atomic
def vacancy_open(
    *, actor, role: str, district: District, fte: Decimal, open_since: date, base: Base | None = None
) -> Vacancy:
    """A post the service is recruiting to, entered by the service admin."""
    _require_admin(actor)
    errors: dict[str, str] = {}
    if role not in StaffRole.values:
        errors["role"] = "Select the role"
    if district is None:
        errors["district"] = "Select the district"
    elif base is not None and base.district_id != district.pk:
        errors["base"] = f"{base.name} is not in {district.name}: choose a base in the district, or none"
    if fte is None or not Decimal("0") < fte <= Decimal("1"):
        errors["fte"] = "Full-time equivalent must be more than 0 and no more than 1 (1 is full time)"
    _past_date(open_since, "open_since", "The date it opened", errors)
    if errors:
        raise ValidationError(errors)
    vacancy = Vacancy.objects.create(
        role=role, district=district, base=base, fte=fte, open_since=open_since, created_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.VACANCY_OPENED,
        obj=vacancy,
        summary=f"Vacancy entered: {vacancy.get_role_display().lower()}, {district.name}, {fte} FTE",
    )
    return vacancy


@transaction.atomic
def vacancy_fill(*, actor, vacancy: Vacancy, filled_on: date) -> Vacancy:
    _require_admin(actor)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    errors: dict[str, str] = {}
    if vacancy.filled_on is not None:
        errors["filled_on"] = f"This vacancy was already filled on {vacancy.filled_on:%-d %B %Y}"
    else:
        _past_date(filled_on, "filled_on", "The date it was filled", errors)
        if not errors and filled_on < vacancy.open_since:
            errors["filled_on"] = (
                f"The date it was filled must be on or after it opened ({vacancy.open_since:%-d %B %Y})"
            )
    if errors:
        raise ValidationError(errors)
    vacancy.filled_on = filled_on
    vacancy.save(update_fields=["filled_on", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.VACANCY_FILLED,
        obj=vacancy,
        summary=f"Vacancy filled: {vacancy.get_role_display().lower()}, {vacancy.district.name}",
        changes={"filled_on": [None, filled_on.isoformat()]},
    )
    return vacancy


@transaction.atomic
def supervision_record(
    *, actor, profile: StaffProfile, held_on: date, supervisor, case_discussion: bool
) -> SupervisionSession:
    """A worker's supervision session, recorded by their team manager: when, who supervised, and whether cases were
    discussed. No notes: what was said about families stays on the families' records."""
    if not can_record_supervision(actor, profile):
        raise PermissionDenied("Only the worker's team manager records their supervision.")
    _lock_member(profile)
    errors: dict[str, str] = {}
    _past_date(held_on, "held_on", "The date of the session", errors)
    if "held_on" not in errors and SupervisionSession.objects.filter(worker=profile.user, held_on=held_on).exists():
        errors["held_on"] = f"A supervision session on {held_on:%-d %B %Y} is already recorded"
    if supervisor is None:
        errors["supervisor"] = "Select who supervised"
    elif supervisor.pk == profile.user_id:
        errors["supervisor"] = "A worker cannot supervise themselves"
    elif not supervisors().filter(pk=supervisor.pk).exists():
        errors["supervisor"] = "Select an active team manager"
    if errors:
        raise ValidationError(errors)
    session = SupervisionSession.objects.create(
        worker=profile.user,
        held_on=held_on,
        supervisor=supervisor,
        case_discussion=bool(case_discussion),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.SUPERVISION_RECORDED,
        obj=session,
        summary=f"Supervision of {profile.user.get_full_name()} on {held_on:%-d %B %Y} recorded",
    )
    return session


@transaction.atomic
def training_record(
    *, actor, profile: StaffProfile, course: str, completed_on: date, expires_on: date | None = None
) -> TrainingRecord:
    """A mandatory course completed; the expiry date defaults to the course's length (``rules.COURSE_YEARS``)."""
    if not can_record_training(actor, profile):
        raise PermissionDenied("Only the service admin or the member's team manager records their training.")
    errors: dict[str, str] = {}
    if course not in Course.values:
        errors["course"] = "Select the course"
    _past_date(completed_on, "completed_on", "The date it was completed", errors)
    _lock_member(profile)
    same = TrainingRecord.objects.filter(staff=profile.user, course=course, completed_on=completed_on)
    if not errors and same.exists():
        errors["completed_on"] = (
            f"{Course(course).label} training completed on {completed_on:%-d %B %Y} is already recorded"
        )
    if not errors and expires_on is None:
        expires_on = default_expiry(course, completed_on)
    if not errors and expires_on <= completed_on:
        errors["expires_on"] = "The expiry date must be after the date it was completed"
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord.objects.create(
        staff=profile.user, course=course, completed_on=completed_on, expires_on=expires_on, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRAINING_RECORDED,
        obj=record,
        summary=f"{record.get_course_display()} training of {profile.user.get_full_name()} recorded",
    )
    return record


@transaction.atomic
def background_check_record(*, actor, profile: StaffProfile, checked_on: date) -> BackgroundCheck:
    """A member of staff's enhanced DBS check date (renewal due three years later, ``rules.DBS_RENEWAL_YEARS``)."""
    if not can_record_training(actor, profile):
        raise PermissionDenied("Only the service admin or the member's team manager records their DBS check.")
    _lock_member(profile)
    errors: dict[str, str] = {}
    _past_date(checked_on, "checked_on", "The DBS check date", errors)
    if not errors and BackgroundCheck.objects.filter(staff=profile.user, checked_on=checked_on).exists():
        errors["checked_on"] = f"A DBS check on {checked_on:%-d %B %Y} is already recorded"
    if errors:
        raise ValidationError(errors)
    check = BackgroundCheck.objects.create(staff=profile.user, checked_on=checked_on, recorded_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.BACKGROUND_CHECK_RECORDED,
        obj=check,
        summary=f"DBS check of {profile.user.get_full_name()} on {checked_on:%-d %B %Y} recorded",
    )
    return check
