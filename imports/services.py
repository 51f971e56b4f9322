"""Importing open cases from a previous provider (the CSV format is in docs/import-format.md).

The whole file is checked first and every problem collected with its line and column. A file with any problem
imports nothing. Otherwise every row is imported in one transaction through the services a person would use:
``family_create``, ``referral_create`` → ``referral_decide`` (accept) → ``referral_allocate``, and for a plan
``plan_create`` (after an assessment marked as carried over, for one-to-one plans). The plan is a draft: the
worker records start scores and submits it for approval as for any plan.

Rows already imported (same previous provider and id) are skipped, so running a file again creates nothing.
A row that may be a family already held (``duplicate_candidates``) is never merged: it goes to an
``ImportReview`` for a team manager of the row's base.
"""

import hashlib
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bases.selectors import manages_base
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from families.access import restriction_filter
from families.models import Family, SupportPlan
from families.selectors import duplicate_candidates
from families.services import family_create
from families.support.services import assessment_complete, assessment_start, plan_create
from referrals.models import TriageDecision
from referrals.services import referral_allocate, referral_create, referral_decide, referral_record_first_contact

from .checks import EARLY_EDUCATION_FIELDS, Lookups, ParsedRow, RowChecker, check_file
from .models import ImportBatch, ImportedRecord, ImportReview
from .report import ImportReport, Progress, RowError, RowOutcome, report_progress

NOTES_MAX = 2000  # the most a manager's reason for a review decision holds


class _Abort(Exception):
    """Raised inside the import transaction to roll every row back."""


# Importing --------------------------------------------------------------------------------------


# What the family's people hold and the referral's do not: the relationship and the child's early education.
REFERRAL_LEAVES_OUT = frozenset({"relationship", *EARLY_EDUCATION_FIELDS})


def _import_row(row: ParsedRow, *, batch: ImportBatch, actor, matched_candidates: bool = False) -> ImportedRecord:
    """One family, referral, allocation and plan, through the services (inside the caller's transaction)."""
    people = [dict(person) for person in row.people]
    family = family_create(actor=actor, people=people, address_withheld=row.withheld_address, **row.family_fields)
    referral = referral_create(
        actor=actor,
        people=[{k: v for k, v in person.items() if k not in REFERRAL_LEAVES_OUT} for person in people],
        reasons=row.reasons,
        routed_team=row.team,
        **row.referral_fields,
    )
    referral_decide(
        referral=referral,
        decision=TriageDecision.Decision.ACCEPT,
        reason=TriageDecision.Reason.MEETS_THRESHOLD,
        notes=f"Open case transferred from {row.previous_provider} (their id {row.previous_id}).",
        actor=row.manager,
        family=family,
        # The previous provider accepted it: where their record holds no consent, say so rather than refuse it.
        consent_override_reason=""
        if referral.consent_obtained
        else f"Open case transferred from {row.previous_provider}, who accepted it without recorded consent: "
        "seek the family's agreement at the next contact.",
    )
    referral_allocate(referral=referral, worker=row.worker, actor=row.manager)
    if row.first_contact_date:
        referral_record_first_contact(
            referral=referral,
            when=timezone.make_aware(datetime.combine(row.first_contact_date, time.min)),
            actor=actor,
        )
    plan = None
    if row.plan_kind:
        if row.plan_kind == SupportPlan.Kind.ONE_TO_ONE:
            assessment = assessment_start(family=family, actor=row.worker)
            assessment_complete(
                assessment=assessment,
                needs=row.goals,
                strengths=f"Assessment carried over from {row.previous_provider} (their id {row.previous_id}): "
                "their records hold the detail.",
                family_view="",
                child_voice="",
                agreed_on=row.assessment_agreed_on,
                actor=row.worker,
                history=True,  # a previous provider's assessment may predate the service (families.rules)
            )
        plan = plan_create(
            family=family,
            kind=row.plan_kind,
            goals=[
                (d, f"Carried over from {row.previous_provider}: agree the wording with the family.") for d in row.goals
            ],
            actor=row.worker,
        )
    record = ImportedRecord.objects.create(
        previous_provider=row.previous_provider,
        previous_id=row.previous_id,
        batch=batch,
        line_number=row.line,
        family=family,
        referral=referral,
        plan=plan,
        withheld_address=row.withheld_address,
        safeguarding_note=row.safeguarding_note,
    )
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_IMPORTED,
        obj=family,
        family=family,
        summary=f"Imported from {row.previous_provider} (their id {row.previous_id})",
        changes={
            "previous_provider": row.previous_provider,
            "previous_id": row.previous_id,
            "batch": str(batch.uuid),
            "withheld_address": row.withheld_address,
            "safeguarding_note": bool(row.safeguarding_note),
            "after_review": matched_candidates,
        },
    )
    return record


