import uuid

from django.conf import settings
from django.db import models

from ecfs.models import TimeStampedModel


class SubjectAccessRequest(TimeStampedModel):
    """A request under UK GDPR article 15 for everything held about a person or a family."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RELEASED = "released", "Released"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, null=True, blank=True)
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="subject_access_requests")
    # The data subject when the request is one person's; empty when it is the whole family's.
    person = models.ForeignKey(
        "families.Person", on_delete=models.PROTECT, related_name="subject_access_requests", null=True, blank=True
    )
    requester_name = models.CharField("who asked", max_length=150)
    received_on = models.DateField()
    # One calendar month from receipt (UK GDPR article 12(3)).
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Keys of the third parties whose details are taken out of the bundle (see subject_access.third_parties).
    redacted = models.JSONField(default=list, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["status", "due_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_on__gt=models.F("received_on")), name="sar_due_after_receipt")
        ]

    def __str__(self):
        return self.reference or f"Subject access request {self.pk}"
