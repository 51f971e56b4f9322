from django.conf import settings
from django.db import models

from ecfs.models import TimeStampedModel


class District(models.Model):
    """One of Norfolk's seven districts, with the 2018 baselines the returns compare with."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    onsite_group_sessions_pct_2018 = models.PositiveSmallIntegerField()
    outreach_group_sessions_pct_2018 = models.PositiveSmallIntegerField()
    targeted_group_sessions_pct_2018 = models.PositiveSmallIntegerField()
    universal_group_sessions_pct_2018 = models.PositiveSmallIntegerField()
    designated_childrens_centres_2018 = models.PositiveSmallIntegerField()
    bases_from_oct_2019 = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(onsite_group_sessions_pct_2018__lte=100)
                & models.Q(outreach_group_sessions_pct_2018__lte=100),
                name="district_place_baseline_is_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(targeted_group_sessions_pct_2018__lte=100)
                & models.Q(universal_group_sessions_pct_2018__lte=100),
                name="district_offer_baseline_is_percentage",
            ),
        ]

    def __str__(self):
        return self.name


class Locality(models.Model):
    """A market town of report table 1 (or "Other"), with its need markers.

    ``need_index`` is the Children's Need Index computed by
    ``bases.need_index.childrens_need_index`` when reference data is loaded.
    """

    name = models.CharField(max_length=100, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="localities", null=True, blank=True)
    under_5 = models.PositiveIntegerField("children under 5")
    pct_age_0_2 = models.DecimalField("% aged 0 to 2", max_digits=5, decimal_places=1)
    pct_teenage_mothers = models.DecimalField("% teenage mothers", max_digits=5, decimal_places=1)
    pct_eligible_2yo = models.DecimalField("% eligible 2 year olds", max_digits=5, decimal_places=1)
    pct_eyfsp_not_gld = models.DecimalField("% EYFSP not a good level of development", max_digits=5, decimal_places=1)
    pct_families_no_qualifications = models.DecimalField(
        "% families with no qualifications", max_digits=5, decimal_places=1
    )
    pct_lone_parent_households = models.DecimalField("% lone parent households", max_digits=5, decimal_places=1)
    pct_cin_cp_lac_under_18 = models.DecimalField(
        "% children in need, on a protection plan or looked after", max_digits=5, decimal_places=1
    )
    idaci_pct = models.DecimalField("income deprivation affecting children (IDACI) %", max_digits=5, decimal_places=1)
    pct_under_5 = models.DecimalField("% of population under 5", max_digits=5, decimal_places=1)
    need_index = models.DecimalField("Children's Need Index", max_digits=6, decimal_places=1)
    is_other = models.BooleanField(default=False, help_text="The rest of the county outside the market towns.")
    base = models.ForeignKey(
        "Base",
        on_delete=models.PROTECT,
        related_name="localities_served",
        null=True,
        blank=True,
        help_text="The base whose teams take new referrals from this town (reference/data/locality_bases.csv); "
        "none for Other, which the district's teams share.",
    )

    class Meta:
        verbose_name_plural = "localities"
        ordering = ["name"]
        indexes = [
            # The reach KPI ranks localities by need.
            models.Index(fields=["-need_index"], name="locality_need_index_idx"),
        ]

    def __str__(self):
        return self.name


class Base(models.Model):
    """One of the 15 early childhood and family bases (former children's centres)."""

    name = models.CharField(max_length=150, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="bases")
    venue = models.OneToOneField("venues.Venue", on_delete=models.PROTECT, related_name="base")

    class Meta:
        ordering = ["district__name", "name"]

    def __str__(self):
        return self.name


class Team(TimeStampedModel):
    """The team working from a base, led by a team manager."""

    name = models.CharField(max_length=150, unique=True)
    base = models.ForeignKey(Base, on_delete=models.PROTECT, related_name="teams")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="managed_teams",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StaffProfile(TimeStampedModel):
    """Where a member of staff works: their team at a base."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True)
    job_title = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user} ({self.team or 'no team'})"
