"""Recording team around the family meetings and onward referrals; every write audited in its transaction.

Anyone who may see the family (its allocated workers, its base's managers; for a restricted family only those
named on it) records them: the views fetch the family through ``families.selectors.family_get`` first.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import is_allocated, manages_family
from families.models import Family, Person, PlanAction, Professional, SupportPlan
from families.rules import (
    long_date,
    require_consent_to_share,
    shares_with_team_around_family,
    validate_event_date,
    validate_forward_date,
)
from families.selectors import first_referred_on
from families.support import services as support_services

from .models import MeetingAction, OnwardReferral, TafMeeting

MAX_ACTIONS = 12  # a meeting's actions (the page offers four at a time)

NOT_SHARED_WITHOUT_CONSENT = (
    "The family has not agreed to their information being shared with the team around the family, so the "
    "meeting cannot be recorded as shared with the other agencies. Record their consent to share first."
)


@dataclass(frozen=True)
class ActionInput:
    """One action agreed at the meeting: who does it (``owner`` as on a plan action, with the one named) and by
    when."""

    description: str
    owner: str
    due_on: date
    owner_worker: object = None
    owner_person: Person | None = None
    owner_professional: Professional | None = None


def current_plan(family: Family) -> SupportPlan | None:
    """The family's active plan that takes the meeting's actions: one-to-one before group, the newest first."""
    plans = list(family.plans.filter(status=SupportPlan.Status.ACTIVE).order_by("-activated_at", "-pk"))
    plans.sort(key=lambda plan: plan.kind != SupportPlan.Kind.ONE_TO_ONE)  # stable: newest first within a kind
    return plans[0] if plans else None


def ecfs_workers_of(family: Family, actor) -> list:
    """ECFS staff who may be named at the family's meeting: its allocated workers, and whoever records it."""
    workers = [
        allocation.worker for allocation in family.allocations.filter(ended_at__isnull=True).select_related("worker")
    ]
    if actor is not None and actor.pk not in {worker.pk for worker in workers}:
        workers.append(actor)
    return workers


def _validate_attendees(family, *, professionals, people, workers, actor) -> None:
    errors = {}
    if any(professional.family_id != family.pk for professional in professionals):
        errors["professionals"] = "Choose professionals from the family's team around the family"
    if any(person.family_id != family.pk for person in people):
        errors["people"] = "Choose people in this family"
    elif any(person.kind == Person.Kind.UNBORN for person in people):
        errors["people"] = "An unborn child cannot attend a meeting: choose family members who were there"
    allowed = {worker.pk for worker in ecfs_workers_of(family, actor)}
    if any(worker.pk not in allowed for worker in workers):
        errors["workers"] = "Choose workers allocated to the family"
    if not (professionals or people or workers):
        errors["professionals"] = "Say who attended the meeting"
    if errors:
        raise ValidationError(errors)


def _validate_lead(family, *, lead_worker, lead_professional, actor) -> None:
    if lead_worker is not None and lead_professional is not None:
        raise ValidationError({"lead": "Choose one lead professional"})
    if lead_professional is not None and lead_professional.family_id != family.pk:
        raise ValidationError({"lead": "Choose a professional from the family's team around the family"})
    if lead_worker is not None and lead_worker.pk not in {w.pk for w in ecfs_workers_of(family, actor)}:
        raise ValidationError({"lead": "Choose a worker allocated to the family"})


def _validate_dates(family, *, held_on: date, next_meeting_on: date | None) -> None:
    today = timezone.localdate()
    validate_event_date(
        held_on, field="held_on", today=today, first_referred=first_referred_on(family), what="The date of the meeting"
    )
    if next_meeting_on is not None:
        validate_forward_date(next_meeting_on, field="next_meeting_on", today=today, what="The next meeting")
        if next_meeting_on <= held_on:
            raise ValidationError({"next_meeting_on": "The next meeting must be after this one"})


def _refuse_second_meeting(family, held_on: date, *, exclude: TafMeeting | None = None) -> None:
    """One meeting a day for a family: a second is the same meeting entered again (a form sent twice, the API
    retried), which would also give the plan every action twice."""
    same_day = TafMeeting.objects.filter(family=family, held_on=held_on)
    if exclude is not None:
        same_day = same_day.exclude(pk=exclude.pk)
    if same_day.exists():
        raise ValidationError(
            {
                "held_on": f"A team around the family meeting on {long_date(held_on)} is already recorded for "
                f"{family.reference}: correct that meeting if something in it is wrong"
            }
        )


