"""Writes for families' voice: one function each, owning its transaction and writing its audit event."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bases.models import Base, District
from bases.selectors import managed_base_ids
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from ecfs.working_days import add_working_days
from families.access import family_scope
from families.models import Family
from families.rules import validate_event_date
from referrals.models import Referral

from .models import RESPONSE_WORKING_DAYS, Complaint, DigitalReach, Feedback

TEXT_MAX = 2000
CONTACT_MAX = 200
REFERENCE_MAX = 20
REASON_MAX = 300
# A family's (ECFS-000123) or a referral's (REF-000123) reference, as people type them: case, spaces and dashes
# vary, and the leading zeros may be left out.
_REFERENCE = re.compile(r"^(ECFS|REF)[\s\-]*(\d{1,9})$")


# Feedback (public) -------------------------------------------------------------------------------------------


def _match_reference(text: str) -> tuple[Family | None, Referral | None]:
    """The family or referral a typed reference names, or neither: the caller never says which."""
    match = _REFERENCE.match(re.sub(r"\s+", " ", text.strip().upper()))
    if not match:
        return None, None
    reference = f"{match[1]}-{int(match[2]):06d}"
    if match[1] == "ECFS":
        return Family.objects.select_related("base").filter(reference=reference).first(), None
    referral = Referral.objects.select_related("routed_team__base", "family__base").filter(reference=reference).first()
    return None, referral


@transaction.atomic
def feedback_receive(
    *,
    rating: int,
    went_well: str = "",
    could_be_better: str = "",
    reference: str = "",
    district: District | None = None,
    may_contact: bool = False,
    contact: str = "",
) -> Feedback:
    """Keep what someone told us on the public form. The reference, when it names a family or a referral, decides
    whose feedback it is (that family's base, else the referral's team's base); otherwise the district chosen. The
    form says the same thing whether or not the reference matched."""
    errors: dict[str, str] = {}
    if rating not in Feedback.Rating.values:
        errors["rating"] = "Select how good our service was"
    went_well, could_be_better = (went_well or "").strip(), (could_be_better or "").strip()
    for field, value in (("went_well", went_well), ("could_be_better", could_be_better)):
        if len(value) > TEXT_MAX:
            errors[field] = f"Your answer must be {TEXT_MAX} characters or fewer"
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX:
        errors["reference"] = f"The reference must be {REFERENCE_MAX} characters or fewer"
    contact = (contact or "").strip()
    if may_contact and not contact:
        errors["contact"] = "Enter a phone number or email address we can contact you on"
    elif len(contact) > CONTACT_MAX:
        errors["contact"] = f"Your contact details must be {CONTACT_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)
    family, referral = _match_reference(reference) if reference else (None, None)
    if referral is not None and referral.family_id:
        family = referral.family
    base = family.base if family else (referral.routed_team.base if referral else None)
    place = family.district if family else (referral.district if referral else district)
    feedback = Feedback.objects.create(
        received_at=timezone.now(),
        rating=rating,
        went_well=went_well,
        could_be_better=could_be_better,
        reference_given=reference,
        family=family,
        referral=referral,
        base=base,
        district=place,
        may_contact=bool(may_contact),
        contact=contact if may_contact else "",
    )
    audit_record(
        actor=None,
        action=AuditAction.FEEDBACK_RECEIVED,
        obj=feedback,
        family=family,
        summary=f"Feedback received on the public form: {feedback.get_rating_display().lower()}",
    )
    return feedback


# Complaints (team managers) ----------------------------------------------------------------------------------


def can_record_complaints(user) -> bool:
    return has_role(user, Role.MANAGER) and bool(managed_base_ids(user))


def response_due(received_on: date) -> date:
    """20 working days after the complaint was received (England and Wales bank holidays excluded)."""
    return add_working_days(received_on, RESPONSE_WORKING_DAYS)


def _date_errors(value, field: str, what: str, today: date) -> dict:
    if value is None:
        return {field: f"Enter {what.lower()}"}
    try:
        validate_event_date(value, field=field, today=today, first_referred=None, what=what)
    except ValidationError as error:
        return {k: v[0] for k, v in error.message_dict.items()}
    return {}


def _complaint_errors(*, actor, received_on, received_how, category, summary, family, base, today) -> dict:
    errors = _date_errors(received_on, "received_on", "The date it was received", today)
    if received_how not in Complaint.How.values:
        errors["received_how"] = "Select how the complaint came"
    if category not in Complaint.Category.values:
        errors["category"] = "Select what the complaint is about"
    if not summary:
        errors["summary"] = "Enter a summary of the complaint"
    elif len(summary) > TEXT_MAX:
        errors["summary"] = f"The summary must be {TEXT_MAX} characters or fewer"
    if family is not None:
        if not Family.objects.filter(family_scope(actor), pk=family.pk, base_id__in=managed_base_ids(actor)).exists():
            errors["family"] = "No family of your bases has this reference"
    elif base is None:
        errors["base"] = "Select the base the complaint is about"
    elif base.pk not in managed_base_ids(actor):
        errors["base"] = "Select one of your bases"
    return errors


@transaction.atomic
def complaint_record(
    *,
    actor,
    received_on: date,
    received_how: str,
    category: str,
    summary: str,
    family: Family | None = None,
    base: Base | None = None,
) -> Complaint:
    """Log a complaint for one of the actor's bases (the family's, when it names one); the response is due 20
    working days after it was received."""
    if not can_record_complaints(actor):
        raise ApplicationError("Only team managers record complaints.")
    summary = (summary or "").strip()
    errors = _complaint_errors(
        actor=actor,
        received_on=received_on,
        received_how=received_how,
        category=category,
        summary=summary,
        family=family,
        base=base,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    complaint = Complaint(
        received_on=received_on,
        received_how=received_how,
        category=category,
        summary=summary,
        family=family,
        base=family.base if family else base,
        response_due_on=response_due(received_on),
        created_by=actor,
        modified_by=actor,
    )
    complaint._history_user = actor
    complaint.save()
    audit_record(
        actor=actor,
        action=AuditAction.COMPLAINT_RECORDED,
        obj=complaint,
        family=family,
        summary=f"Complaint recorded: {complaint.get_category_display().lower()}, response due "
        f"{complaint.response_due_on:%-d %B %Y}",
    )
    return complaint


def _locked(complaint: Complaint, actor) -> Complaint:
    from .selectors import complaint_scope

    locked = Complaint.objects.select_for_update().filter(complaint_scope(actor), pk=complaint.pk).first()
    if locked is None:
        raise ApplicationError("No such complaint.")
    return locked


def _response_errors(*, responded_on, outcome, learning, received_on, today) -> dict:
    errors = _date_errors(responded_on, "responded_on", "The date of the response", today)
    if not errors and received_on and responded_on < received_on:
        errors["responded_on"] = "The date of the response must be on or after the date it was received"
    if outcome not in Complaint.Outcome.values:
        errors["outcome"] = "Select the outcome"
    if len(learning) > TEXT_MAX:
        errors["learning"] = f"What we learned must be {TEXT_MAX} characters or fewer"
    return errors


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, actor, responded_on: date, outcome: str, learning: str = ""
) -> Complaint:
    """Record the response (or that the complainant withdrew it) and what the service learned."""
    complaint = _locked(complaint, actor)
    if complaint.responded_on is not None:
        raise ApplicationError("This complaint already has a response: correct it instead.")
    learning = (learning or "").strip()
    errors = _response_errors(
        responded_on=responded_on,
        outcome=outcome,
        learning=learning,
        received_on=complaint.received_on,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    complaint.responded_on, complaint.outcome, complaint.learning = responded_on, outcome, learning
    complaint.modified_by = actor
    complaint._history_user = actor
    complaint.save()
    audit_record(
        actor=actor,
        action=AuditAction.COMPLAINT_RESPONDED,
        obj=complaint,
        family=complaint.family,
        summary=f"Complaint answered on {responded_on:%-d %B %Y}: {complaint.get_outcome_display().lower()}",
        changes={"responded_on": responded_on.isoformat(), "outcome": outcome},
    )
    return complaint


COMPLAINT_CORRECTABLE = ("received_on", "received_how", "category", "summary", "responded_on", "outcome", "learning")


@transaction.atomic
def complaint_correct(*, complaint: Complaint, actor, reason: str, **fields) -> Complaint:
    """Correct what was recorded, with the reason; the earlier version is kept (simple-history). Changing the date
    received moves the response's due day with it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the complaint is being corrected"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"The reason must be {REASON_MAX} characters or fewer"})
    complaint = _locked(complaint, actor)
    new = {field: fields.get(field, getattr(complaint, field)) for field in COMPLAINT_CORRECTABLE}
    new["summary"] = (new["summary"] or "").strip()
    new["learning"] = (new["learning"] or "").strip()
    new["outcome"] = new["outcome"] or ""
    today = timezone.localdate()
    errors = _complaint_errors(
        actor=actor,
        received_on=new["received_on"],
        received_how=new["received_how"],
        category=new["category"],
        summary=new["summary"],
        family=None,
        base=complaint.base,
        today=today,
    )
    if new["responded_on"] is not None or new["outcome"]:
        errors.update(
            _response_errors(
                responded_on=new["responded_on"],
                outcome=new["outcome"],
                learning=new["learning"],
                received_on=new["received_on"],
                today=today,
            )
        )
    if errors:
        raise ValidationError(errors)
    changed = [field for field, value in new.items() if getattr(complaint, field) != value]
    if not changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})
    before = {field: str(getattr(complaint, field)) for field in changed}
    for field, value in new.items():
        setattr(complaint, field, value)
    complaint.response_due_on = response_due(complaint.received_on)
    complaint.modified_by = actor
    complaint._change_reason = reason[:100]
    complaint._history_user = actor
    complaint.save()
    audit_record(
        actor=actor,
        action=AuditAction.COMPLAINT_CORRECTED,
        obj=complaint,
        family=complaint.family,
        summary=f"Complaint corrected ({', '.join(f.replace('_', ' ') for f in changed)}): {reason}"[:300],
        changes={"fields": changed, "before": before, "reason": reason},
    )
    return complaint


