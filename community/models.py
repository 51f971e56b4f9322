"""Networks of support (committee report §4.3, §5.2.5): the community groups families can join, the families
connected to them (and whether they went), and the £250,000 of community grants."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from ecfs.models import TimeStampedModel
from families.validators import validate_uk_postcode

FOLLOW_UP_AFTER = timedelta(weeks=4)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CommunityGroup(TimeStampedModel):
    """A community or voluntary group families can join, run by its own organisation (not by ECFS)."""

    class Kind(models.TextChoices):
        STAY_AND_PLAY = "stay_and_play", "Stay and play"
        TODDLER_GROUP = "toddler_group", "Toddler group"
        BABY_BANK = "baby_bank", "Baby bank"
        PARENT_PEER_SUPPORT = "parent_peer_support", "Parent peer support"
        BREASTFEEDING = "breastfeeding", "Breastfeeding group"
        RHYME_TIME = "rhyme_time", "Library rhyme time"
        DADS_GROUP = "dads_group", "Dads' group"
        SEND_GROUP = "send_group", "Group for children with additional needs"
        LANGUAGE_GROUP = "language_group", "Conversation group for parents learning English"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        TERM_TIME = "term_time", "Every week in term time"
        FORTNIGHTLY = "fortnightly", "Every other week"
        MONTHLY = "monthly", "Once a month"

    class Status(models.TextChoices):
        ACTIVE = "active", "Running"
        PAUSED = "paused", "Paused for now"
        STARTING = "starting", "Starting soon"
        CLOSED = "closed", "Closed"

    # What ORUK calls each status (its codelist: active, inactive, defunct, temporarily closed).
    ORUK_STATUS = {
        Status.ACTIVE: "active",
        Status.PAUSED: "temporarily closed",
        Status.STARTING: "inactive",
        Status.CLOSED: "defunct",
    }

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True, help_text="What happens at the group, in the words a parent would use.")
    organisation = models.CharField("organisation that runs it", max_length=150)
    organisation_website = models.URLField("organisation's website", blank=True)
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="community_groups")
    locality = models.ForeignKey("bases.Locality", on_delete=models.PROTECT, related_name="community_groups")
    venue_name = models.CharField("where it meets", max_length=150)
    venue_address = models.CharField("street and town", max_length=200)
    venue_postcode = models.CharField("postcode", max_length=8, validators=[validate_uk_postcode])
    min_age_months = models.PositiveSmallIntegerField(
        "youngest age (months)", default=0, validators=[MaxValueValidator(60)]
    )
    max_age_months = models.PositiveSmallIntegerField(
        "oldest age (months)", default=60, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    for_expectant_parents = models.BooleanField("parents-to-be welcome", default=False)
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(WEEKDAYS)))
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    cost = models.DecimalField(
        "cost per family per session (£)", max_digits=6, decimal_places=2, default=Decimal("0.00")
    )
    cost_notes = models.CharField(max_length=200, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    accessibility_notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    last_checked_on = models.DateField("details last checked")
    last_checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    modified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age_months__lte=F("max_age_months")), name="community_group_ages_in_order"
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="community_group_times_in_order"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="community_group_cost_not_negative"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="community_group_weekday_valid"),
        ]
        indexes = [
            # The register's search by place and day, and the gaps view's count of running groups per locality.
            models.Index(fields=["locality", "status", "weekday"], name="community_group_place_idx"),
            models.Index(fields=["district", "status", "weekday"], name="community_group_district_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def day_name(self) -> str:
        return WEEKDAYS[self.weekday]

    @property
    def is_free(self) -> bool:
        return self.cost == 0

    def ages_text(self) -> str:
        def months(value):
            if value == 0:
                return "birth"
            if value % 12 == 0:
                return f"{value // 12} year{'s' if value != 12 else ''}"
            return f"{value} months"

        text = f"{months(self.min_age_months)} to {months(self.max_age_months)}"
        return f"{text}, and parents-to-be" if self.for_expectant_parents else text


class Connection(TimeStampedModel):
    """A family helped to join a community group or another service; four weeks on, did they go?"""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not asked yet"
        GOING_HELPING = "going_helping", "They went and it is helping"
        GOING_NOT_HELPING = "going_not_helping", "They went but it is not helping"
        DID_NOT_GO = "did_not_go", "They did not go"
        UNKNOWN = "unknown", "Could not find out"

    ATTENDED = (Outcome.GOING_HELPING, Outcome.GOING_NOT_HELPING)
    ANSWERED = (Outcome.GOING_HELPING, Outcome.GOING_NOT_HELPING, Outcome.DID_NOT_GO)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="connections")
    group = models.ForeignKey(
        CommunityGroup, on_delete=models.PROTECT, related_name="connections", null=True, blank=True
    )
    service_name = models.CharField(
        "other service", max_length=150, blank=True, help_text="A service that is not a community group."
    )
    connected_on = models.DateField()
    connected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("how you helped them get there", blank=True)
    follow_up_due = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(blank=True)
    outcome_recorded_on = models.DateField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-connected_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(service_name="")) | (Q(group__isnull=True) & ~Q(service_name="")),
                name="connection_to_a_group_or_a_service",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_due__gte=F("connected_on")), name="connection_follow_up_after_connection"
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending", outcome_recorded_on__isnull=True)
                | (~Q(outcome="pending") & Q(outcome_recorded_on__isnull=False)),
                name="connection_outcome_has_a_date",
            ),
        ]
        indexes = [
            # "Did they go?": the follow-ups falling due, for the worker's landing page.
            models.Index(fields=["follow_up_due"], condition=Q(outcome="pending"), name="connection_follow_up_due_idx"),
            # The quarterly return counts connections made in a period.
            models.Index(fields=["connected_on"], name="connection_connected_on_idx"),
        ]

    def __str__(self):
        return f"{self.family} to {self.to_name}"

    @property
    def to_name(self) -> str:
        return self.group.name if self.group_id else self.service_name


class GrantBudget(models.Model):
    """The community grants money for one financial year; approvals can never commit more than it holds."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the financial year starts: 2026 is 2026/27."
    )
    total_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    committed_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["-financial_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_amount__lte=F("total_amount")), name="grant_budget_never_overspent"
            ),
            models.CheckConstraint(condition=Q(committed_amount__gte=0), name="grant_budget_committed_not_negative"),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0, paid_amount__lte=F("committed_amount")),
                name="grant_budget_paid_within_committed",
            ),
        ]

    def __str__(self):
        return f"Community grants {self.financial_year}/{str(self.financial_year + 1)[-2:]}"

    @property
    def remaining_amount(self) -> Decimal:
        return self.total_amount - self.committed_amount


