"""Families' voice (#20 item 7): what parents tell us on the public feedback form, the complaints log, and the
digital reach the service admin enters each month (#20 item 8).

Feedback comes from the public, without signing in: its free text may hold personal data, so it is seen only by
the team managers it belongs to (by the reference given, else the district) and reaches the returns as counts.
A complaint belongs to a base (the family's, when it names one) and is seen by that base's team managers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ecfs.models import TimeStampedModel

RESPONSE_WORKING_DAYS = 20


class Feedback(models.Model):
    class Rating(models.IntegerChoices):
        VERY_GOOD = 5, "Very good"
        GOOD = 4, "Good"
        NEITHER = 3, "Neither good nor poor"
        POOR = 2, "Poor"
        VERY_POOR = 1, "Very poor"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    received_at = models.DateTimeField()
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    went_well = models.TextField("what went well", blank=True)
    could_be_better = models.TextField("what could be better", blank=True)
    # The reference as typed; the family or referral it matched (never said to the person who wrote it).
    reference_given = models.CharField(max_length=20, blank=True)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="feedback", null=True, blank=True
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="feedback", null=True, blank=True
    )
    # Whose feedback it is: the matched family's (or referral's) base and district, else the district chosen.
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="feedback", null=True, blank=True)
    district = models.ForeignKey(
        "bases.District", on_delete=models.PROTECT, related_name="feedback", null=True, blank=True
    )
    may_contact = models.BooleanField(default=False)
    contact = models.CharField("how to contact them", max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "feedback"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
            models.CheckConstraint(
                condition=models.Q(may_contact=True) | models.Q(contact=""), name="feedback_contact_only_when_agreed"
            ),
        ]
        indexes = [
            # The returns count a quarter's feedback; a manager's list is the newest first.
            models.Index(fields=["received_at"], name="feedback_received_idx"),
            # A manager's list: matched to their bases, else their districts.
            models.Index(fields=["base", "-received_at"], name="feedback_base_idx"),
            models.Index(fields=["district", "-received_at"], name="feedback_district_idx"),
        ]

    def __str__(self):
        return f"Feedback ({self.get_rating_display().lower()}) on {self.received_at:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("voice-feedback-detail", args=[self.uuid])


class Complaint(TimeStampedModel):
    class How(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    class Category(models.TextChoices):
        QUALITY = "quality", "Quality of service"
        STAFF_CONDUCT = "staff_conduct", "Staff conduct"
        COMMUNICATION = "communication", "Communication"
        ACCESS = "access", "Access or waiting"
        DATA_PROTECTION = "data_protection", "Data protection"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly_upheld", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"
        WITHDRAWN = "withdrawn", "Withdrawn"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    received_on = models.DateField()
    received_how = models.CharField("how it came", max_length=20, choices=How.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="complaints", null=True, blank=True
    )
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="complaints")
    summary = models.TextField()
    response_due_on = models.DateField(help_text="20 working days after it was received (bank holidays excluded).")
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    learning = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints")
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints_modified"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(responded_on__isnull=True) & models.Q(outcome=""))
                | (models.Q(responded_on__isnull=False) & ~models.Q(outcome="")),
                name="complaint_outcome_with_response",
            ),
            models.CheckConstraint(
                condition=models.Q(responded_on__isnull=True) | models.Q(responded_on__gte=models.F("received_on")),
                name="complaint_responded_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(response_due_on__gt=models.F("received_on")), name="complaint_due_after_received"
            ),
        ]
        indexes = [
            # Overdue complaints on a manager's landing page: open ones of their bases by due date.
            models.Index(
                fields=["base", "response_due_on"],
                condition=models.Q(responded_on__isnull=True),
                name="complaint_open_due_idx",
            ),
            models.Index(fields=["base", "-received_on"], name="complaint_base_received_idx"),
            # The returns' cohorts: due in a quarter, received in it, answered in it.
            models.Index(fields=["response_due_on"], name="complaint_due_idx"),
            models.Index(fields=["received_on"], name="complaint_received_idx"),
            models.Index(fields=["responded_on"], name="complaint_responded_idx"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} complaint received {self.received_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("voice-complaint-detail", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.responded_on is None

    def overdue_on(self, today) -> bool:
        return self.responded_on is None and self.response_due_on < today


class DigitalReach(models.Model):
    """One month's web visits and social-media followers, entered by the service admin (county figures, not
    about any person)."""

    PLATFORMS = (
        ("facebook_followers", "Facebook"),
        ("instagram_followers", "Instagram"),
        ("x_followers", "X (formerly Twitter)"),
        ("other_followers", "Other platforms (YouTube, TikTok and the like)"),
    )

    month = models.DateField(unique=True, help_text="The first day of the month.")
    web_visits = models.PositiveIntegerField("visits to the service's web pages in the month", null=True, blank=True)
    facebook_followers = models.PositiveIntegerField(null=True, blank=True)
    instagram_followers = models.PositiveIntegerField(null=True, blank=True)
    x_followers = models.PositiveIntegerField(null=True, blank=True)
    other_followers = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="digital_reach_recorded"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "digital reach"
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="digital_reach_month_first_day"),
        ]

    def __str__(self):
        return f"Digital reach, {self.month:%B %Y}"
