"""Writes to referrals: intake, triage decisions, allocation, first contact."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from bases.models import Team
from bases.selectors import manages_base
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.locks import lock_for_transaction
from ecfs.working_days import add_working_days
from families import services as family_services
from families.access import manages_family
from families.models import Allocation, Family, Person, SupportPlan
from families.rules import SERVICE_START, long_date, validate_person_dates, validate_safe_contact
from families.selectors import duplicate_candidates
from families.validators import normalise_postcode, validate_uk_postcode

from .models import Referral, ReferralPerson, TriageDecision

Status = Referral.Status
Decision = TriageDecision.Decision

DECISION_STATUS = {
    Decision.ACCEPT: Status.ACCEPTED,
    Decision.SIGNPOST: Status.SIGNPOSTED,
    Decision.STEP_UP: Status.STEPPED_UP,
    Decision.NO_FURTHER_ACTION: Status.NO_FURTHER_ACTION,
    Decision.DUPLICATE: Status.DUPLICATE,
    Decision.WITHDRAW: Status.WITHDRAWN,
}
# DESIGN §3: what may be decided from each state. Closed states allow nothing.
ALLOWED_DECISIONS = {
    Status.RECEIVED: set(Decision),
    Status.ACCEPTED: {Decision.STEP_UP, Decision.NO_FURTHER_ACTION, Decision.WITHDRAW},
    Status.ALLOCATED: {Decision.STEP_UP, Decision.WITHDRAW},
}
# Once accepted, a family is allocated a lead worker; the first contact is recorded while its support starts.
ALLOCATABLE = (Status.ACCEPTED,)
AWAITING_FIRST_CONTACT = (Status.ACCEPTED, Status.ALLOCATED)
REREFERRAL_WINDOW = timedelta(days=365)
TEXT_MAX = Referral.TEXT_MAX


def route_team(*, district, locality=None, family: Family | None = None) -> Team:
    """The team a new referral goes to (README, *Routing by place*).

    A family the service already holds goes to the team holding it (a team of the family's base); otherwise
    the referral goes to a team of the base serving the family's locality (``Locality.base``, from
    reference/data/locality_bases.csv), or, for Other or a base with no team yet, to the district's teams.
    Among the teams that fit, the one with the fewest referrals awaiting triage takes it."""
    teams = []
    if family is not None:
        teams = list(Team.objects.filter(base_id=family.base_id).order_by("name"))
    elif locality is not None and locality.base_id:
        teams = list(Team.objects.filter(base_id=locality.base_id).order_by("name"))
    if not teams:
        teams = list(Team.objects.filter(base__district=district).order_by("name"))
    if not teams:
        raise ApplicationError(f"No team works in {district} yet: ask a service admin to set one up.")
    waiting = {
        row["routed_team"]: row["n"]
        for row in Referral.objects.filter(routed_team__in=teams, status=Status.RECEIVED)
        .values("routed_team")
        .annotate(n=Count("pk"))
    }
    return min(teams, key=lambda team: (waiting.get(team.pk, 0), team.name))


def held_family(*, people: list[dict], postcode: str) -> Family | None:
    """The family the duplicate check finds for a new referral (its best match), if the service holds one."""
    candidates = duplicate_candidates(people=people, postcode=postcode, limit=1)
    return candidates[0].family if candidates else None


@transaction.atomic
def referral_create(
    *,
    actor,
    people: list[dict],
    reasons: list,
    routed_team: Team | None = None,
    family: Family | None = None,
    **fields,
) -> Referral:
    """Record a referral and route it to a team (``route_team``); due dates in working days from receipt.

    ``family`` names a family the service already holds (the referral goes to its team); without it, the
    duplicate check's best match does. The family is linked at triage, after the manager checks the match."""
    if not reasons:
        raise ValidationError({"reasons": "Select at least one reason for the referral"})
    _check_text_sizes(fields)
    if not any(p["kind"] in (Person.Kind.CHILD, Person.Kind.UNBORN) for p in people):
        raise ValidationError({"__all__": "Name at least one child aged 0 to 5 or an unborn child"})
    today = timezone.localdate()
    for person in people:
        validate_person_dates(
            kind=person["kind"],
            date_of_birth=person.get("date_of_birth"),
            expected_date=person.get("expected_date"),
            today=today,
        )
    validate_safe_contact(
        channel=fields.get("safe_contact_channel", ""),
        phone=fields.get("contact_phone", ""),
        email=fields.get("contact_email", ""),
    )
    fields["postcode"] = normalise_postcode(fields["postcode"])
    validate_uk_postcode(fields["postcode"])
    locality = fields["locality"]
    if locality.district_id not in (None, fields["district"].pk):
        raise ValidationError({"locality": f"{locality} is not in {fields['district']}"})

    received_on = timezone.localtime(fields["received_at"]).date()
    referral = Referral(
        recorded_by=actor,
        routed_team=routed_team
        or route_team(
            district=fields["district"],
            locality=locality,
            family=family or held_family(people=people, postcode=fields["postcode"]),
        ),
        triage_due=add_working_days(received_on, settings.ECFS_TRIAGE_DUE_WORKING_DAYS),
        first_contact_due=add_working_days(received_on, settings.ECFS_FIRST_CONTACT_DUE_WORKING_DAYS),
        **fields,
    )
    referral.full_clean(exclude=["reasons"])
    referral.save()
    referral.reference = f"REF-{referral.pk:06d}"
    referral.save(update_fields=["reference"])
    referral.reasons.set(reasons)
    ReferralPerson.objects.bulk_create([ReferralPerson(referral=referral, **person) for person in people])
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_RECEIVED,
        obj=referral,
        summary=f"Referral from {referral.get_source_display().lower()} routed to {referral.routed_team}",
    )
    return referral


