"""Correcting a referral's details (README, *Correcting what was recorded*): the original is kept by
django-simple-history, with the reason, and the correction is audited.

Who: whoever recorded the referral while it is open, or a team manager of the base it was routed to (also once it
is closed). What, by state:

- always: the referrer, the reasons and what is happening, urgency, how best to engage the family, whether contact
  must be by agreed safe means only (and how), how it was received;
- the received date: always, but the timescales' due dates move only while the referral awaits triage, and a due
  date that has passed never moves (it placed the referral in that period's cohort; see ``_due_dates``);
- the family's address, phone, email and safe way to contact as referred: only while the referral awaits triage. A
  changed district or locality is routed again (a family the service holds goes to its team, otherwise the base
  serving the locality). After triage they are the family's, corrected on the family record.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bases.models import Team
from bases.selectors import manages_base
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.history import Amendment, Change, amendments_of
from ecfs.working_days import add_working_days
from families.rules import SERVICE_START, long_date, validate_safe_contact
from families.validators import normalise_postcode, validate_uk_postcode

from .models import Referral
from .services import held_family, rereferral_closure, route_team

Status = Referral.Status

REFERRER_FIELDS = (
    "source",
    "referrer_name",
    "referrer_agency",
    "referrer_role",
    "referrer_phone",
    "referrer_email",
)
DETAIL_FIELDS = (
    "reason_details",
    "urgency",
    "best_times",
    "language",
    "interpreter_needed",
    "safe_contact_only",
    "safe_contact_notes",
    "received_via",
)
# The family's details as referred: carried to the family when accepted (its address, how and whether it is safe to
# contact it), so corrected here only before triage.
AS_REFERRED_FIELDS = (
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "district",
    "locality",
    "contact_phone",
    "contact_email",
    "safe_contact_channel",
)
PLACE_FIELDS = ("district", "locality")  # a corrected postcode alone keeps its route: the locality is chosen
# What the record's page lists as corrected: the fields above and what a correction moves with them.
AMENDABLE_REFERRAL_FIELDS = (
    *REFERRER_FIELDS,
    *DETAIL_FIELDS,
    *AS_REFERRED_FIELDS,
    "received_at",
    "routed_team",
    "triage_due",
    "first_contact_due",
)
REASONS_LABEL = "Reasons for the referral"


def can_correct_referral(user, referral: Referral) -> bool:
    """Its recorder while it is open, or a team manager of the base it was routed to (closed ones too)."""
    if manages_base(user, referral.routed_team.base_id):
        return True
    return referral.recorded_by_id == user.pk and referral.status in Referral.OPEN_STATUSES


def address_correctable(referral: Referral) -> bool:
    return referral.status == Status.RECEIVED


@dataclass
class ReferralCorrection:
    referral: Referral
    changed: list[str]
    rerouted_to: Team | None = None
    kept_due: list[str] = field(default_factory=list)


def received_at_for(received_on: date, *, current: datetime) -> datetime:
    """The moment for a corrected date: unchanged if the date is; now for today; otherwise 9am (as at intake)."""
    if received_on == timezone.localtime(current).date():
        return current
    if received_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(received_on, time(9, 0)))


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is being corrected"})
    return reason.strip()


def _check_received_on(referral: Referral, received_on: date) -> None:
    """The intake's rules (not in the future, not before the service began) and the referral's own order: it was
    received before it was decided on and before its first contact."""
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": "The date received must be today or in the past"})
    if received_on < SERVICE_START:
        raise ValidationError(
            {"received_on": f"The date received must be after the service began ({long_date(SERVICE_START)})"}
        )
    first_decided = min((d.decided_at for d in referral.decisions.all()), default=referral.triaged_at)
    if first_decided and received_on > timezone.localtime(first_decided).date():
        raise ValidationError(
            {
                "received_on": "The date received must be on or before the first decision on it "
                f"({long_date(timezone.localtime(first_decided).date())})"
            }
        )
    if referral.first_contact_at and received_on > timezone.localtime(referral.first_contact_at).date():
        raise ValidationError(
            {
                "received_on": "The date received must be on or before the first contact "
                f"({long_date(timezone.localtime(referral.first_contact_at).date())})"
            }
        )


def _due_dates(referral: Referral, received_on: date) -> list[str]:
    """Move the timescales' due dates with a corrected received date, while the referral awaits triage.

    A due date that has passed stays: the returns measure each timescale on the cohort that fell due in a period,
    so moving it would take the referral out of a period already measured (perhaps submitted) without anyone
    deciding that. A due date still ahead is worked out again in working days, and if that date has passed too the
    referral falls due today: overdue at once, in the period being measured now, never in one already measured.
    Returns the due dates kept because they had passed."""
    today = timezone.localdate()
    kept = []
    for due_field, days, what in (
        ("triage_due", settings.ECFS_TRIAGE_DUE_WORKING_DAYS, "triage"),
        ("first_contact_due", settings.ECFS_FIRST_CONTACT_DUE_WORKING_DAYS, "first contact"),
    ):
        current = getattr(referral, due_field)
        if current < today:
            kept.append(f"{what} (due {long_date(current)})")
            continue
        setattr(referral, due_field, max(add_working_days(received_on, days), today))
    return kept


def _check_place(fields: dict) -> None:
    errors = {}
    try:
        fields["postcode"] = normalise_postcode(fields["postcode"])
        validate_uk_postcode(fields["postcode"])
    except ValidationError as error:
        errors["postcode"] = error.messages
    locality, district = fields["locality"], fields["district"]
    if locality.district_id not in (None, district.pk):
        errors["locality"] = [f"{locality} is not in {district}: choose a locality in that district"]
    if not fields["address_line_1"].strip():
        errors["address_line_1"] = ["Enter the first line of the address"]
    if not fields["town"].strip():
        errors["town"] = ["Enter the town"]
    try:
        validate_safe_contact(
            channel=fields["safe_contact_channel"], phone=fields["contact_phone"], email=fields["contact_email"]
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _reroute(referral: Referral) -> Team | None:
    """Route a referral whose place changed as a new one would be; a team of the same base keeps it."""
    people = [
        {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "date_of_birth": p.date_of_birth,
            "expected_date": p.expected_date,
        }
        for p in referral.people.all()
    ]
    team = route_team(
        district=referral.district,
        locality=referral.locality,
        family=held_family(people=people, postcode=referral.postcode),
    )
    if team.base_id == referral.routed_team.base_id:
        return None
    referral.routed_team = team
    return team


@transaction.atomic
def referral_amend(
    *, referral: Referral, actor, reason: str, received_on: date, reasons: list, as_referred: dict | None, **fields
) -> ReferralCorrection:
    """Correct a referral's details (``REFERRER_FIELDS``, ``DETAIL_FIELDS``), its reasons and received date, and,
    while it awaits triage, the family's details as referred (``as_referred``; None leaves them)."""
    reason = _require_reason(reason)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("routed_team")
        .prefetch_related("decisions")
        .get(pk=referral.pk)
    )
    if not can_correct_referral(actor, referral):
        raise ApplicationError(
            "Only the person who recorded this referral, while it is open, or a team manager of the base it was "
            "routed to can correct it."
        )
    unknown = set(fields) - set(REFERRER_FIELDS) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not correctable here: {', '.join(sorted(unknown))}")
    if not reasons:
        raise ValidationError({"reasons": "Select at least one reason for the referral"})
    if fields.get("safe_contact_only") and not (fields.get("safe_contact_notes") or "").strip():
        raise ValidationError({"safe_contact_notes": "Say how to make contact safely"})
    _check_received_on(referral, received_on)

    before = {name: getattr(referral, name) for name in AMENDABLE_REFERRAL_FIELDS}
    old_reasons = sorted(referral.reasons.all(), key=lambda d: d.name)
    new_reasons = sorted(set(reasons), key=lambda d: d.name)
    for name, value in fields.items():
        setattr(referral, name, value)
    rerouted_to = None
    if as_referred is not None:
        changing = {name for name, value in as_referred.items() if value != getattr(referral, name)}
        if changing and not address_correctable(referral):
            raise ApplicationError(
                "After triage the family's address and contact details are the family's: correct them on the "
                "family record."
            )
        if changing:
            _check_place(as_referred)
            for name, value in as_referred.items():
                setattr(referral, name, value)
            if any(getattr(referral, name) != before[name] for name in PLACE_FIELDS):
                rerouted_to = _reroute(referral)

    kept_due = []
    received_at = received_at_for(received_on, current=referral.received_at)
    if received_at != referral.received_at:
        referral.received_at = received_at
        if referral.status == Status.RECEIVED:
            kept_due = _due_dates(referral, received_on)
        if referral.family_id:
            referral.previous_closure_at = rereferral_closure(referral.family, received_at)
    try:
        referral.full_clean(exclude=["reasons", "reference"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None

    changed = [name for name in AMENDABLE_REFERRAL_FIELDS if getattr(referral, name) != before[name]]
    reasons_changed = [d.pk for d in old_reasons] != [d.pk for d in new_reasons]
    if not changed and not reasons_changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})

    moment = timezone.now()
    referral._change_reason = reason
    referral._history_user = actor
    referral._history_date = moment  # the audit event names it, so the page can show the reasons' change with it
    referral.save()
    if reasons_changed:
        referral.reasons.set(new_reasons)
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_AMENDED,
        obj=referral,
        family=referral.family,
        summary=_summary(referral, changed, reasons_changed, reason),
        changes={
            "fields": changed,
            "reason": reason,
            "history_date": moment.isoformat(),
            **(
                {"reasons": {"old": [d.name for d in old_reasons], "new": [d.name for d in new_reasons]}}
                if reasons_changed
                else {}
            ),
            **({"routed_team": {"old": before["routed_team"].name, "new": rerouted_to.name}} if rerouted_to else {}),
            **({"due_dates_kept": kept_due} if kept_due else {}),
        },
    )
    return ReferralCorrection(
        referral=referral,
        changed=changed + (["reasons"] if reasons_changed else []),
        rerouted_to=rerouted_to,
        kept_due=kept_due,
    )


