"""Generating and submitting returns.

Generation is idempotent: for a period there is at most one draft, and
generating again refreshes it. Submitted returns never change; generating a
period that was submitted makes a new version that names the one it replaces.
Files are written before the row that points to them, in one transaction at the
end, so a failure leaves no half-written return.
"""

import hashlib
import logging
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from kombu.exceptions import OperationalError as QueueUnavailable

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role

from . import disclosure
from .documents import render_csv, render_definitions_csv, render_pdf
from .figures import compute_figures, figures_json, published_alongside
from .models import Return, ReturnRequest
from .periods import Period, parse_period

logger = logging.getLogger(__name__)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _save_file(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def can_generate(user) -> bool:
    return has_role(user, Role.MANAGER) or has_role(user, Role.ADMIN)


def period_for(kind: str, label: str) -> Period:
    try:
        period = parse_period(label)
    except ValueError as error:
        raise ApplicationError(str(error)) from None
    if kind and period.kind != kind:
        raise ApplicationError(f"{label} is a {period.kind} period, not {kind}.")
    return period


def _draft_of(period: Period) -> Return | None:
    return Return.objects.filter(kind=period.kind, period=period.label, status=Return.Status.DRAFT).first()


def return_generate(*, period: Period, actor=None) -> Return:
    """The period's draft, created or refreshed with today's figures. Safe to run twice at once: both get the
    one draft."""
    alongside = published_alongside(period)
    figures = compute_figures(period, alongside=alongside)
    weak = disclosure.audit(figures, alongside)
    if weak:  # disclosure.protect hides until this passes: a failure here is a bug, and nothing is written
        cells = ", ".join(f"{code} row {row} {area}" for code, row, area in (cell.key for cell in weak))
        raise ApplicationError(f"The return would let hidden figures be worked out ({cells}); nothing was saved.")
    data = figures_json(figures)
    csv_bytes = render_csv(figures)
    definitions_bytes = render_definitions_csv(figures)
    existing = Return.objects.filter(kind=period.kind, period=period.label)
    draft = existing.filter(status=Return.Status.DRAFT).first()
    version = draft.version if draft else (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    pdf_bytes = render_pdf(
        figures, version=version, status=Return.Status.DRAFT, generated_on=f"{timezone.localdate():%-d %B %Y}"
    )
    stem = f"returns/{period.kind}-{period.label}-v{version}"
    pdf_name = _save_file(f"{stem}-{_sha(pdf_bytes)[:12]}.pdf", pdf_bytes)
    csv_name = _save_file(f"{stem}-{_sha(csv_bytes)[:12]}.csv", csv_bytes)
    definitions_name = _save_file(f"{stem}-definitions-{_sha(definitions_bytes)[:12]}.csv", definitions_bytes)
    new_files = (pdf_name, csv_name, definitions_name)
    try:
        with transaction.atomic():
            rows = list(Return.objects.select_for_update().filter(kind=period.kind, period=period.label))
            draft = next((r for r in rows if r.status == Return.Status.DRAFT), None)
            if draft is None:
                submitted = [r for r in rows if r.status == Return.Status.SUBMITTED]
                draft = Return(
                    kind=period.kind,
                    period=period.label,
                    period_start=period.start,
                    period_end=period.end,
                    version=max((r.version for r in rows), default=0) + 1,
                    replaces=max(submitted, key=lambda r: r.version) if submitted else None,
                )
            elif draft.version != version:
                raise ApplicationError("Another generation of this return finished first; try again.")
            old_files = (draft.pdf.name, draft.csv.name, draft.definitions_csv.name) if draft.pk else ()
            draft.figures = figures
            draft.figures_sha256 = _sha(data)
            draft.pdf.name, draft.csv.name, draft.definitions_csv.name = new_files
            draft.pdf_sha256, draft.csv_sha256 = _sha(pdf_bytes), _sha(csv_bytes)
            draft.definitions_csv_sha256 = _sha(definitions_bytes)
            draft.generated_at = timezone.now()
            draft.generated_by = actor
            draft.save()
            audit_record(
                actor=actor,
                action=AuditAction.RETURN_GENERATED,
                obj=draft,
                summary=f"{draft.get_kind_display()} return {draft.period} version {draft.version} generated",
            )
    except (IntegrityError, ApplicationError) as error:
        for name in new_files:
            default_storage.delete(name)
        # A new period (or a correction) has no row to lock yet, so two jobs can both get to the insert: the
        # unique constraints make the second wait for the first to commit, then refuse it. The first job's
        # draft, figured at the same moment, is the answer for both.
        winner = _draft_of(period) if isinstance(error, IntegrityError) else None
        if winner is None:
            raise
        logger.info("return %s %s: another job created the draft first; using it", period.kind, period.label)
        return winner
    for name in old_files:
        if name and name not in new_files:
            transaction.on_commit(lambda name=name: default_storage.delete(name))
    return draft


def return_submit(*, a_return: Return, actor) -> Return:
    """Submit a draft: its PDF is rendered once more as submitted, then it never changes."""
    if not can_generate(actor):
        raise ApplicationError("Only team managers and service admins can submit returns.")
    if a_return.status != Return.Status.DRAFT:
        raise ApplicationError("This return has already been submitted: generate a correction instead.")
    pdf_bytes = render_pdf(
        a_return.figures,
        version=a_return.version,
        status=Return.Status.SUBMITTED,
        generated_on=f"{timezone.localdate():%-d %B %Y}",
    )
    pdf_name = _save_file(
        f"returns/{a_return.kind}-{a_return.period}-v{a_return.version}-{_sha(pdf_bytes)[:12]}.pdf", pdf_bytes
    )
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=a_return.pk)
        if locked.status != Return.Status.DRAFT or locked.figures_sha256 != a_return.figures_sha256:
            default_storage.delete(pdf_name)
            raise ApplicationError("The draft changed while it was being submitted; review it and submit again.")
        draft_pdf = locked.pdf.name
        locked.pdf.name = pdf_name
        locked.pdf_sha256 = _sha(pdf_bytes)
        locked.status = Return.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.RETURN_SUBMITTED,
            obj=locked,
            summary=f"{locked.get_kind_display()} return {locked.period} version {locked.version} submitted",
        )
        transaction.on_commit(lambda: default_storage.delete(draft_pdf))
    return locked