def _service_error(row: ParsedRow, error: Exception) -> list[RowError]:
    if isinstance(error, ApplicationError):
        return [RowError(row.line, "", error.message)]
    if hasattr(error, "error_dict"):
        return [
            RowError(row.line, "" if name == "__all__" else name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(row.line, "", message) for message in error.messages]


def _existing_keys(parsed: list[ParsedRow], model) -> set[tuple[str, str]]:
    ids = {row.previous_id for row in parsed}
    return {
        (provider.casefold(), previous_id)
        for provider, previous_id in model.objects.filter(previous_id__in=ids).values_list(
            "previous_provider", "previous_id"
        )
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse(report: ImportReport, *, data: bytes, file_name: str, actor, channel: str) -> ImportReport:
    if not report.dry_run:
        report.batch = ImportBatch.objects.create(
            file_name=file_name[:255],
            file_sha256=_sha256(data),
            channel=channel,
            status=ImportBatch.Status.REFUSED,
            rows_total=report.rows_total,
            errors=[error.as_dict() for error in report.errors],
            created_by=actor,
        )
    report.imported, report.already_imported, report.for_review = [], [], []
    return report


def open_cases_import(
    *,
    data: bytes,
    file_name: str,
    actor,
    channel: str = ImportBatch.Channel.COMMAND,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the whole file, then import every new row in one transaction, or nothing when any row is wrong."""
    if not has_role(actor, Role.ADMIN) or not actor.is_active:
        raise ApplicationError("Only a service admin can import open cases.")
    report = ImportReport(dry_run=dry_run)
    parsed = check_file(data, report, progress)
    if report.errors:
        return _refuse(report, data=data, file_name=file_name, actor=actor, channel=channel)

    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                file_name=file_name[:255],
                file_sha256=_sha256(data),
                channel=channel,
                status=ImportBatch.Status.IMPORTED,
                rows_total=report.rows_total,
                created_by=actor,
            )
            _import_rows(parsed, report=report, batch=batch, actor=actor, progress=progress)
            _batch_finish(batch, report=report, file_name=file_name, actor=actor)
            if dry_run:
                raise _Abort
    except _Abort:
        if report.errors:
            return _refuse(report, data=data, file_name=file_name, actor=actor, channel=channel)
        # A dry run: everything rolled back on purpose, so no family reference exists.
        report.imported = [RowOutcome(o.line, o.previous_provider, o.previous_id) for o in report.imported]
        return report
    except IntegrityError:
        report.errors.append(
            RowError(0, "", "Another import of these records ran at the same time: nothing was imported, run it again")
        )
        return _refuse(report, data=data, file_name=file_name, actor=actor, channel=channel)
    report.batch = batch
    return report


def _import_rows(
    parsed: list[ParsedRow], *, report: ImportReport, batch: ImportBatch, actor, progress: Progress | None
) -> None:
    """Each row: skipped when already imported or reviewed, sent to review when it may be a family already held,
    imported otherwise (inside the caller's transaction; a service refusing a row raises ``_Abort``)."""
    done_keys = _existing_keys(parsed, ImportedRecord) | _existing_keys(parsed, ImportReview)
    for done, row in enumerate(parsed, start=1):
        outcome = RowOutcome(row.line, row.previous_provider, row.previous_id)
        if row.key in done_keys:
            report.already_imported.append(outcome)
        elif candidates := duplicate_candidates(people=row.people, postcode=row.family_fields["postcode"]):
            _review_create(row, batch=batch, candidates=candidates)
            report.for_review.append(outcome)
        else:
            try:
                record = _import_row(row, batch=batch, actor=actor)
            except (ApplicationError, ValidationError) as error:
                report.errors.extend(_service_error(row, error))
                raise _Abort from error
            report.imported.append(
                RowOutcome(row.line, row.previous_provider, row.previous_id, record.family.reference)
            )
        report_progress(progress, "Importing", done, len(parsed))


def _batch_finish(batch: ImportBatch, *, report: ImportReport, file_name: str, actor) -> None:
    """The batch's counts, and its audit event."""
    batch.rows_imported = len(report.imported)
    batch.rows_already_imported = len(report.already_imported)
    batch.rows_for_review = len(report.for_review)
    batch.save(update_fields=["rows_imported", "rows_already_imported", "rows_for_review"])
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT_BATCH,
        obj=batch,
        summary=f"{file_name[:120]}: {batch.rows_imported} imported, {batch.rows_for_review} for review",
        changes={
            "rows": batch.rows_total,
            "imported": batch.rows_imported,
            "already_imported": batch.rows_already_imported,
            "for_review": batch.rows_for_review,
        },
    )


# Reviews ----------------------------------------------------------------------------------------


def _review_create(row: ParsedRow, *, batch: ImportBatch, candidates) -> ImportReview:
    review = ImportReview.objects.create(
        previous_provider=row.previous_provider,
        previous_id=row.previous_id,
        batch=batch,
        line_number=row.line,
        base=row.family_fields["base"],
        row=row.raw,
        matched_on={c.family.reference: list(c.matched_on) for c in candidates},
    )
    review.candidates.set([c.family for c in candidates])
    audit_record(
        actor=batch.created_by,
        action=AuditAction.IMPORT_REVIEW_CREATED,
        obj=review,
        summary=f"{row.previous_provider} {row.previous_id} may be a family already held: waiting for a manager",
    )
    return review


def can_decide_review(user, review: ImportReview) -> bool:
    return manages_base(user, review.base_id)


@transaction.atomic
def import_review_decide(
    *, review: ImportReview, decision: str, notes: str, actor, family: Family | None = None
) -> ImportedRecord:
    """A team manager of the row's base decides: a new family (imported now) or one already held (linked to
    the previous provider's id; nothing in that family is changed)."""
    review = ImportReview.objects.select_for_update().select_related("batch", "base").get(pk=review.pk)
    if not can_decide_review(actor, review):
        raise ApplicationError("Only a team manager of the family's base can decide on this row.")
    if not review.is_pending:
        raise ApplicationError("This row has already been decided.")
    if not notes.strip():
        raise ValidationError({"notes": "Explain the decision"})
    if len(notes) > NOTES_MAX:
        raise ValidationError({"notes": f"The notes must be {NOTES_MAX:,} characters or fewer"})
    if ImportedRecord.objects.filter(
        previous_provider=review.previous_provider, previous_id=review.previous_id
    ).exists():
        raise ApplicationError("This record has already been imported.")
    now = timezone.now()
    if decision == ImportReview.Status.SAME_FAMILY:
        record = _review_link_family(review, family=family, actor=actor)
    elif decision == ImportReview.Status.IMPORTED_AS_NEW:
        record = _review_import_as_new(review, actor=actor)
    else:
        raise ValidationError({"decision": "Choose what this row is"})
    review.status = decision
    review.decided_by = actor
    review.decided_at = now
    review.decision_notes = notes.strip()
    review.save(update_fields=["status", "decided_by", "decided_at", "decision_notes"])
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT_REVIEW_DECIDED,
        obj=review,
        family=record.family,
        summary=f"{review.previous_provider} {review.previous_id}: {review.get_status_display().lower()}",
        changes={"decision": decision},
    )
    return record


def _review_row_check(review: ImportReview) -> RowChecker:
    """The review's row checked again, today, against today's reference data (``checker.check()`` runs it)."""
    return RowChecker(review.line_number, review.row, Lookups([review.row]), timezone.localdate())


def _review_link_family(review: ImportReview, *, family: Family | None, actor) -> ImportedRecord:
    """The row is a family already held, one of the candidates the manager may see (never a restricted family they
    are not named on): record the previous provider's id against it; only a withheld address carries over."""
    if family is None or not review.candidates.filter(restriction_filter(actor), pk=family.pk).exists():
        raise ValidationError({"family": "Choose the family this row is"})
    row = _review_row_check(review).check()
    record = ImportedRecord.objects.create(
        previous_provider=review.previous_provider,
        previous_id=review.previous_id,
        batch=review.batch,
        line_number=review.line_number,
        family=family,
        withheld_address=bool(row and row.withheld_address),
        safeguarding_note=row.safeguarding_note if row else (review.row.get("safeguarding_note") or ""),
        matched_existing=True,
    )
    if record.withheld_address and not family.address_withheld:
        Family.objects.filter(pk=family.pk).update(address_withheld=True)
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_IMPORT_MATCHED,
        obj=family,
        family=family,
        summary=f"{review.previous_provider}'s record {review.previous_id} is this family: nothing merged",
        changes={"previous_provider": review.previous_provider, "previous_id": review.previous_id},
    )
    return record


def _review_import_as_new(review: ImportReview, *, actor) -> ImportedRecord:
    """The row is a new family: import it now, as the file would have, if it still passes every check."""
    checker = _review_row_check(review)
    row = checker.check()
    if row is None:
        raise ApplicationError(
            "The row can no longer be imported: " + "; ".join(str(error) for error in checker.errors)
        )
    return _import_row(row, batch=review.batch, actor=actor, matched_candidates=True)