@transaction.atomic
def referral_record(*, actor, people: list[dict], **fields) -> Referral:
    """A referral entered by staff (the referral page, the API): received today or earlier and not before the
    service began, and not the same referral entered again; then ``referral_create``. (An import keeps the previous
    provider's older dates; the online form and partner systems record referrals as received now.)"""
    _check_received_at(fields["received_at"])
    fields["postcode"] = normalise_postcode(fields.get("postcode") or "")
    _refuse_the_same_referral_again(actor=actor, people=people, **fields)
    return referral_create(actor=actor, people=people, **fields)


def _check_received_at(received_at) -> None:
    if received_at > timezone.now():
        raise ValidationError({"received_at": "The date received must be today or in the past"})
    if timezone.localtime(received_at).date() < SERVICE_START:
        raise ValidationError(
            {"received_at": f"The date received must be after the service began ({long_date(SERVICE_START)})"}
        )


def _check_text_sizes(fields: dict) -> None:
    what = {"reason_details": "What is happening for the family", "safe_contact_notes": "Safe ways to make contact"}
    too_long = {
        name: f"{label} must be {TEXT_MAX:,} characters or fewer"
        for name, label in what.items()
        if len(fields.get(name) or "") > TEXT_MAX
    }
    if too_long:
        raise ValidationError(too_long)


def _people_key(people: list[dict]) -> set[tuple]:
    return {
        (
            person["kind"],
            (person.get("first_name") or "").strip().casefold(),
            (person.get("last_name") or "").strip().casefold(),
            person.get("date_of_birth"),
            person.get("expected_date"),
        )
        for person in people
    }


def _refuse_the_same_referral_again(*, actor, people: list[dict], **fields) -> None:
    """The same referral entered again by the same person (a form sent twice, the API retried): same referrer,
    same day received, same address and the same people. The same person's referrals for one postcode and day wait
    for each other here, so two sent at once are seen as one and its duplicate (and nothing else waits)."""
    received_on = timezone.localtime(fields["received_at"]).date()
    lock_for_transaction(f"referral-sent-twice:{getattr(actor, 'pk', None)}:{fields['postcode']}:{received_on}")
    same_day = Referral.objects.filter(
        recorded_by=actor,
        source=fields["source"],
        referrer_name__iexact=fields["referrer_name"].strip(),
        postcode=fields["postcode"],
        received_at__date=received_on,
    ).prefetch_related("people")
    wanted = _people_key(people)
    for earlier in same_day:
        recorded = [
            {
                "kind": person.kind,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "date_of_birth": person.date_of_birth,
                "expected_date": person.expected_date,
            }
            for person in earlier.people.all()
        ]
        if _people_key(recorded) == wanted:
            raise ValidationError(
                {
                    "__all__": f"This referral is already recorded as {earlier.reference} (received "
                    f"{long_date(received_on)} from {earlier.referrer_name}): it has not been recorded again"
                }
            )