@transaction.atomic
def return_request(*, kind: str, label: str, actor) -> ReturnRequest:
    """Ask the worker to generate a return; the page polls the request for progress."""
    if not can_generate(actor):
        raise ApplicationError("Only team managers and service admins can generate returns.")
    period = period_for(kind, label)
    if period.end >= timezone.localdate():
        raise ApplicationError(f"{period.title} has not ended yet: returns are for complete periods.")
    request = ReturnRequest.objects.create(kind=period.kind, period=period.label, requested_by=actor)
    transaction.on_commit(partial(_return_request_enqueue, request.pk))
    return request


QUEUE_UNAVAILABLE = (
    "The job queue is not available at the moment, so the return was not started. Try again in a few minutes; "
    "if it keeps happening, tell the service desk."
)


def _return_request_enqueue(request_id: int) -> None:
    """After the commit, hand the request to the worker. If the queue (Redis) cannot take it, the request fails
    with a message on its progress page: the page does not answer 500, and no request waits for a job that
    was never queued."""
    from .tasks import generate_requested_return

    try:
        generate_requested_return.delay(request_id)
    except QueueUnavailable:
        logger.warning("return request %s not queued: the broker is unavailable", request_id, exc_info=True)
        ReturnRequest.objects.filter(pk=request_id, state=ReturnRequest.State.QUEUED).update(
            state=ReturnRequest.State.FAILED, error=QUEUE_UNAVAILABLE, finished_at=timezone.now()
        )
