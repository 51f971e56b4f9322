from django.db import models

from ecfs.models import TimeStampedModel


class Venue(TimeStampedModel):
    """A place where the service meets families: a base, a former centre, a hall, a library."""

    class Kind(models.TextChoices):
        FORMER_CHILDRENS_CENTRE = "former_childrens_centre", "Former children's centre"
        LIBRARY = "library", "Library"
        COMMUNITY_CENTRE = "community_centre", "Community centre"
        CHURCH_OR_VILLAGE_HALL = "hall", "Church or village hall"
        SCHOOL_OR_NURSERY = "school", "School or nursery"
        HEALTH = "health", "Health centre or GP surgery"
        OTHER = "other", "Other"

    class Role(models.TextChoices):
        BASE = "base", "Base"
        DELIVERY_VENUE = "delivery_venue", "Delivery venue"
        OUTREACH_ONLY = "outreach_only", "Outreach only (no building)"
        COMMUNITY_VENUE = "community_venue", "Community venue"

    class Status(models.TextChoices):
        ACTIVE = "active", "In use"
        UNDER_REVIEW = "under_review", "Under review"
        CLOSED = "closed", "No longer used"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    role = models.CharField(max_length=20, choices=Role.choices)
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="venues")
    has_building = models.BooleanField(default=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    opening_notes = models.TextField(blank=True)
    report_note = models.TextField(blank=True, help_text="What the 2018 committee report said about this site.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # The accessibility and suitability self-assessment asked for by the equality impact assessment.
    step_free_access = models.BooleanField(null=True, blank=True)
    accessible_toilet = models.BooleanField(null=True, blank=True)
    baby_changing = models.BooleanField(null=True, blank=True)
    parking = models.BooleanField(null=True, blank=True)
    near_public_transport = models.BooleanField(null=True, blank=True)
    hearing_loop = models.BooleanField(null=True, blank=True)
    private_room = models.BooleanField(null=True, blank=True, help_text="A private room for one-to-one work.")
    safe_venue_checked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="outreach_only") | models.Q(has_building=False),
                name="venue_outreach_only_has_no_building",
            ),
        ]
        indexes = [models.Index(fields=["district", "role"], name="venue_district_role_idx")]

    def __str__(self):
        return self.name