def can_triage(user, referral: Referral) -> bool:
    """A team manager at the base the referral was routed to decides on it."""
    return manages_base(user, referral.routed_team.base_id)


def can_accept(referral: Referral) -> bool:
    """At first triage: the decision may accept it (and link it to a family already known)."""
    return Decision.ACCEPT in ALLOWED_DECISIONS.get(referral.status, set())


def can_allocate(user, referral: Referral) -> bool:
    return referral.status in ALLOCATABLE and can_triage(user, referral)


def awaits_first_contact(referral: Referral) -> bool:
    return bool(referral.family_id and referral.first_contact_at is None and referral.status in AWAITING_FIRST_CONTACT)


def _check_can_triage(actor, referral: Referral) -> None:
    if not can_triage(actor, referral):
        raise ApplicationError("Only a team manager at the base this referral was routed to can decide on it.")


def rereferral_closure(family: Family, before) -> object | None:
    """When the family's support last ended within 12 months before ``before``, that moment: the family
    closed, or a referral of theirs that had been accepted closed (a referral closed at its first decision,
    such as a signposting, was never support)."""
    return rereferral_closures([family], before).get(family.pk)


def rereferral_closures(families: list[Family], before) -> dict:
    """``rereferral_closure`` for several families in one query: {family pk: when support ended}."""
    if not families:
        return {}
    last_referral = dict(
        Referral.objects.filter(
            family__in=families, closed_at__isnull=False, closed_at__lt=before, decisions__decision=Decision.ACCEPT
        )
        .values("family")
        .annotate(m=Max("closed_at"))
        .values_list("family", "m")
    )
    found = {}
    for family in families:
        closures = [moment for moment in (family.closed_at, last_referral.get(family.pk)) if moment]
        recent = [moment for moment in closures if before - REREFERRAL_WINDOW <= moment <= before]
        if recent:
            found[family.pk] = max(recent)
    return found


def _family_from_referral(referral: Referral, actor) -> Family:
    people = [
        {
            "kind": person.kind,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth,
            "expected_date": person.expected_date,
            "relationship": Person.Relationship.SUBJECT_CHILD
            if person.kind in (Person.Kind.CHILD, Person.Kind.UNBORN)
            else "",
        }
        for person in referral.people.all()
    ]
    return family_services.family_create(
        actor=actor,
        people=people,
        address_line_1=referral.address_line_1,
        address_line_2=referral.address_line_2,
        town=referral.town,
        postcode=referral.postcode,
        district=referral.district,
        locality=referral.locality,
        base=referral.routed_team.base,
        interpreter_needed=referral.interpreter_needed,
        first_language=referral.language,
        english_additional_language=bool(referral.language and referral.language.lower() != "english"),
        consent_given=referral.consent_obtained,
        consent_given_by=f"Obtained by {referral.referrer_name} at referral" if referral.consent_obtained else "",
        consent_date=timezone.localtime(referral.received_at).date() if referral.consent_obtained else None,
        consent_scope=_consent_scope(referral),
        **referral_contact_answers(referral),
    )


def _consent_scope(referral: Referral) -> str:
    """What the family agreed to: nothing; holding their information; or holding and sharing it with the team
    around the family (unless they said no to sharing when they asked for help online)."""
    if not referral.consent_obtained:
        return ""
    if referral.consent_to_share is False:
        return Family.ConsentScope.HOLD
    return Family.ConsentScope.HOLD_AND_SHARE


def referral_contact_answers(referral: Referral) -> dict:
    """How to reach the family and how it is safe to, as the referral gave it (blank answers left out)."""
    answers = {name: getattr(referral, name) for name in ("contact_phone", "contact_email", "safe_contact_channel")}
    return {name: value for name, value in answers.items() if value}


