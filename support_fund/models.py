import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords  # every change kept: amendments show what was there

from ecfs.models import TimeStampedModel


class FundSource(models.Model):
    """Where money comes from: the council's allocation, or an outside contribution (a charity's appeal)."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council allocation"
        EXTERNAL = "external", "Outside contribution"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(
        default=10, help_text="Lower is spent first when more than one budget could pay."
    )

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self):
        return self.name


class Budget(models.Model):
    """A source's money for one financial year (April to March), for one district or the whole county.

    ``total_amount`` is the sum of its adjustments; ``committed_amount`` is what
    approved and paid applications hold. The database refuses any row where the
    committed money exceeds the total: the fund is never overspent.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts: 2026 is 2026/27.")
    district = models.ForeignKey(
        "bases.District", on_delete=models.PROTECT, null=True, blank=True, related_name="fund_budgets"
    )
    source = models.ForeignKey(FundSource, on_delete=models.PROTECT, related_name="budgets")
    total_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    committed_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["-financial_year", "source__priority", "district__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(committed_amount__lte=models.F("total_amount")), name="budget_never_overspent"
            ),
            models.CheckConstraint(condition=models.Q(committed_amount__gte=0), name="budget_committed_not_negative"),
            models.CheckConstraint(
                condition=models.Q(paid_amount__gte=0, paid_amount__lte=models.F("committed_amount")),
                name="budget_paid_within_committed",
            ),
            models.UniqueConstraint(
                fields=["financial_year", "district", "source"],
                condition=models.Q(district__isnull=False),
                name="budget_one_per_year_district_source",
            ),
            models.UniqueConstraint(
                fields=["financial_year", "source"],
                condition=models.Q(district__isnull=True),
                name="budget_one_county_budget_per_year_source",
            ),
        ]

    def __str__(self):
        where = self.district.name if self.district_id else "County"
        return f"{self.financial_year}/{str(self.financial_year + 1)[-2:]} {where} — {self.source}"

    @property
    def remaining_amount(self) -> Decimal:
        return self.total_amount - self.committed_amount

    @property
    def year_label(self) -> str:
        return f"{self.financial_year}/{str(self.financial_year + 1)[-2:]}"


class BudgetAdjustment(models.Model):
    """Every change to a budget's total is a recorded entry, never an edit."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="adjustments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.amount} to {self.budget}"


class FundLimits(models.Model):
    """The service admin's limits (one row). Above a limit, a second manager must approve too."""

    max_per_payment = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("250.00"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_per_family_12_months = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("500.00"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fund limits"
        verbose_name_plural = "fund limits"

    def __str__(self):
        return f"£{self.max_per_payment:,} a payment, £{self.max_per_family_12_months:,} a family a year"

    @classmethod
    def current(cls) -> "FundLimits":
        return cls.objects.get_or_create(pk=1)[0]


class Application(TimeStampedModel):
    history = HistoricalRecords()

    class Category(models.TextChoices):
        FOOD = "food", "Food"
        ESSENTIALS = "essentials", "Essential household or baby items"
        TRAVEL = "travel", "Travel"
        ENERGY = "energy", "Energy and utility bills"
        HOUSING = "housing", "Rent or housing costs"
        CLOTHING = "clothing", "Clothing"
        CHILDCARE = "childcare", "Childcare"
        OTHER = "other", "Other"

    class Delivery(models.TextChoices):
        VOUCHER = "voucher", "Supermarket voucher"
        SUPPLIER = "supplier", "Direct payment to a supplier"
        PREPAID_CARD = "prepaid_card", "Prepaid card"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Awaiting decision"
        AWAITING_SECOND = "awaiting_second", "Awaiting second approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    HOLDS_MONEY = (Status.APPROVED, Status.PAID)
    AWAITING_DECISION = (Status.SUBMITTED, Status.AWAITING_SECOND)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, null=True, blank=True)
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="fund_applications")
    plan = models.ForeignKey("families.SupportPlan", on_delete=models.PROTECT, related_name="fund_applications")
    goals = models.ManyToManyField("families.Goal", related_name="fund_applications", blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_applications")
    category = models.CharField(max_length=15, choices=Category.choices)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    justification = models.TextField()
    delivery = models.CharField(max_length=15, choices=Delivery.choices)
    supplier = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    needs_second_approval = models.BooleanField(default=False)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="application_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "paid"]) | models.Q(budget__isnull=False),
                name="application_approved_is_charged_to_a_budget",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid")
                | (models.Q(paid_on__isnull=False) & ~models.Q(payment_reference="")),
                name="application_paid_has_date_and_reference",
            ),
        ]
        indexes = [
            # The manager's decision queue.
            models.Index(
                fields=["status", "submitted_at"],
                condition=models.Q(status__in=["submitted", "awaiting_second"]),
                name="fund_app_queue_idx",
            ),
            # The rolling 12-month limit per family.
            models.Index(fields=["family", "approved_at"], name="fund_app_family_approved_idx"),
            models.Index(fields=["applicant", "-created_at"], name="fund_app_applicant_idx"),
        ]

    def __str__(self):
        return self.reference or f"Application {self.pk}"


class ApplicationEvent(models.Model):
    """Every state change of an application, with who and when."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.from_status or 'new'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        """The state before, as pages name it ("Submitted"); empty for a new application."""
        return Application.Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return Application.Status(self.to_status).label