def _refuse_date_after_actions(meeting: TafMeeting, held_on: date) -> None:
    """The meeting's actions were agreed at it: none can fall due or be done before it."""
    dates = []
    for action in meeting.actions.select_related("plan_action"):
        current = action.current
        dates += [current.due_on] + ([current.done_on] if current.done_on else [])
    if dates and min(dates) < held_on:
        raise ValidationError(
            {
                "held_on": f"The meeting must be on or before {long_date(min(dates))}: one of its actions is due or "
                "was done then"
            }
        )


def _validate_sharing(family, shared: bool) -> None:
    if shared and not shares_with_team_around_family(family):
        raise ValidationError({"shared_with_agencies": NOT_SHARED_WITHOUT_CONSENT})


def _add_action(meeting: TafMeeting, plan: SupportPlan | None, item: ActionInput, *, actor, number: int):
    """The action on the plan when there is one (its rules: due within the plan's life, another agency only with
    consent to share), else on the meeting alone under the same rules."""
    family = meeting.family
    prefix = f"action_{number}_"
    description = item.description.strip()
    if not description:
        raise ValidationError({f"{prefix}description": f"Enter action {number}"})
    owner = item.owner
    if owner == PlanAction.Owner.WORKER:
        if item.owner_worker is None or not (
            is_allocated(item.owner_worker, family) or (plan is not None and item.owner_worker.pk == plan.worker_id)
        ):
            raise ValidationError({f"{prefix}owner": f"Action {number}: choose a worker allocated to the family"})
    elif owner == PlanAction.Owner.FAMILY:
        if (
            item.owner_person is None
            or item.owner_person.family_id != family.pk
            or item.owner_person.kind == Person.Kind.UNBORN
        ):
            raise ValidationError({f"{prefix}owner": f"Action {number}: choose someone in the family"})
    elif owner == PlanAction.Owner.PROFESSIONAL:
        if item.owner_professional is None or item.owner_professional.family_id != family.pk:
            raise ValidationError({f"{prefix}owner": f"Action {number}: choose a professional working with the family"})
        try:
            require_consent_to_share(family, doing="give an action to another agency")
        except ApplicationError as refused:
            raise ValidationError({f"{prefix}owner": refused.message}) from refused
    else:
        raise ValidationError({f"{prefix}owner": f"Action {number}: say who will do it"})
    if item.due_on < meeting.held_on:
        raise ValidationError({f"{prefix}due_on": f"Action {number} must be due on or after the meeting"})
    validate_forward_date(item.due_on, field=f"{prefix}due_on", today=timezone.localdate(), what="The due date")
    plan_action = None
    if plan is not None:
        try:
            plan_action = support_services.plan_action_add(
                plan=plan,
                description=description,
                owner=owner,
                due_on=item.due_on,
                actor=actor,
                owner_person=item.owner_person,
                owner_professional=item.owner_professional,
            )
            if owner == PlanAction.Owner.WORKER and item.owner_worker.pk != plan.worker_id:
                plan_action = support_services.plan_action_reassign(
                    action=plan_action, owner=owner, owner_worker=item.owner_worker, actor=actor
                )
        except ValidationError as refused:
            messages = [message for message_list in refused.message_dict.values() for message in message_list]
            raise ValidationError({f"{prefix}due_on": [f"Action {number}: {m}" for m in messages]}) from refused
        except ApplicationError as refused:
            raise ValidationError({f"{prefix}owner": f"Action {number}: {refused.message}"}) from refused
    return MeetingAction.objects.create(
        meeting=meeting,
        plan_action=plan_action,
        description=description,
        owner=owner,
        owner_worker=item.owner_worker if owner == PlanAction.Owner.WORKER else None,
        owner_person=item.owner_person if owner == PlanAction.Owner.FAMILY else None,
        owner_professional=item.owner_professional if owner == PlanAction.Owner.PROFESSIONAL else None,
        due_on=item.due_on,
    )