class GrantApplication(TimeStampedModel):
    """A community group's application for a grant, entered by staff, assessed against the need of the place."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ASSESSED = "assessed", "Assessed"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        PAID = "paid", "Paid in full"

    class Purpose(models.TextChoices):
        NEW_GROUP = "new_group", "Start a new group"
        EXTEND_GROUP = "extend_group", "Run an existing group more often or for more families"
        EQUIPMENT = "equipment", "Equipment, toys or books"
        VENUE = "venue", "Venue hire"
        VOLUNTEERS = "volunteers", "Volunteers' training and expenses"
        OTHER = "other", "Something else"

    OPEN = (Status.RECEIVED, Status.ASSESSED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True)
    group = models.ForeignKey(
        CommunityGroup,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        null=True,
        blank=True,
        help_text="The group in the register, when it is already there.",
    )
    group_name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    description = models.TextField("what the money is for")
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="grant_applications")
    locality = models.ForeignKey("bases.Locality", on_delete=models.PROTECT, related_name="grant_applications")
    rural = models.BooleanField("serves a village or dispersed rural community", default=False)
    families_expected = models.PositiveIntegerField("families it expects to reach", validators=[MinValueValidator(1)])
    amount_requested = models.DecimalField(max_digits=8, decimal_places=2)
    received_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    # Assessment: the place's points are worked out (community.scoring) and kept as they stood that day.
    need_points = models.PositiveSmallIntegerField(null=True, blank=True)
    rural_points = models.PositiveSmallIntegerField(null=True, blank=True)
    gap_points = models.PositiveSmallIntegerField(null=True, blank=True)
    quality_points = models.PositiveSmallIntegerField(null=True, blank=True)
    assessment_notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    assessed_on = models.DateField(null=True, blank=True)
    budget = models.ForeignKey(
        GrantBudget, on_delete=models.PROTECT, related_name="applications", null=True, blank=True
    )
    amount_approved = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="grant_amount_requested_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | (Q(amount_approved__gt=0) & Q(budget__isnull=False)),
                name="grant_approved_has_amount_and_budget",
            ),
        ]
        indexes = [
            # The grants list by status, and the quarterly totals by district and locality.
            models.Index(fields=["status", "district"], name="grant_status_district_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.group_name}"

    @property
    def score(self) -> int | None:
        parts = (self.need_points, self.rural_points, self.gap_points, self.quality_points)
        return None if any(part is None for part in parts) else sum(parts)


class GrantPayment(models.Model):
    """Money paid to the group against its approved grant (in one payment or instalments)."""

    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    paid_on = models.DateField()
    reference = models.CharField("payment reference", max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="grant_payment_positive")]

    def __str__(self):
        return f"£{self.amount} to {self.application.reference}"


class GrantMonitoring(models.Model):
    """The group's simple monitoring return: how many families it reached and sessions it held in a period."""

    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="monitoring")
    period_end = models.DateField("up to")
    families_reached = models.PositiveIntegerField()
    sessions_held = models.PositiveIntegerField()
    notes = models.TextField("what difference it made", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "period_end"], name="grant_monitoring_one_per_period")
        ]

    def __str__(self):
        return f"{self.application.reference} to {self.period_end}"