# Digital reach (the service admin) ---------------------------------------------------------------------------

DIGITAL_FIELDS = ("web_visits", *(field for field, _ in DigitalReach.PLATFORMS))


def _digital_reach_save(record: DigitalReach, *, actor, figures: dict) -> dict | None:
    """Put the figures on the month's record and save it; returns its figures before (None when it is new)."""
    before = None if record.pk is None else {field: getattr(record, field) for field in DIGITAL_FIELDS}
    for field in DIGITAL_FIELDS:
        setattr(record, field, figures.get(field))
    record.recorded_by = actor
    record._history_user = actor
    record.save()
    return before


@transaction.atomic
def digital_reach_record(*, actor, month: date, **figures) -> DigitalReach:
    """Save one month's web visits and followers (blank: not known yet); returns the month's record."""
    if not has_role(actor, Role.ADMIN):
        raise ApplicationError("Only the service admin enters digital reach.")
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": "Choose this month or an earlier one"})
    errors = {}
    for field in DIGITAL_FIELDS:
        value = figures.get(field)
        if value is not None and not 0 <= value <= 100_000_000:
            errors[field] = "Enter a whole number from 0 to 100,000,000"
    if errors:
        raise ValidationError(errors)
    record = DigitalReach.objects.select_for_update().filter(month=month).first() or DigitalReach(month=month)
    try:
        # A savepoint: when another admin saves the month's first figures at the same moment, theirs is kept and
        # these correct it, as saving again does.
        with transaction.atomic():
            before = _digital_reach_save(record, actor=actor, figures=figures)
    except IntegrityError:
        record = DigitalReach.objects.select_for_update().get(month=month)
        before = _digital_reach_save(record, actor=actor, figures=figures)
    audit_record(
        actor=actor,
        action=AuditAction.DIGITAL_REACH_RECORDED,
        obj=record,
        summary=f"Digital reach recorded for {month:%B %Y}",
        changes={"before": before, "after": {field: getattr(record, field) for field in DIGITAL_FIELDS}},
    )
    return record
