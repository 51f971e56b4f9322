"""Child development evidence for impact 1 (issue #20 item 5): a child's ASQ-3 reviews received from health visiting
with the family's consent (the Healthy Child Programme 2–2½ year review, or an earlier or later ASQ-3), and the
early years foundation stage (EYFS) profile result where known.

One model for both: an ASQ-3 review records the five domains; an EYFS profile records a good level of development
(yes or no). Constraints keep each kind to its own fields and refuse a record without consent.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ecfs.models import TimeStampedModel

# The five ASQ-3 domains, in the questionnaire's order: field name → what a person reads.
DOMAINS = (
    ("communication", "Communication"),
    ("gross_motor", "Gross motor"),
    ("fine_motor", "Fine motor"),
    ("problem_solving", "Problem solving"),
    ("personal_social", "Personal-social"),
)
DOMAIN_FIELDS = tuple(name for name, _ in DOMAINS)


class DevelopmentReview(TimeStampedModel):
    """One review of one child's development, as health visiting (or the school, for EYFS) shared it."""

    history = HistoricalRecords()

    class Kind(models.TextChoices):
        TWO_YEAR = "two_year", "Healthy Child Programme 2 to 2½ year review (ASQ-3)"
        ASQ = "asq", "Another ASQ-3 review"
        EYFS = "eyfs", "Early years foundation stage profile"

    class Level(models.TextChoices):
        # ASQ-3: above the cut-off is on track; "close to" is the monitoring zone; below the cut-off needs a
        # further look. Only "above" counts as at the expected level in the return.
        ABOVE = "above", "Above the expected level"
        CLOSE = "close", "Close to the expected level (monitoring zone)"
        BELOW = "below", "Below the expected level"

    ASQ_KINDS = (Kind.TWO_YEAR, Kind.ASQ)
    # Ordering of the levels, for the change between two reviews.
    RANK = {Level.BELOW: 0, Level.CLOSE: 1, Level.ABOVE: 2}

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="development_reviews")
    child = models.ForeignKey(
        "families.Person", on_delete=models.PROTECT, related_name="development_reviews", verbose_name="child"
    )
    kind = models.CharField("kind of review", max_length=10, choices=Kind.choices)
    reviewed_on = models.DateField("date of the review")
    communication = models.CharField("communication", max_length=5, choices=Level.choices, blank=True)
    gross_motor = models.CharField("gross motor", max_length=5, choices=Level.choices, blank=True)
    fine_motor = models.CharField("fine motor", max_length=5, choices=Level.choices, blank=True)
    problem_solving = models.CharField("problem solving", max_length=5, choices=Level.choices, blank=True)
    personal_social = models.CharField("personal-social", max_length=5, choices=Level.choices, blank=True)
    good_level_of_development = models.BooleanField("good level of development", null=True, blank=True)
    source = models.CharField("who it came from", max_length=200)
    consent_confirmed = models.BooleanField("the family consented to it being shared", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="recorded by"
    )
    # Recorded in error (on the wrong child, say): out of the lists and the return, kept for the audit.
    in_error_at = models.DateTimeField(null=True, blank=True)
    in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_error_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["child", "reviewed_on", "created_at"]
        indexes = [
            # The return: each child's reviews up to a period's end, latest last.
            models.Index(fields=["child", "reviewed_on"], name="devreview_child_date_idx"),
            # The family's page and its subject access bundle.
            models.Index(fields=["family", "reviewed_on"], name="devreview_family_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(consent_confirmed=True), name="devreview_consent_confirmed"),
            models.CheckConstraint(
                condition=Q(kind="eyfs")
                | (
                    ~Q(communication="")
                    & ~Q(gross_motor="")
                    & ~Q(fine_motor="")
                    & ~Q(problem_solving="")
                    & ~Q(personal_social="")
                    & Q(good_level_of_development__isnull=True)
                ),
                name="devreview_asq_has_domains",
            ),
            models.CheckConstraint(
                condition=~Q(kind="eyfs")
                | (
                    Q(communication="", gross_motor="", fine_motor="", problem_solving="", personal_social="")
                    & Q(good_level_of_development__isnull=False)
                ),
                name="devreview_eyfs_has_result",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.reviewed_on:%d %B %Y}"

    @property
    def is_asq(self) -> bool:
        return self.kind in self.ASQ_KINDS

    @property
    def academic_year(self) -> str:
        """The school year (September to August) the date falls in, like 2025/26."""
        start = self.reviewed_on.year if self.reviewed_on.month >= 9 else self.reviewed_on.year - 1
        return f"{start}/{str(start + 1)[-2:]}"

    def levels(self) -> list[tuple[str, str, str]]:
        """(domain label, level code, level label) for each domain, in the questionnaire's order."""
        return [(label, getattr(self, name), getattr(self, f"get_{name}_display")()) for name, label in DOMAINS]