@transaction.atomic
def taf_meeting_record(
    *,
    family: Family,
    actor,
    held_on: date,
    decisions: str,
    professionals=(),
    people=(),
    workers=(),
    lead_worker=None,
    lead_professional=None,
    next_meeting_on: date | None = None,
    shared_with_agencies: bool = False,
    actions: list[ActionInput] = (),
) -> TafMeeting:
    """Record a meeting with its actions, all or nothing. With an active plan the actions join it (on the plan and,
    for ECFS, in My week); without one they are kept on the meeting and ECFS's still show in My week."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    professionals, people, workers = list(professionals), list(people), list(workers)
    _validate_dates(family, held_on=held_on, next_meeting_on=next_meeting_on)
    _refuse_second_meeting(family, held_on)
    if not decisions.strip():
        raise ValidationError({"decisions": "Enter what was decided"})
    _validate_attendees(family, professionals=professionals, people=people, workers=workers, actor=actor)
    _validate_lead(family, lead_worker=lead_worker, lead_professional=lead_professional, actor=actor)
    _validate_sharing(family, shared_with_agencies)
    meeting = TafMeeting.objects.create(
        family=family,
        held_on=held_on,
        decisions=decisions.strip(),
        lead_worker=lead_worker,
        lead_professional=lead_professional,
        next_meeting_on=next_meeting_on,
        shared_with_agencies=shared_with_agencies,
        created_by=actor,
    )
    meeting.professionals.set(professionals)
    meeting.people.set(people)
    meeting.workers.set(workers)
    if len(actions) > MAX_ACTIONS:
        raise ValidationError({"actions": f"Record at most {MAX_ACTIONS} actions for one meeting"})
    plan = current_plan(family) if actions else None
    made = [_add_action(meeting, plan, item, actor=actor, number=number) for number, item in enumerate(actions, 1)]
    audit_record(
        actor=actor,
        action=AuditAction.TAF_MEETING_RECORDED,
        obj=meeting,
        family=family,
        summary=f"Team around the family meeting of {long_date(held_on)} recorded with {len(made)} "
        f"action{'s' if len(made) != 1 else ''}" + (" (on the plan)" if plan and made else ""),
        changes={
            "held_on": held_on.isoformat(),
            "shared_with_agencies": shared_with_agencies,
            "actions": len(made),
            "on_plan": bool(plan and made),
        },
    )
    return meeting


def can_correct_meeting(user, meeting: TafMeeting) -> bool:
    """Whoever recorded it, a worker allocated to the family, or a team manager of its base."""
    return (
        meeting.created_by_id == user.pk or is_allocated(user, meeting.family) or manages_family(user, meeting.family)
    )


AMENDABLE_MEETING_FIELDS = ("held_on", "decisions", "next_meeting_on", "shared_with_agencies")


@transaction.atomic
def taf_meeting_amend(
    *,
    meeting: TafMeeting,
    actor,
    reason: str,
    held_on: date,
    decisions: str,
    next_meeting_on: date | None,
    shared_with_agencies: bool,
) -> TafMeeting:
    """Correct a meeting's date, decisions, next meeting or whether it was shared; the earlier version is kept
    with the reason (django-simple-history) and shown on the meeting's page."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is being corrected"})
    meeting = TafMeeting.objects.select_for_update().select_related("family").get(pk=meeting.pk)
    if not can_correct_meeting(actor, meeting):
        raise ApplicationError(
            "Only whoever recorded the meeting, the family's workers or a team manager of its base can correct it."
        )
    _validate_dates(meeting.family, held_on=held_on, next_meeting_on=next_meeting_on)
    _refuse_second_meeting(meeting.family, held_on, exclude=meeting)
    if held_on > meeting.held_on:
        _refuse_date_after_actions(meeting, held_on)
    if not decisions.strip():
        raise ValidationError({"decisions": "Enter what was decided"})
    # Consent withdrawn later does not undo what was shared at the time: only marking it shared now needs it.
    _validate_sharing(meeting.family, shared_with_agencies and not meeting.shared_with_agencies)
    new = {
        "held_on": held_on,
        "decisions": decisions.strip(),
        "next_meeting_on": next_meeting_on,
        "shared_with_agencies": shared_with_agencies,
    }
    changed = [field for field, value in new.items() if getattr(meeting, field) != value]
    if not changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})
    for field, value in new.items():
        setattr(meeting, field, value)
    meeting._change_reason = reason[:100]
    meeting._history_user = actor
    meeting.save()
    audit_record(
        actor=actor,
        action=AuditAction.TAF_MEETING_AMENDED,
        obj=meeting,
        family=meeting.family,
        summary=f"Team around the family meeting corrected ({', '.join(f.replace('_', ' ') for f in changed)}): "
        f"{reason}"[:300],
        changes={"fields": changed, "reason": reason},
    )
    return meeting