def _carry_contact_answers(referral: Referral, family: Family, actor) -> None:
    """A family the service already holds keeps what it has; the referral fills in what it lacks."""
    missing = {name: value for name, value in referral_contact_answers(referral).items() if not getattr(family, name)}
    if missing:
        family_services.family_update_characteristics(family=family, actor=actor, **missing)


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    decision: str,
    reason: str,
    notes: str,
    actor,
    family: Family | None = None,
    new_family: bool = False,
    consent_override_reason: str = "",
) -> TriageDecision:
    """Record a triage decision. Accepting links the referral to a family: an existing one
    (``family``) or, after the duplicate check, a new one made from the referral (``new_family``).
    Any other first decision links the referral to ``family`` when one is given (a known family
    signposted or stepped up is still a re-referral).

    A referral the family has not agreed to is accepted only with a safeguarding override: the manager's
    ``consent_override_reason``, kept on the decision and in the audit trail."""
    referral = Referral.objects.select_for_update().select_related("routed_team").get(pk=referral.pk)
    _check_can_triage(actor, referral)
    if decision not in Decision.values:
        raise ValidationError({"decision": "Select a decision"})
    allowed = ALLOWED_DECISIONS.get(referral.status, set())
    if decision not in allowed:
        raise ApplicationError(
            f"A referral that is {referral.get_status_display().lower()} cannot be given the decision "
            f"“{Decision(decision).label}”."
        )
    if reason not in TriageDecision.REASONS_FOR[Decision(decision)]:
        raise ValidationError({"reason": "Select a reason that fits the decision"})
    if not notes.strip():
        raise ValidationError({"notes": "Explain the decision"})
    consent_override_reason = _consent_override(referral, decision, consent_override_reason)

    now = timezone.now()
    if decision == Decision.ACCEPT:
        if family is None and not new_family:
            raise ValidationError({"family": "Choose the family this referral is for, or confirm it is a new family"})
        if family is not None:
            family = Family.objects.select_for_update().get(pk=family.pk)
            if family.base_id != referral.routed_team.base_id and not manages_family(actor, family):
                raise ApplicationError(
                    f"{family.reference} is held by {family.base}: ask their team manager to take this referral."
                )
            _carry_contact_answers(referral, family, actor)
            family.refresh_from_db()
        else:
            family = _family_from_referral(referral, actor)
        referral.family = family
        referral.previous_closure_at = rereferral_closure(family, referral.received_at)
        if family.status == Family.Status.CLOSED:
            family.status = Family.Status.OPEN
            family.closed_at = None
            family.save(update_fields=["status", "closed_at"])
    elif family is not None and referral.family_id is None:
        # Not accepted, but for a family the service knows (chosen at the duplicate check): linked all the
        # same, so the returns count it as a re-referral whatever the decision. The family is not reopened.
        referral.family = family = Family.objects.get(pk=family.pk)
        referral.previous_closure_at = rereferral_closure(family, referral.received_at)

    old_status = referral.status
    referral.status = DECISION_STATUS[Decision(decision)]
    referral.triaged_at = referral.triaged_at or now
    if referral.status in Referral.CLOSED_AT_TRIAGE:
        referral.closed_at = now
    referral.save()
    if old_status in AWAITING_FIRST_CONTACT and referral.status in Referral.CLOSED_AT_TRIAGE:
        _end_support_if_no_plan(referral, actor=actor, decision=Decision(decision))
    triage_decision = TriageDecision.objects.create(
        referral=referral,
        decision=decision,
        reason=reason,
        notes=notes,
        consent_override_reason=consent_override_reason,
        decided_by=actor,
        decided_at=now,
    )
    changes = {"status": {"old": old_status, "new": referral.status}, "reason": reason}
    summary = (
        f"Referral {referral.reference}: {Decision(decision).label.lower()} "
        f"({TriageDecision.Reason(reason).label.lower()})"
    )
    if consent_override_reason:
        summary += ", without the family's agreement (safeguarding override)"
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_DECIDED,
        obj=referral,
        family=referral.family,
        summary=summary,
        changes=changes,
    )
    if consent_override_reason:
        # Its own action, so that whoever checks overrides (the data protection officer) can list them all.
        audit_record(
            actor=actor,
            action=AuditAction.REFERRAL_CONSENT_OVERRIDDEN,
            obj=referral,
            family=referral.family,
            summary=f"Referral {referral.reference} accepted without the family's agreement (safeguarding override)",
            changes={"consent_override_reason": consent_override_reason},
        )
    return triage_decision


