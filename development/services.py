"""Recording, correcting and marking in error a child's development review; each write owns its transaction and
writes its audit event. The pages, the API and the demo call these functions, so their rules hold everywhere."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import is_allocated, manages_family
from families.models import Person

from .models import DOMAIN_FIELDS, DevelopmentReview

CHILD_KINDS = (Person.Kind.CHILD, Person.Kind.OLDER_CHILD)
# ASQ-3's questionnaires run from 1 month to 5½ years (66 months): a review at an older age is not an ASQ-3.
ASQ_OLDEST_MONTHS = 66
# The EYFS profile is completed in the summer term of the reception year: the child is 4 or 5 (at most 6 by
# the end of August).
EYFS_YOUNGEST_YEARS = 4
EYFS_OLDEST_YEARS = 6
CONSENT_MISSING = (
    "Confirm the family consented to this being shared with the service: without their consent it cannot be recorded"
)
NO_DATE_OF_BIRTH = (
    "{name}'s date of birth is not recorded: add it on the family record first, as a review is checked against "
    "the child's age"
)
SOURCE_MAX = 200
REASON_MAX = 200


def _validate(
    *,
    child: Person,
    kind: str,
    reviewed_on: date,
    source: str,
    consent_confirmed: bool,
    levels: dict,
    good_level_of_development: bool | None,
    today: date,
) -> None:
    """Raise a ``ValidationError`` naming the field for anything that cannot be true."""
    if child.kind not in CHILD_KINDS:
        raise ValidationError({"child": "A development review is recorded for a child who has been born"})
    if child.date_of_birth is None:
        raise ValidationError({"child": NO_DATE_OF_BIRTH.format(name=child.first_name)})
    if kind not in DevelopmentReview.Kind.values:
        raise ValidationError({"kind": "Select what kind of review it was"})
    if not consent_confirmed:
        raise ValidationError({"consent_confirmed": CONSENT_MISSING})
    if not source.strip():
        raise ValidationError({"source": "Enter who the review came from"})
    if len(source.strip()) > SOURCE_MAX:
        raise ValidationError({"source": f"Who it came from must be {SOURCE_MAX} characters or fewer"})
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": "The date of the review must be today or in the past"})
    if reviewed_on < child.date_of_birth:
        raise ValidationError(
            {
                "reviewed_on": "The date of the review must be on or after the child's birth "
                + f"({child.date_of_birth:%d %B %Y})"
            }
        )
    if kind == DevelopmentReview.Kind.EYFS:
        youngest = child.date_of_birth + relativedelta(years=EYFS_YOUNGEST_YEARS)
        oldest = child.date_of_birth + relativedelta(years=EYFS_OLDEST_YEARS)
        if not youngest <= reviewed_on <= oldest:
            raise ValidationError(
                {
                    "reviewed_on": f"The EYFS profile is completed at the end of the reception year, when the child is "
                    f"{EYFS_YOUNGEST_YEARS} or 5: the date must be between {youngest:%d %B %Y} and {oldest:%d %B %Y}"
                }
            )
        if good_level_of_development is None:
            raise ValidationError(
                {"good_level_of_development": "Select whether the child reached a good level of development"}
            )
        for name in DOMAIN_FIELDS:
            if levels.get(name):
                raise ValidationError({name: "An EYFS profile result has no ASQ-3 domains: leave them empty"})
        return
    if good_level_of_development is not None:
        raise ValidationError(
            {"good_level_of_development": "Only an EYFS profile result records a good level of development"}
        )
    oldest = child.date_of_birth + relativedelta(months=ASQ_OLDEST_MONTHS)
    if reviewed_on > oldest:
        raise ValidationError(
            {
                "reviewed_on": f"An ASQ-3 review is for a child aged up to 5½: the date must be on or before "
                f"{oldest:%d %B %Y}"
            }
        )
    for name in DOMAIN_FIELDS:
        if levels.get(name) not in DevelopmentReview.Level.values:
            label = DevelopmentReview._meta.get_field(name).verbose_name
            raise ValidationError({name: f"Select the level in {label}"})


def _refuse_duplicate(*, child: Person, kind: str, reviewed_on: date, exclude: DevelopmentReview | None = None) -> None:
    """One ASQ-3 review (of either kind) and one EYFS result per child per day: a second is the same one entered
    again (a form sent twice, the API retried). Reviews recorded in error do not count."""
    same_kinds = DevelopmentReview.ASQ_KINDS if kind in DevelopmentReview.ASQ_KINDS else (kind,)
    same = DevelopmentReview.objects.filter(
        child=child, kind__in=same_kinds, reviewed_on=reviewed_on, in_error_at__isnull=True
    )
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        what = "An EYFS profile result" if kind == DevelopmentReview.Kind.EYFS else "An ASQ-3 review"
        raise ValidationError(
            {
                "reviewed_on": f"{what} of {child.first_name} on {reviewed_on:%d %B %Y} is already recorded: "
                "correct that one if something in it is wrong"
            }
        )


def _fields(kind: str, levels: dict | None, good_level_of_development: bool | None) -> dict:
    """The kind's own fields set, the other kind's left empty (the table's constraints insist)."""
    if kind == DevelopmentReview.Kind.EYFS:
        return {**dict.fromkeys(DOMAIN_FIELDS, ""), "good_level_of_development": good_level_of_development}
    return {**{name: (levels or {}).get(name, "") for name in DOMAIN_FIELDS}, "good_level_of_development": None}


def _summary(review: DevelopmentReview) -> str:
    if review.is_asq:
        return ", ".join(f"{label}: {code}" for label, code, _ in review.levels())
    return f"good level of development: {'yes' if review.good_level_of_development else 'no'}"


@transaction.atomic
def development_review_record(
    *,
    child: Person,
    actor,
    kind: str,
    reviewed_on: date,
    source: str,
    consent_confirmed: bool,
    levels: dict | None = None,
    good_level_of_development: bool | None = None,
) -> DevelopmentReview:
    """Record a review of ``child``'s development shared with the family's consent."""
    levels = levels or {}
    _validate(
        child=child,
        kind=kind,
        reviewed_on=reviewed_on,
        source=source,
        consent_confirmed=consent_confirmed,
        levels=levels,
        good_level_of_development=good_level_of_development,
        today=timezone.localdate(),
    )
    # Two requests recording the same review queue on the child's row, so the second sees the first.
    Person.objects.select_for_update().get(pk=child.pk)
    _refuse_duplicate(child=child, kind=kind, reviewed_on=reviewed_on)
    review = DevelopmentReview(
        family_id=child.family_id,
        child=child,
        kind=kind,
        reviewed_on=reviewed_on,
        source=source.strip(),
        consent_confirmed=True,
        created_by=actor,
        **_fields(kind, levels, good_level_of_development),
    )
    review._history_user = actor
    review.save()
    audit_record(
        actor=actor,
        action=AuditAction.DEVELOPMENT_REVIEW_RECORDED,
        obj=review,
        family=review.family,
        summary=f"Development review recorded: {review.get_kind_display()} ({_summary(review)})"[:300],
        changes={"kind": kind, "reviewed_on": reviewed_on.isoformat()},
    )
    return review


def can_change(user, review: DevelopmentReview) -> bool:
    """Who recorded it, a worker allocated to the family, or a manager of its base."""
    return review.created_by_id == user.pk or is_allocated(user, review.family) or manages_family(user, review.family)


def _locked(review: DevelopmentReview, actor) -> DevelopmentReview:
    review = DevelopmentReview.objects.select_for_update().select_related("family", "child").get(pk=review.pk)
    if review.in_error_at is not None:
        raise ApplicationError("This review was marked recorded in error: it cannot be changed.")
    if not can_change(actor, review):
        raise ApplicationError("Only whoever recorded it, the family's workers or their manager can do this.")
    return review


AMENDABLE = ("reviewed_on", *DOMAIN_FIELDS, "good_level_of_development", "source")


@transaction.atomic
def development_review_amend(
    *,
    review: DevelopmentReview,
    actor,
    reason: str,
    reviewed_on: date,
    source: str,
    levels: dict | None = None,
    good_level_of_development: bool | None = None,
) -> DevelopmentReview:
    """Correct what was recorded (its kind stays); the earlier version is kept with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the review is being corrected"})
    review = _locked(review, actor)
    levels = levels or {}
    _validate(
        child=review.child,
        kind=review.kind,
        reviewed_on=reviewed_on,
        source=source,
        consent_confirmed=review.consent_confirmed,
        levels=levels,
        good_level_of_development=good_level_of_development,
        today=timezone.localdate(),
    )
    _refuse_duplicate(child=review.child, kind=review.kind, reviewed_on=reviewed_on, exclude=review)
    new = {
        "reviewed_on": reviewed_on,
        "source": source.strip(),
        **_fields(review.kind, levels, good_level_of_development),
    }
    changed = [name for name, value in new.items() if getattr(review, name) != value]
    if not changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})
    old = {name: str(getattr(review, name)) for name in changed}
    for name, value in new.items():
        setattr(review, name, value)
    review._change_reason = reason.strip()[:REASON_MAX]
    review._history_user = actor
    review.save()
    audit_record(
        actor=actor,
        action=AuditAction.DEVELOPMENT_REVIEW_AMENDED,
        obj=review,
        family=review.family,
        summary=f"Development review corrected ({', '.join(n.replace('_', ' ') for n in changed)}): {reason}"[:300],
        changes={"old": old, "new": {name: str(getattr(review, name)) for name in changed}},
    )
    return review


@transaction.atomic
def development_review_mark_in_error(*, review: DevelopmentReview, actor, reason: str) -> DevelopmentReview:
    """Take a review recorded on the wrong child or family out of the lists and the return; it is kept."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the review is recorded in error"})
    review = _locked(review, actor)
    review.in_error_at = timezone.now()
    review.in_error_by = actor
    review.in_error_reason = reason.strip()[:REASON_MAX]
    review._history_user = actor
    review.save(update_fields=["in_error_at", "in_error_by", "in_error_reason", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.DEVELOPMENT_REVIEW_IN_ERROR,
        obj=review,
        family=review.family,
        summary=f"Development review recorded in error: {review.get_kind_display()}",
        changes={"reason": review.in_error_reason},
    )
    return review
