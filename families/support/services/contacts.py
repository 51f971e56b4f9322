"""The contact log and safeguarding concerns raised on it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import manages_family
from families.models import ChildSeen, Contact, Family, Person, PlannedVisit, SafeguardingAction, SupportPlan
from families.rules import validate_child_seen, validate_event_date, validate_forward_date
from families.selectors import first_referred_on

MAX_CONTACT_MINUTES = 12 * 60


@transaction.atomic
def contact_log(
    *,
    family: Family,
    actor,
    occurred_at,
    duration_minutes: int,
    mode: str,
    notes: str,
    venue=None,
    people_seen: list[Person] = (),
    children_seen: dict | None = None,
    next_steps: str = "",
    safeguarding_concern: bool = False,
    plan: SupportPlan | None = None,
) -> Contact:
    """Record a contact. A home visit must say, for each child, whether they were seen.

    The same contact twice (this worker, this family, the same time and way: a double submit) is refused."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    errors = {}
    contact_day = timezone.localdate(occurred_at)
    try:
        validate_event_date(
            contact_day,
            field="occurred_at",
            today=timezone.localdate(),
            first_referred=first_referred_on(family),
            what="The date of the contact",
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if not errors and occurred_at > timezone.now():
        errors["occurred_at"] = "The contact cannot be in the future"
    if duration_minutes is None or duration_minutes <= 0:
        errors["duration_minutes"] = "Duration must be more than 0 minutes"
    elif duration_minutes > MAX_CONTACT_MINUTES:
        errors["duration_minutes"] = "Duration must be 12 hours or less"
    if mode in (Contact.Mode.COMMUNITY_VENUE, Contact.Mode.BASE) and venue is None:
        errors["venue"] = "Choose the venue"
    if not notes.strip():
        errors["notes"] = "Enter what happened"
    children = list(family.members.filter(kind=Person.Kind.CHILD))
    answers = {getattr(key, "pk", key): value for key, value in (children_seen or {}).items()}
    if mode == Contact.Mode.HOME_VISIT:
        for child in children:
            if answers.get(child.pk) not in (True, False):
                errors[f"child_{child.pk}"] = f"Say whether {child.first_name} was seen"
    for child in children:
        try:
            validate_child_seen(
                field=f"child_{child.pk}",
                first_name=child.first_name,
                date_of_birth=child.date_of_birth,
                seen=answers.get(child.pk) is True,
                on=contact_day,
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if any(person.family_id != family.pk for person in people_seen):
        errors["people_seen"] = "Choose people from this family"
    if plan is not None and plan.family_id != family.pk:
        errors["plan"] = "Choose one of this family's plans"
    if not errors:
        _refuse_duplicate_contact(family=family, actor=actor, occurred_at=occurred_at, mode=mode)
    if errors:
        raise ValidationError(errors)

    contact = Contact.objects.create(
        family=family,
        plan=plan,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        mode=mode,
        venue=venue if mode in Contact.FACE_TO_FACE else None,
        notes=notes,
        next_steps=next_steps,
        safeguarding_concern=safeguarding_concern,
        created_by=actor,
    )
    contact.people_seen.set(people_seen)
    ChildSeen.objects.bulk_create(
        [
            ChildSeen(contact=contact, child=child, seen=answers[child.pk])
            for child in children
            if answers.get(child.pk) in (True, False)
        ]
    )
    _record_first_contact(family=family, contact=contact, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CONTACT_LOGGED,
        obj=contact,
        family=family,
        summary=f"{contact.get_mode_display()} recorded"
        + (" with a safeguarding concern" if safeguarding_concern else ""),
    )
    return contact


def _refuse_duplicate_contact(*, family: Family, actor, occurred_at, mode: str) -> None:
    already = family.contacts.filter(
        created_by=actor, occurred_at=occurred_at, mode=mode, in_error_at__isnull=True
    ).exists()
    if already:
        when = timezone.localtime(occurred_at)
        raise ValidationError(
            {
                "occurred_at": f"You have already recorded a {Contact.Mode(mode).label.lower()} with this family at "
                f"{when:%H:%M} on {when:%-d %B %Y}. To change it, open it from the family's contacts and correct it"
            }
        )


def _record_first_contact(*, family: Family, contact: Contact, actor) -> None:
    """The first two-way contact after allocation meets the first-contact timescale."""
    if contact.mode == Contact.Mode.MESSAGE:
        return
    from referrals.models import Referral
    from referrals.services import referral_record_first_contact

    waiting = family.referrals.filter(
        status__in=[Referral.Status.ACCEPTED, Referral.Status.ALLOCATED],
        first_contact_at__isnull=True,
        received_at__lte=contact.occurred_at,
    )
    for referral in waiting:
        referral_record_first_contact(referral=referral, when=contact.occurred_at, actor=actor)


@transaction.atomic
def safeguarding_action_record(*, contact: Contact, action: str, notes: str, actor) -> SafeguardingAction:
    contact = Contact.objects.select_for_update().select_related("family").get(pk=contact.pk)
    if not contact.safeguarding_concern:
        raise ApplicationError("No safeguarding concern was raised on this contact.")
    if not manages_family(actor, contact.family):
        raise ApplicationError("Only a team manager of the family's base can record the safeguarding action.")
    if hasattr(contact, "safeguarding_action"):
        raise ApplicationError("The action on this concern has already been recorded.")
    if action not in SafeguardingAction.Action.values:
        raise ValidationError({"action": "Select the action taken"})
    if not notes.strip():
        message = (
            "Give the reason for no further action"
            if action == SafeguardingAction.Action.NO_FURTHER_ACTION
            else "Say what was done"
        )
        raise ValidationError({"notes": message})
    recorded = SafeguardingAction.objects.create(
        contact=contact, action=action, notes=notes, recorded_by=actor, recorded_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONTACT_SAFEGUARDING_ACTION,
        obj=contact,
        family=contact.family,
        summary=f"Safeguarding concern actioned: {recorded.get_action_display().lower()}",
    )
    return recorded


@transaction.atomic
def visit_plan(*, family: Family, actor, starts_at, mode: str, notes: str = "") -> PlannedVisit:
    """Arrange a visit or call; it shows in the worker's week until it happens or is cancelled. The same visit
    twice (a double submit) is refused."""
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The visit must be in the future"})
    validate_forward_date(
        timezone.localdate(starts_at), field="starts_at", today=timezone.localdate(), what="The date of the visit"
    )
    if mode not in Contact.Mode.values:
        raise ValidationError({"mode": "Select how the visit will happen"})
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.planned_visits.filter(worker=actor, starts_at=starts_at, cancelled_at__isnull=True).exists():
        when = timezone.localtime(starts_at)
        raise ValidationError(
            {"starts_at": f"You already have a visit with this family planned at {when:%H:%M} on {when:%-d %B %Y}"}
        )
    visit = PlannedVisit.objects.create(family=family, worker=actor, starts_at=starts_at, mode=mode, notes=notes)
    audit_record(
        actor=actor,
        action=AuditAction.VISIT_PLANNED,
        obj=visit,
        family=family,
        summary=f"{visit.get_mode_display()} planned",
    )
    return visit


@transaction.atomic
def visit_cancel(*, visit: PlannedVisit, actor) -> PlannedVisit:
    visit = PlannedVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.cancelled_at:
        raise ApplicationError("This visit is already cancelled.")
    visit.cancelled_at = timezone.now()
    visit.save(update_fields=["cancelled_at"])
    audit_record(
        actor=actor,
        action=AuditAction.VISIT_CANCELLED,
        obj=visit,
        family=visit.family,
        summary="Planned visit cancelled",
    )
    return visit