CONSENT_OVERRIDE_MAX_LENGTH = 2000


def _consent_override(referral: Referral, decision: str, reason: str) -> str:
    """The safeguarding override to record with ``decision``: needed to accept without the family's agreement,
    refused anywhere else (an override on a decision that needs none would mislead whoever reads it later)."""
    reason = (reason or "").strip()
    if decision != Decision.ACCEPT or referral.consent_obtained:
        if reason:
            raise ValidationError(
                {
                    "consent_override_reason": "A safeguarding override is only for accepting a referral the family "
                    "has not agreed to: leave it empty"
                }
            )
        return ""
    if not reason:
        raise ValidationError(
            {
                "consent_override_reason": "The family has not agreed to this referral: to accept it anyway, give "
                "the safeguarding reason for overriding their consent"
            }
        )
    if len(reason) > CONSENT_OVERRIDE_MAX_LENGTH:
        raise ValidationError(
            {
                "consent_override_reason": "The safeguarding reason must be "
                f"{CONSENT_OVERRIDE_MAX_LENGTH:,} characters or fewer"
            }
        )
    return reason


def _end_support_if_no_plan(referral: Referral, *, actor, decision: Decision) -> None:
    """An accepted referral closed before any plan started (stepped up, withdrawn): the family's support ends.
    With a plan open, support ends when the plan closes."""
    family = Family.objects.select_for_update().get(pk=referral.family_id)
    if family.status == Family.Status.OPEN and not family.plans.filter(status__in=SupportPlan.OPEN_STATUSES).exists():
        family_services.support_end(
            family=family, actor=actor, reason=f"referral {referral.reference}: {decision.label.lower()}"
        )


@transaction.atomic
def referral_allocate(*, referral: Referral, worker, actor) -> Allocation:
    """Allocate an accepted referral's family to a lead worker.

    The referral row is locked first, so of two managers allocating at once
    exactly one wins and the other is told who got the family.
    """
    referral = Referral.objects.select_for_update().select_related("routed_team").get(pk=referral.pk)
    _check_can_triage(actor, referral)
    if referral.status == Status.ALLOCATED:
        lead = family_services.open_lead_allocation(referral.family)
        who = f"{lead.worker.get_full_name()} by {lead.allocated_by.get_full_name()}" if lead else "someone"
        raise ApplicationError(f"{referral.reference} has already been allocated to {who}.")
    if referral.status not in ALLOCATABLE:
        raise ApplicationError(
            f"Only an accepted referral can be allocated; {referral.reference} is "
            f"{referral.get_status_display().lower()}."
        )
    family = Family.objects.select_for_update().get(pk=referral.family_id)
    lead = family_services.open_lead_allocation(family)
    if lead and lead.worker_id != worker.pk:
        raise ApplicationError(
            f"{family.reference} already has a lead worker, {lead.worker.get_full_name()}: "
            "reallocate the family from its record if it should change."
        )
    allocation = lead or family_services.allocation_start(
        family=family, worker=worker, role=Allocation.Role.LEAD, actor=actor, reason=f"Referral {referral.reference}"
    )
    referral.status = Status.ALLOCATED
    referral.save(update_fields=["status", "modified_at"])
    return allocation


@transaction.atomic
def referral_record_first_contact(*, referral: Referral, when, actor) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.first_contact_at is not None:
        return referral  # the first contact is the first one: later contacts do not move it
    if when > timezone.now():
        raise ValidationError({"when": "The first contact cannot be in the future"})
    if when < referral.received_at:
        raise ValidationError({"when": "The first contact cannot be before the referral was received"})
    referral.first_contact_at = when
    referral.save(update_fields=["first_contact_at", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_FIRST_CONTACT,
        obj=referral,
        family=referral.family,
        summary=f"First contact made for referral {referral.reference}",
    )
    return referral
