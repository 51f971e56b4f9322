"""The outbox (every message the service sends, or holds for a digest) and each person's preferences."""

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    REFERRAL_OUTCOME = "referral_outcome", "Outcome of a referral (to the referrer)"
    SELF_REFERRAL_OUTCOME = "self_referral_outcome", "Outcome of a request for help (to the family)"
    ALLOCATION = "allocation", "A family allocated to you"
    SAFEGUARDING = "safeguarding", "A safeguarding concern raised at your base"
    PLAN_AWAITING = "plan_awaiting", "A support plan awaiting your approval"
    FUND_AWAITING = "fund_awaiting", "A fund application awaiting your decision"
    DIGEST = "digest", "Your daily digest"
    VISIT_REMINDER = "visit_reminder", "Reminder of a visit (to the family)"
    SESSION_REMINDER = "session_reminder", "Reminder of a group session (to the family)"


# What a member of staff may choose for (the rest go to referrers and families, or cannot be turned off).
STAFF_CHOOSABLE = (Kind.ALLOCATION, Kind.PLAN_AWAITING, Kind.FUND_AWAITING, Kind.DIGEST)
# Sent at once whatever anyone has chosen.
ALWAYS_IMMEDIATE = (Kind.SAFEGUARDING,)


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter (not sent by the system: to post)"


class Message(models.Model):
    """One message to one recipient, written in the transaction of the event it tells of and sent after commit.

    The idempotency key names the event and recipient, so an event recorded twice, or a task run twice, makes
    and sends one message. The body holds a reference and a link, never a name or a note."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        HELD = "held", "Held for the daily digest"
        IN_DIGEST = "in_digest", "Sent in the daily digest"
        NOT_SENT = "not_sent", "Not sent by the system"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages", null=True, blank=True
    )
    # An email address or phone number for someone who is not a user (a referrer, a family); empty for a letter.
    recipient_address = models.CharField(max_length=254, blank=True)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="messages", null=True, blank=True
    )
    reference = models.CharField("about", max_length=20, blank=True, help_text="The record's reference.")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    digest = models.ForeignKey("self", on_delete=models.PROTECT, related_name="held_messages", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The family record's Messages page and the subject access bundle.
            models.Index(fields=["family", "-created_at"], name="message_family_idx"),
            # The daily digest: what is held for each person.
            models.Index(
                fields=["recipient_user", "created_at"],
                condition=models.Q(status="held"),
                name="message_held_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_user__isnull=False)
                | ~models.Q(recipient_address="")
                | models.Q(channel="letter"),
                name="message_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.get_channel_display().lower()} ({self.get_status_display()})"


class Preference(models.Model):
    """How one member of staff wants one kind of message: at once, in the daily digest, or not at all."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Straight away"
        DIGEST = "digest", "In my daily digest at 7am"
        OFF = "off", "Not at all"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_one_per_user_kind"),
            models.CheckConstraint(
                condition=~models.Q(kind="safeguarding"), name="preference_safeguarding_not_choosable"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {self.delivery}"
