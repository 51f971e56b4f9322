import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models

from .periods import parse_period


class ContractBudgetLine(models.Model):
    """A line of the contract budget: the 2018 children's centre spend and the ECFS indicative split."""

    name = models.CharField(max_length=200, unique=True)
    position = models.PositiveSmallIntegerField()
    childrens_centres_2018_gbp = models.DecimalField(max_digits=12, decimal_places=2)
    childrens_centres_2018_pct = models.DecimalField(max_digits=5, decimal_places=1)
    ecfs_indicative_gbp = models.DecimalField(max_digits=12, decimal_places=2)
    ecfs_indicative_pct = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name


class BudgetActual(models.Model):
    """The provider's actual spend on a contract budget line in a financial quarter (entered by an admin)."""

    line = models.ForeignKey(ContractBudgetLine, on_delete=models.PROTECT, related_name="actuals")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["financial_year", "quarter", "line__position"]
        constraints = [
            models.UniqueConstraint(fields=["line", "financial_year", "quarter"], name="budget_actual_once"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="budget_actual_quarter"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_actual_not_negative"),
        ]

    def __str__(self):
        return f"{self.line} {self.financial_year} Q{self.quarter}: £{self.amount}"


class KpiTarget(models.Model):
    """A target a service admin sets for a KPI's county figure (first row of the KPI)."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", "At least"
        AT_MOST = "at_most", "At most"

    code = models.CharField(max_length=60, unique=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    value = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}: {self.get_direction_display().lower()} {self.value}"

    def met_by(self, value) -> bool | None:
        if value is None:
            return None
        number = Decimal(str(value))
        return number >= self.value if self.direction == self.Direction.AT_LEAST else number <= self.value


class Return(models.Model):
    """A monthly or quarterly return. Submitted returns never change: a correction is a new version."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(default=dict)
    pdf = models.FileField(upload_to="returns/", blank=True)
    csv = models.FileField(upload_to="returns/", blank=True)
    # The KPIs' definitions, once each (kpi, title, section, unit, definition), beside the figures' CSV.
    definitions_csv = models.FileField(upload_to="returns/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    csv_sha256 = models.CharField(max_length=64, blank=True)
    definitions_csv_sha256 = models.CharField(max_length=64, blank=True)
    figures_sha256 = models.CharField(max_length=64, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period", "version"], name="return_version_once"),
            models.UniqueConstraint(
                fields=["kind", "period"], condition=models.Q(status="draft"), name="return_one_draft_per_period"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="return_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "-period_start"], name="return_status_period_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} return {self.period} v{self.version} ({self.get_status_display().lower()})"

    @property
    def period_title(self) -> str:
        """The period as every page names it: "Quarter 2 2026/27 (July to September 2026)", "August 2026"."""
        return parse_period(self.period).title


class ReturnRequest(models.Model):
    """Someone asked for a return to be generated; the worker reports progress here."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Generating"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Return.Kind.choices)
    period = models.CharField(max_length=8)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.ForeignKey(Return, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    error = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"{self.kind} {self.period}: {self.state}"

    @property
    def period_title(self) -> str:
        return parse_period(self.period).title
