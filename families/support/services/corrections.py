"""Correcting what was recorded: amendments keep the original (django-simple-history) and give a reason.

A contact's author or a team manager of the family's base may correct it, or mark it recorded in error (on the
wrong family): it is never deleted, but from then on it is out of the family's lists and the returns.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import manages_family
from families.models import Contact
from families.rules import long_date, validate_event_date
from families.selectors import first_referred_on
from referrals.models import Referral

from .contacts import MAX_CONTACT_MINUTES

AMENDABLE_CONTACT_FIELDS = ("occurred_at", "duration_minutes", "notes", "next_steps")


def can_correct_contact(user, contact: Contact) -> bool:
    """Its author, or a team manager of the family's base; never once it is marked recorded in error."""
    if contact.in_error_at is not None:
        return False
    return contact.created_by_id == user.pk or manages_family(user, contact.family)


def require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record is being corrected"})
    return reason.strip()


def _locked_contact(contact: Contact, actor) -> Contact:
    contact = Contact.objects.select_for_update().select_related("family").get(pk=contact.pk)
    if contact.in_error_at is not None:
        raise ApplicationError("This contact was marked recorded in error: it cannot be changed.")
    if not can_correct_contact(actor, contact):
        raise ApplicationError(
            "Only the person who recorded this contact or a team manager of the family's base can correct it."
        )
    return contact


@transaction.atomic
def contact_amend(
    *, contact: Contact, actor, reason: str, occurred_at: datetime, duration_minutes: int, notes: str, next_steps: str
) -> Contact:
    """Correct a contact's date and time, duration or notes; the earlier version is kept with the reason."""
    reason = require_reason(reason)
    contact = _locked_contact(contact, actor)
    errors = {}
    try:
        validate_event_date(
            timezone.localdate(occurred_at),
            field="occurred_at",
            today=timezone.localdate(),
            first_referred=first_referred_on(contact.family),
            what="The date of the contact",
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if not errors and occurred_at > timezone.now():
        errors["occurred_at"] = "The contact cannot be in the future"
    if not errors:
        _check_children_born(contact, timezone.localdate(occurred_at), errors)
    if duration_minutes is None or not 0 < duration_minutes <= MAX_CONTACT_MINUTES:
        errors["duration_minutes"] = "Duration must be between 1 minute and 12 hours"
    if not notes.strip():
        errors["notes"] = "Enter what happened"
    if errors:
        raise ValidationError(errors)
    if occurred_at.replace(second=0, microsecond=0) == contact.occurred_at.replace(second=0, microsecond=0):
        occurred_at = contact.occurred_at  # the form gives minutes: the same minute is no change
    new = {"occurred_at": occurred_at, "duration_minutes": duration_minutes, "notes": notes, "next_steps": next_steps}
    changed = [field for field, value in new.items() if getattr(contact, field) != value]
    if not changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})
    for field, value in new.items():
        setattr(contact, field, value)
    contact._change_reason = reason
    contact._history_user = actor  # also when the change comes from the API, not a page
    contact.save()
    _first_contact_recount(contact)
    audit_record(
        actor=actor,
        action=AuditAction.CONTACT_AMENDED,
        obj=contact,
        family=contact.family,
        summary=f"Contact corrected ({', '.join(field.replace('_', ' ') for field in changed)}): {reason}"[:300],
        changes={"fields": changed, "reason": reason},
    )
    return contact


def _check_children_born(contact: Contact, day, errors: dict) -> None:
    """A child recorded as seen on the contact was born by its corrected date."""
    for answer in contact.children_seen.filter(seen=True).select_related("child"):
        born = answer.child.date_of_birth
        if born is not None and day < born:
            errors["occurred_at"] = (
                f"{answer.child.first_name} was seen on this contact and was born on {long_date(born)}: "
                "the contact cannot be before then"
            )
            return


@transaction.atomic
def contact_mark_in_error(*, contact: Contact, actor, reason: str) -> Contact:
    """The contact was recorded on the wrong family: kept, but out of lists and returns from now on."""
    reason = require_reason(reason)
    contact = _locked_contact(contact, actor)
    contact.in_error_at = timezone.now()
    contact.in_error_by = actor
    contact.in_error_reason = reason
    contact._change_reason = f"Recorded in error: {reason}"
    contact._history_user = actor
    contact.save()
    _first_contact_recount(contact)
    audit_record(
        actor=actor,
        action=AuditAction.CONTACT_IN_ERROR,
        obj=contact,
        family=contact.family,
        summary=f"Contact marked recorded in error: {reason}"[:300],
        changes={"reason": reason},
    )
    return contact


def _first_contact_recount(contact: Contact) -> None:
    """A referral's first contact is the earliest two-way contact (not in error) since it was received."""
    referrals = contact.family.referrals.filter(
        Q(first_contact_at__isnull=False) | Q(status__in=[Referral.Status.ACCEPTED, Referral.Status.ALLOCATED])
    )
    for referral in referrals.select_for_update():
        earliest = (
            Contact.objects.filter(
                family=contact.family, in_error_at__isnull=True, occurred_at__gte=referral.received_at
            )
            .exclude(mode=Contact.Mode.MESSAGE)
            .aggregate(first=Min("occurred_at"))["first"]
        )
        if earliest != referral.first_contact_at:
            referral.first_contact_at = earliest
            referral.save(update_fields=["first_contact_at", "modified_at"])
