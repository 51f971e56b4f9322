"""The advice log: information, advice and signposting given when a family first asks (report §4.2, §5.2.2).

Anonymous by default: an entry says where (a district, a town, the first half of a postcode — never an address),
what it was about and what was given, and names a family only when the family is already known to the service.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from ecfs.models import TimeStampedModel


class AdviceEntry(TimeStampedModel):
    class Channel(models.TextChoices):
        PHONE_LINE = "phone_line", "The phone line"
        DROP_IN = "drop_in", "A drop-in session"
        OUTREACH = "outreach", "Outreach at a partner's session"
        ONLINE = "online", "Online"
        EMAIL = "email", "Email"

    class PartnerSession(models.TextChoices):
        HEALTH_CLINIC = "health_clinic", "Health clinic or baby weigh"
        RHYME_TIME = "rhyme_time", "Library bounce and rhyme"
        SPEECH_LANGUAGE = "speech_language", "Speech and language drop-in"
        OTHER = "other", "Another partner's session"

    class Given(models.TextChoices):
        INFORMATION = "information", "Information"
        ADVICE = "advice", "Advice"
        SIGNPOSTED = "signposted", "Signposted to a service or community group"
        REFERRAL = "referral", "Referral made"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_on = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    partner_session = models.CharField(max_length=20, choices=PartnerSession.choices, blank=True)
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="advice_entries")
    locality = models.ForeignKey(
        "bases.Locality", on_delete=models.PROTECT, related_name="advice_entries", null=True, blank=True
    )
    outward_postcode = models.CharField("first half of the postcode", max_length=4, blank=True)
    topics = models.ManyToManyField("families.Determinant", related_name="advice_entries")
    given = models.CharField(max_length=20, choices=Given.choices)
    # Free text until the community groups register exists; a link to the register's group will sit beside it.
    signposted_to = models.CharField(max_length=200, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="advice_entries", null=True, blank=True
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="advice_entries", null=True, blank=True
    )
    notes = models.TextField(blank=True)
    # Whose entry it is: the recorder's team (its workers see it) and that team's base (its managers see it).
    team = models.ForeignKey("bases.Team", on_delete=models.PROTECT, related_name="advice_entries")
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="advice_entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_entries")

    class Meta:
        verbose_name_plural = "advice entries"
        ordering = ["-given_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(given="signposted") | ~models.Q(signposted_to=""),
                name="advice_signposted_names_where",
            ),
            models.CheckConstraint(
                condition=models.Q(referral__isnull=True) | models.Q(given="referral"),
                name="advice_referral_only_when_made",
            ),
            models.CheckConstraint(
                condition=models.Q(partner_session="") | models.Q(channel="outreach"),
                name="advice_partner_session_only_outreach",
            ),
        ]
        indexes = [
            # The team's log, newest first (a worker's list).
            models.Index(fields=["team", "-given_on"], name="advice_team_date_idx"),
            # A manager's log across their bases.
            models.Index(fields=["base", "-given_on"], name="advice_base_date_idx"),
            # The returns count a period's entries by district.
            models.Index(fields=["given_on", "district"], name="advice_date_district_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} on {self.given_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("advice-detail", args=[self.uuid])
