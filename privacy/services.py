"""Data protection writes: the retention run, and subject access requests."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from families.models import Family
from referrals.models import Referral

from .anonymise import AnonymiseResult, ReferralAnonymiseResult, family_anonymise, referral_anonymise
from .models import SubjectAccessRequest
from .retention import families_due, referrals_due
from .subject_access import bundle, bundle_json, bundle_pdf, third_parties


def retention_run(*, today: date, actor=None) -> list[AnonymiseResult]:
    """Anonymise the families past their retention date, each in its own transaction (a dry run is
    ``families_due`` alone)."""
    return [family_anonymise(due=item, actor=actor) for item in families_due(today=today)]


def referral_retention_run(*, today: date, actor=None) -> list[ReferralAnonymiseResult]:
    """Anonymise the referrals never linked to a family that are past their retention date, each in its own
    transaction."""
    return [referral_anonymise(due=item, actor=actor) for item in referrals_due(today=today)]


@transaction.atomic
def referral_legal_hold_place(*, referral: Referral, actor, reason: str) -> Referral:
    """Stop the retention job anonymising a referral never linked to a family (a linked one is held with its
    family, on the family's record)."""
    referral = _held_referral(referral, actor)
    if referral.anonymised_at:
        raise ApplicationError("This referral has already been anonymised.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the legal hold, for example the case it is for"})
    referral.legal_hold, referral.legal_hold_reason = True, reason.strip()[:300]
    referral.save(update_fields=["legal_hold", "legal_hold_reason", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_LEGAL_HOLD,
        obj=referral,
        summary="Legal hold placed",
        changes={"reason": referral.legal_hold_reason, "at": timezone.now().isoformat()},
    )
    return referral


@transaction.atomic
def referral_legal_hold_release(*, referral: Referral, actor, reason: str) -> Referral:
    referral = _held_referral(referral, actor)
    if not referral.legal_hold:
        raise ApplicationError("This referral is not on legal hold.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the legal hold is released"})
    referral.legal_hold, referral.legal_hold_reason = False, ""
    referral.save(update_fields=["legal_hold", "legal_hold_reason", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_LEGAL_HOLD_RELEASED,
        obj=referral,
        summary="Legal hold released",
        changes={"reason": reason.strip()},
    )
    return referral


def _held_referral(referral: Referral, actor) -> Referral:
    _check_admin(actor, "place or release legal holds on referrals")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.family_id is not None:
        family = referral.family.reference
        raise ValidationError({"family_reference": f"That referral is part of family {family}'s record: hold it"})
    return referral


def _check_admin(actor, doing: str = "handle subject access requests") -> None:
    if not (has_role(actor, Role.ADMIN) or actor.is_superuser):
        raise ApplicationError(f"Only a service admin can {doing}.")


@transaction.atomic
def subject_access_create(
    *, actor, family_reference: str, person_name: str = "", requester_name: str, received_on: date
) -> SubjectAccessRequest:
    _check_admin(actor)
    family = Family.objects.filter(reference__iexact=family_reference.strip()).first()
    if family is None:
        raise ValidationError({"family_reference": "No family has that reference"})
    if family.anonymised_at:
        raise ValidationError({"family_reference": "This family's records have been anonymised: nothing is held"})
    person = None
    if person_name.strip():
        wanted = " ".join(person_name.split()).lower()
        person = next((p for p in family.members.all() if p.full_name.lower() == wanted), None)
        if person is None:
            raise ValidationError({"person_name": f"No one called {person_name.strip()} is in {family.reference}"})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received must be today or in the past"})
    sar = SubjectAccessRequest.objects.create(
        family=family,
        person=person,
        requester_name=requester_name.strip(),
        received_on=received_on,
        due_on=received_on + relativedelta(months=1),
        created_by=actor,
    )
    sar.reference = f"SAR-{sar.pk:06d}"
    sar.save(update_fields=["reference"])
    audit_record(
        actor=actor,
        action=AuditAction.SUBJECT_ACCESS_RECEIVED,
        obj=sar,
        family=family,
        summary=f"Subject access request {sar.reference} received, due {sar.due_on:%d %B %Y}",
    )
    return sar


@transaction.atomic
def subject_access_redact(*, sar: SubjectAccessRequest, actor, keys: list[str]) -> SubjectAccessRequest:
    _check_admin(actor)
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if sar.status == SubjectAccessRequest.Status.RELEASED:
        raise ApplicationError("This request has been released: its bundle can no longer change.")
    known = {party.key for party in third_parties(sar)}
    unknown = set(keys) - known
    if unknown:
        raise ApplicationError("Choose only from the third parties listed.")
    sar.redacted = sorted(keys)
    sar.save(update_fields=["redacted", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SUBJECT_ACCESS_REDACTIONS,
        obj=sar,
        family=sar.family,
        summary=f"Redactions for {sar.reference}: {len(keys)} third part{'y' if len(keys) == 1 else 'ies'}",
    )
    return sar


@transaction.atomic
def subject_access_release(*, sar: SubjectAccessRequest, actor) -> SubjectAccessRequest:
    _check_admin(actor)
    sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if sar.status == SubjectAccessRequest.Status.RELEASED:
        raise ApplicationError("This request has already been released.")
    sar.status = SubjectAccessRequest.Status.RELEASED
    sar.released_at = timezone.now()
    sar.released_by = actor
    sar.save(update_fields=["status", "released_at", "released_by", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SUBJECT_ACCESS_RELEASED,
        obj=sar,
        family=sar.family,
        summary=f"Subject access bundle {sar.reference} released to {sar.requester_name}",
    )
    return sar


def subject_access_download(*, sar: SubjectAccessRequest, actor, kind: str) -> bytes:
    """The bundle as PDF or JSON; every download is audited, since it holds the whole file."""
    _check_admin(actor)
    data = bundle(sar)
    content = bundle_pdf(data) if kind == "pdf" else bundle_json(data)
    audit_record(
        actor=actor,
        action=AuditAction.SUBJECT_ACCESS_DOWNLOADED,
        obj=sar,
        family=sar.family,
        summary=f"Subject access bundle {sar.reference} downloaded as {kind.upper()}",
    )
    return content
