"""Adding, downloading, correcting and (for the retention job only) erasing documents; every step audited."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.access import is_allocated, manages_family
from families.models import Family
from families.rules import long_date

from .content import real_type
from .models import Document
from .storage import document_storage


def max_upload_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_MB * 1024 * 1024


def _same_content(document: Document, upload) -> bool:
    upload.seek(0)
    try:
        stored = document_storage.open(document.file.name, "rb")
    except FileNotFoundError:
        return False
    with stored:
        for chunk in upload.chunks():
            if stored.read(len(chunk)) != chunk:
                return False
        return not stored.read(1)


def _refuse_the_same_file_again(*, family, upload) -> None:
    """The same file already on the family's record (a form sent twice, or uploaded again under another name) is
    not kept twice. Uploads to a family wait for each other here, so two sent at once are seen as one and its
    duplicate. A file recorded in error may be added again."""
    Family.objects.select_for_update().filter(pk=family.pk).first()
    same_size = Document.objects.filter(family=family, size=upload.size, in_error_at__isnull=True)
    try:
        earlier = next((document for document in same_size if _same_content(document, upload)), None)
    finally:
        upload.seek(0)
    if earlier is not None:
        raise ValidationError(
            {
                "file": f"This file is already on the record: “{earlier.description}”, added "
                f"{long_date(timezone.localtime(earlier.added_at).date())}"
            }
        )


def document_add(*, family, actor, upload, kind: str, description: str) -> Document:
    """Store ``upload`` on the family's record once its real type is accepted (a ``ValidationError`` if not)."""
    try:
        found = real_type(upload, max_bytes=max_upload_bytes())
    except ValidationError as refused:
        raise ValidationError({"file": refused.messages}) from refused
    document = Document(
        family=family,
        kind=kind,
        description=description.strip(),
        original_name=upload.name[:255],
        content_type=found.content_type,
        extension=found.extension,
        size=upload.size,
        added_by=actor,
    )
    try:
        with transaction.atomic():
            _refuse_the_same_file_again(family=family, upload=upload)
            document.file.save("upload", upload, save=False)
            document.save()
            audit_record(
                actor=actor,
                action=AuditAction.DOCUMENT_ADDED,
                obj=document,
                family=family,
                summary=f"Added a document: {document.get_kind_display()} ({found.label})",
                changes={"kind": kind, "content_type": found.content_type, "size": upload.size},
            )
    except BaseException:
        # The row did not commit: the stored file must not outlive it.
        if document.file.name:
            document_storage.delete(document.file.name)
        raise
    return document


def document_open(*, document: Document, actor, purpose: str = ""):
    """The stored file to send to ``actor``; each download is audited (who read which file, when, and ``purpose``
    where it is not the family's record: a subject access request)."""
    audit_record(
        actor=actor,
        action=AuditAction.DOCUMENT_DOWNLOADED,
        obj=document,
        family=document.family,
        summary=f"Downloaded a document: {document.get_kind_display()}" + (f" ({purpose})" if purpose else ""),
    )
    return document_storage.open(document.file.name, "rb")


def download_name(document: Document) -> str:
    stem = document.original_name.rsplit(".", 1)[0] or "document"
    return f"{stem}.{document.extension}"


def may_mark_in_error(*, user, document: Document) -> bool:
    """Who added it, a worker allocated to the family, or a manager of its base."""
    return (
        document.added_by_id == user.pk or is_allocated(user, document.family) or manages_family(user, document.family)
    )


@transaction.atomic
def document_mark_in_error(*, document: Document, actor, reason: str) -> Document:
    """Hide a document added to the wrong record; the file and the row stay for the audit trail."""
    if not may_mark_in_error(user=actor, document=document):
        raise ApplicationError("Only the family's workers, their manager or whoever added it can do this.")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.in_error_at:
        raise ApplicationError("This document is already recorded in error.")
    document.in_error_at = timezone.now()
    document.in_error_by = actor
    document.in_error_reason = reason.strip()
    document.save(update_fields=["in_error_at", "in_error_by", "in_error_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.DOCUMENT_MARKED_IN_ERROR,
        obj=document,
        family=document.family,
        summary=f"Document recorded in error: {document.get_kind_display()}",
        changes={"reason": document.in_error_reason},
    )
    return document


def family_documents_erase(*, family) -> int:
    """The retention job's step: the rows go in the caller's transaction, the files once it commits."""
    documents = Document.objects.filter(family=family)
    names = [name for name in documents.values_list("file", flat=True) if name]
    deleted, _ = documents.delete()
    transaction.on_commit(lambda: [document_storage.delete(name) for name in names])
    return deleted