@transaction.atomic
def meeting_action_done(*, action: MeetingAction, actor, done_on: date) -> MeetingAction:
    """Mark done an action kept on the meeting alone (one on the plan is marked done on the plan)."""
    action = MeetingAction.objects.select_for_update().select_related("meeting__family").get(pk=action.pk)
    family = action.meeting.family
    if action.plan_action_id:
        raise ApplicationError("This action is on the family's plan: mark it done on the plan.")
    if action.done_on:
        raise ApplicationError(f"This action was already marked done on {long_date(action.done_on)}.")
    if not (is_allocated(actor, family) or manages_family(actor, family) or action.meeting.created_by_id == actor.pk):
        raise ApplicationError("Only the family's workers or a team manager of its base can mark actions done.")
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date it was done must be today or in the past"})
    if done_on < action.meeting.held_on:
        raise ValidationError({"done_on": "The date it was done must be on or after the meeting"})
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    audit_record(
        actor=actor,
        action=AuditAction.TAF_MEETING_ACTION_DONE,
        obj=action.meeting,
        family=family,
        summary=f"Meeting action done: {action.description}"[:300],
        changes={"done_on": done_on.isoformat()},
    )
    return action


# Onward referrals ---------------------------------------------------------------------------------------------


@transaction.atomic
def onward_referral_record(
    *,
    family: Family,
    actor,
    agency: str,
    organisation: str,
    reason: str,
    referred_on: date,
    consent_confirmed: bool,
    outcome_expected_by: date,
) -> OnwardReferral:
    """Record a referral made to a specialist or partner service; only with the family's agreement to it."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    errors = {}
    if agency not in Professional.Agency.values:
        errors["agency"] = "Select the type of service"
    if not organisation.strip():
        errors["organisation"] = "Enter the organisation referred to"
    if not reason.strip():
        errors["reason"] = "Enter why the family was referred"
    if not consent_confirmed:
        errors["consent_confirmed"] = "Confirm the family agreed to the referral: without it, do not refer"
    try:
        validate_event_date(
            referred_on,
            field="referred_on",
            today=timezone.localdate(),
            first_referred=first_referred_on(family),
            what="The date referred",
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if "referred_on" not in errors:
        if outcome_expected_by < referred_on:
            errors["outcome_expected_by"] = "The outcome must be expected on or after the date referred"
        else:
            try:
                validate_forward_date(
                    outcome_expected_by, field="outcome_expected_by", today=timezone.localdate(), what="The date"
                )
            except ValidationError as error:
                errors.update(error.message_dict)
    if (
        "organisation" not in errors
        and "referred_on" not in errors
        and OnwardReferral.objects.filter(
            family=family, organisation__iexact=organisation.strip(), referred_on=referred_on
        ).exists()
    ):
        # The same referral entered again (a form sent twice, the API retried).
        errors["organisation"] = (
            f"A referral to {organisation.strip()} on {long_date(referred_on)} is already recorded for "
            f"{family.reference}"
        )
    if errors:
        raise ValidationError(errors)
    referral = OnwardReferral.objects.create(
        family=family,
        agency=agency,
        organisation=organisation.strip(),
        reason=reason.strip(),
        referred_on=referred_on,
        consent_confirmed=True,
        outcome_expected_by=outcome_expected_by,
        referred_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.ONWARD_REFERRAL_MADE,
        obj=referral,
        family=family,
        summary=f"Onward referral to {referral.get_agency_display()} recorded",
        changes={"agency": agency, "referred_on": referred_on.isoformat()},
    )
    return referral


@transaction.atomic
def onward_referral_outcome_record(
    *, referral: OnwardReferral, actor, outcome: str, outcome_on: date, notes: str = ""
) -> OnwardReferral:
    """What came of the referral (or its latest news: a waiting list, then accepted); each version is kept."""
    referral = OnwardReferral.objects.select_for_update().select_related("family").get(pk=referral.pk)
    errors = {}
    if outcome not in OnwardReferral.Outcome.values:
        errors["outcome"] = "Select the outcome"
    if outcome_on > timezone.localdate():
        errors["outcome_on"] = "The outcome date must be today or in the past"
    elif outcome_on < referral.referred_on:
        errors["outcome_on"] = (
            f"The outcome date must be on or after the date referred ({long_date(referral.referred_on)})"
        )
    if errors:
        raise ValidationError(errors)
    before = referral.get_outcome_display() or "awaited"
    referral.outcome = outcome
    referral.outcome_on = outcome_on
    referral.outcome_notes = notes.strip()
    referral._history_user = actor
    referral.save()
    audit_record(
        actor=actor,
        action=AuditAction.ONWARD_REFERRAL_OUTCOME,
        obj=referral,
        family=referral.family,
        summary=f"Onward referral outcome: {referral.get_outcome_display()}",
        changes={
            "outcome": {"old": before, "new": referral.get_outcome_display()},
            "outcome_on": outcome_on.isoformat(),
        },
    )
    return referral
