"""Open cases imported from a previous provider: each batch, each imported record, and rows held for review.

A record keeps the previous provider's name and its own id there; (provider, id) is unique, so running the
same file again imports nothing twice. A row that may be a family already held is never merged: it waits in
``ImportReview`` for a team manager.
"""

import uuid

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    """One run of an import file, kept whether it imported rows or was refused."""

    class Status(models.TextChoices):
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Refused: nothing imported"

    class Channel(models.TextChoices):
        COMMAND = "command", "Management command"
        UPLOAD = "upload", "Uploaded on the imports page"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_already_imported = models.PositiveIntegerField(default=0)
    rows_for_review = models.PositiveIntegerField(default=0)
    # [{"line", "column", "message"}]: no values from the file, so no personal data.
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display().lower()}, {self.created_at:%d %b %Y %H:%M})"


class ImportedRecord(models.Model):
    """A family that came from a previous provider, with that provider's id and what has no home in Family yet."""

    previous_provider = models.CharField(max_length=150)
    previous_id = models.CharField(max_length=100)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    line_number = models.PositiveIntegerField()
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="import_records")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="import_records", null=True, blank=True
    )
    plan = models.ForeignKey(
        "families.SupportPlan", on_delete=models.PROTECT, related_name="import_records", null=True, blank=True
    )
    # Family has no field for these yet: they are kept here until it does.
    withheld_address = models.BooleanField(
        default=False, help_text="The previous provider withheld the family's address from other agencies."
    )
    safeguarding_note = models.TextField(blank=True)
    # Set when a manager decided the row was a family already held (nothing was imported into it).
    matched_existing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["previous_provider", "previous_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["previous_provider", "previous_id"], name="imported_record_once_per_previous_id"
            ),
        ]
        indexes = [
            # "Where did this family come from?" on the family record.
            models.Index(fields=["family"], name="imported_record_family_idx"),
        ]

    def __str__(self):
        return f"{self.previous_provider} {self.previous_id} → {self.family}"


class ImportReview(models.Model):
    """A row that may be a family already held: not imported until a team manager decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a manager"
        IMPORTED_AS_NEW = "imported_as_new", "Imported as a new family"
        SAME_FAMILY = "same_family", "The same family as one already held"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    previous_provider = models.CharField(max_length=150)
    previous_id = models.CharField(max_length=100)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="reviews")
    line_number = models.PositiveIntegerField()
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="+")
    # The row as read from the file (so a manager can import it later); personal data, never shown to admins.
    row = models.JSONField()
    candidates = models.ManyToManyField("families.Family", related_name="+")
    matched_on = models.JSONField(default=dict, help_text="Family reference → what matched.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["previous_provider", "previous_id"], name="import_review_once_per_id"),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="import_review_decided_has_time",
            ),
        ]
        indexes = [
            # The review list: pending rows, oldest first.
            models.Index(fields=["created_at"], condition=models.Q(status="pending"), name="import_review_pending_idx"),
        ]

    def __str__(self):
        return f"Review of {self.previous_provider} {self.previous_id} (line {self.line_number})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
