import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .storage import documents_storage


def document_path(document: "Document", filename: str) -> str:
    """``<family uuid>/<document uuid>.<real extension>``: no name a family or worker chose reaches the store."""
    return f"{document.family.uuid}/{document.uuid}.{document.extension}"


class Document(models.Model):
    """A file on the family record: kept privately, downloaded only through the scoped view."""

    class Kind(models.TextChoices):
        CONSENT = "consent", "Signed consent form"
        LETTER = "letter", "Letter"
        PLAN = "plan", "Plan shared with the family"
        PARTNER_REPORT = "partner_report", "Report from a partner agency"
        OTHER = "other", "Other document"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("kind of document", max_length=20, choices=Kind.choices)
    description = models.CharField("description", max_length=200)
    file = models.FileField(storage=documents_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField("file name", max_length=255)
    content_type = models.CharField("type", max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField("size in bytes")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="added by"
    )
    added_at = models.DateTimeField("added", default=timezone.now)
    # Recorded in error (on the wrong family, say): hidden from the record and its bundles, kept for the audit.
    in_error_at = models.DateTimeField(null=True, blank=True)
    in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_error_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        indexes = [models.Index(fields=["family", "-added_at"], name="document_family_added_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"