def _summary(referral: Referral, changed: list[str], reasons_changed: bool, reason: str) -> str:
    words = [Referral._meta.get_field(name).verbose_name for name in changed] + (["reasons"] if reasons_changed else [])
    return f"Referral {referral.reference} corrected ({', '.join(words)}): {reason}"[:300]


# Reading the corrections -------------------------------------------------------------------------------------------


def _readable(field_name: str, value):
    """A stored value as people read it: a choice's label, a place's or team's name, a date in words."""
    if value in (None, ""):
        return value
    model_field = Referral._meta.get_field(field_name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation:
        return str(model_field.related_model.objects.filter(pk=value).first() or value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, date):
        return long_date(value)
    return value


def referral_amendments(referral: Referral) -> list[Amendment]:
    """The referral's corrections, newest first, with what each replaced (the reasons from its audit event, which
    the history row cannot hold: they are many-to-many)."""
    by_label = {Referral._meta.get_field(name).verbose_name: name for name in AMENDABLE_REFERRAL_FIELDS}
    reasons_at = {
        event.changes["history_date"]: event.changes["reasons"]
        for event in AuditEvent.objects.filter(
            action=AuditAction.REFERRAL_AMENDED, object_type="referrals.referral", object_id=str(referral.uuid)
        ).only("changes")
        if "reasons" in event.changes and "history_date" in event.changes
    }
    amendments = []
    for amendment in amendments_of(referral, AMENDABLE_REFERRAL_FIELDS):
        changes = [
            Change(
                change.field,
                _readable(by_label[change.field], change.old),
                _readable(by_label[change.field], change.new),
            )
            for change in amendment.changes
        ]
        reasons = reasons_at.get(amendment.when.isoformat())
        if reasons:
            changes.append(Change(REASONS_LABEL, ", ".join(reasons["old"]), ", ".join(reasons["new"])))
        amendments.append(Amendment(amendment.when, amendment.who, amendment.reason, tuple(changes)))
    return amendments
