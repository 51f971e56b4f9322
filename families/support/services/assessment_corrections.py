"""Correcting a whole-family assessment's answers, or marking it recorded in error (on the wrong family).

The assessment's author or a team manager of the family's base may do either; only an agreed (completed)
assessment has answers to correct. Earlier versions, needs included, are kept by django-simple-history.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import manages_family
from families.models import Assessment, Determinant
from families.rules import validate_event_date
from families.selectors import first_referred_on

from .corrections import require_reason

AMENDABLE_ASSESSMENT_FIELDS = ("needs", "strengths", "family_view", "child_voice", "agreed_on")


def may_correct_assessment(user, assessment: Assessment) -> bool:
    """Its author or a team manager of the family's base, while it is not marked recorded in error."""
    if assessment.in_error_at is not None:
        return False
    return assessment.created_by_id == user.pk or manages_family(user, assessment.family)


def can_correct_assessment(user, assessment: Assessment) -> bool:
    """Correct the answers: only an assessment agreed with the family has them."""
    return assessment.completed_at is not None and may_correct_assessment(user, assessment)


def can_mark_assessment_in_error(user, assessment: Assessment) -> bool:
    return may_correct_assessment(user, assessment)


def _locked(assessment: Assessment, actor) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("family").get(pk=assessment.pk)
    if assessment.in_error_at is not None:
        raise ApplicationError("This assessment was marked recorded in error: it cannot be changed.")
    if not may_correct_assessment(actor, assessment):
        raise ApplicationError(
            "Only the person who started this assessment or a team manager of the family's base can correct it."
        )
    return assessment


def _keep_needs_version(assessment: Assessment) -> None:
    """An assessment agreed before its needs were kept in its history has a last version without them: save a
    version with the needs it has now (no reason: not an amendment), so the correction shows what they were."""
    latest = assessment.history.order_by("-history_date", "-history_id").first()
    if latest is None or not latest.needs.exists():
        assessment._history_user = None
        assessment.save()


@transaction.atomic
def assessment_amend(
    *,
    assessment: Assessment,
    actor,
    reason: str,
    needs: list[Determinant],
    strengths: str,
    family_view: str,
    child_voice: str,
    agreed_on: date,
) -> Assessment:
    """Correct an agreed assessment's answers; the earlier version (with its needs) is kept with the reason."""
    reason = require_reason(reason)
    assessment = _locked(assessment, actor)
    if assessment.completed_at is None:
        raise ApplicationError("This assessment is not agreed yet: complete it instead of correcting it.")
    if not needs:
        raise ValidationError({"needs": "Select at least one need"})
    validate_event_date(
        agreed_on,
        field="agreed_on",
        today=timezone.localdate(),
        first_referred=first_referred_on(assessment.family),
        what="The date it was agreed",
    )
    new = {"strengths": strengths, "family_view": family_view, "child_voice": child_voice, "agreed_on": agreed_on}
    changed = [name for name, value in new.items() if getattr(assessment, name) != value]
    new_needs = {need.pk for need in needs}
    if new_needs != set(assessment.needs.values_list("pk", flat=True)):
        changed.insert(0, "needs")
    if not changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})
    _keep_needs_version(assessment)
    if "needs" in changed:
        # One version for the whole correction: the needs join the save below rather than writing their own.
        assessment.skip_history_when_saving = True
        try:
            assessment.needs.set(needs)
        finally:
            del assessment.skip_history_when_saving
    for name, value in new.items():
        setattr(assessment, name, value)
    assessment._change_reason = reason
    assessment._history_user = actor
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_AMENDED,
        obj=assessment,
        family=assessment.family,
        summary=f"Assessment corrected ({', '.join(name.replace('_', ' ') for name in changed)}): {reason}"[:300],
        changes={"fields": changed, "reason": reason},
    )
    return assessment


@transaction.atomic
def assessment_mark_in_error(*, assessment: Assessment, actor, reason: str) -> Assessment:
    """Recorded on the wrong family: kept, but out of the family's record, the worker's week and new plans."""
    reason = require_reason(reason)
    assessment = _locked(assessment, actor)
    assessment.in_error_at = timezone.now()
    assessment.in_error_by = actor
    assessment.in_error_reason = reason
    assessment._change_reason = f"Recorded in error: {reason}"
    assessment._history_user = actor
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditAction.ASSESSMENT_IN_ERROR,
        obj=assessment,
        family=assessment.family,
        summary=f"Assessment marked recorded in error: {reason}"[:300],
        changes={"reason": reason},
    )
    return assessment
