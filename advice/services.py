"""Writes to the advice log: one function each, owning its transaction and writing its audit event."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import family_scope
from families.models import Family
from families.rules import validate_event_date
from referrals.selectors import referral_list

from .models import AdviceEntry
from .selectors import advice_list, recorder_team

SIGNPOSTED_TO_MAX = 200
SIGNPOSTED_TO_MISSING = "Name the service or community group you signposted them to"
NOTES_MAX = 2000
# The outward code (first half) of a UK postcode: NR1, NR30, PE30, IP22, W1A.
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_outward(value: str) -> str:
    return re.sub(r"\s+", " ", (value or "").strip().upper())


def outward_postcode_problem(value: str) -> str | None:
    """What is wrong with a (normalised) first half of a postcode, or None: never a full postcode."""
    if not value:
        return None
    if FULL_POSTCODE.match(value):
        return (
            "Enter only the first half of the postcode (like NR30), not the full postcode: "
            "the advice log never records an address"
        )
    if not OUTWARD_CODE.match(value):
        return "Enter the first half of a postcode, like NR30 or PE31"
    return None


def _where_errors(*, district, locality, outward_postcode: str) -> dict:
    errors = {}
    if district is None:
        errors["district"] = "Select the district"
    elif locality is not None and locality.district_id not in (None, district.pk):
        errors["locality"] = f"{locality.name} is not in {district.name}: choose a town in the district, or none"
    problem = outward_postcode_problem(outward_postcode)
    if problem:
        errors["outward_postcode"] = problem
    return errors


@transaction.atomic
def advice_record(
    *,
    actor,
    given_on,
    channel: str,
    district,
    topics,
    given: str,
    partner_session: str = "",
    locality=None,
    outward_postcode: str = "",
    signposted_to: str = "",
    referral=None,
    family: Family | None = None,
    notes: str = "",
) -> AdviceEntry:
    """Record information, advice or signposting given when a family asked: anonymous unless the family is known.

    The date follows the contact rules (not in the future, not before the service began); it is not held to a
    known family's first referral, since advice is often what comes before one.
    """
    team = recorder_team(actor)
    if team is None:
        raise ApplicationError("Only family support workers and team managers in a team record advice.")
    errors: dict[str, str] = {}
    if given_on is None:
        errors["given_on"] = "Enter the date"
    else:
        try:
            validate_event_date(
                given_on, field="given_on", today=timezone.localdate(), first_referred=None, what="The date"
            )
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if channel not in AdviceEntry.Channel.values:
        errors["channel"] = "Select how the family asked"
    if channel == AdviceEntry.Channel.OUTREACH:
        if partner_session not in AdviceEntry.PartnerSession.values:
            errors["partner_session"] = "Select whose session it was"
    else:
        partner_session = ""
    outward_postcode = normalise_outward(outward_postcode)
    errors.update(_where_errors(district=district, locality=locality, outward_postcode=outward_postcode))
    topics = list(topics or [])
    if not topics:
        errors["topics"] = "Select what they asked about"
    if given not in AdviceEntry.Given.values:
        errors["given"] = "Select what you gave"
    signposted_to = (signposted_to or "").strip()
    if given == AdviceEntry.Given.SIGNPOSTED and not signposted_to:
        errors["signposted_to"] = SIGNPOSTED_TO_MISSING
    elif len(signposted_to) > SIGNPOSTED_TO_MAX:
        errors["signposted_to"] = f"The service or group's name must be {SIGNPOSTED_TO_MAX} characters or fewer"
    if referral is not None:
        if given != AdviceEntry.Given.REFERRAL:
            errors["referral"] = "Only link a referral when a referral was made"
        elif not referral_list(user=actor).filter(pk=referral.pk).exists():
            errors["referral"] = "No referral you can see has this reference"
    if family is not None and not Family.objects.filter(family_scope(actor), pk=family.pk).exists():
        errors["family"] = "No family you can see matches"
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        errors["notes"] = f"Notes must be {NOTES_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)

    entry = AdviceEntry.objects.create(
        given_on=given_on,
        channel=channel,
        partner_session=partner_session,
        district=district,
        locality=locality,
        outward_postcode=outward_postcode,
        given=given,
        signposted_to=signposted_to,
        referral=referral,
        family=family,
        notes=notes,
        team=team,
        base=team.base,
        created_by=actor,
    )
    entry.topics.set(topics)
    audit_record(
        actor=actor,
        action=AuditAction.ADVICE_RECORDED,
        obj=entry,
        family=family,
        summary=f"Advice recorded: {entry.get_channel_display().lower()}, {entry.get_given_display().lower()}",
    )
    return entry


@transaction.atomic
def advice_link_referral(*, entry: AdviceEntry, referral, actor) -> AdviceEntry:
    """The referral made from this advice, once it is recorded: the entry then counts as a referral made."""
    entry = advice_list(user=actor).select_for_update().filter(pk=entry.pk).first()
    if entry is None:
        raise ApplicationError("No such advice entry.")
    if referral is None or not referral_list(user=actor).filter(pk=referral.pk).exists():
        raise ValidationError({"referral": "No referral you can see has this reference"})
    if entry.referral_id is not None:
        raise ValidationError({"referral": "This advice is already linked to a referral"})
    before = entry.given
    entry.referral = referral
    entry.given = AdviceEntry.Given.REFERRAL
    entry.save(update_fields=["referral", "given", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ADVICE_REFERRAL_LINKED,
        obj=entry,
        family=referral.family,
        summary=f"Advice linked to referral {referral.reference or referral.uuid}",
        changes={"given": [before, entry.given]},
    )
    return entry
