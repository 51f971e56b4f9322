import uuid

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ecfs.models import TimeStampedModel

from .determinants import Impact
from .validators import validate_uk_postcode


class Determinant(models.Model):
    """A determinant of one of the three impact statements: what goals and scores are about."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    impact = models.PositiveSmallIntegerField(choices=Impact.choices)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name


class Ethnicity(models.TextChoices):
    """The ONS 2021 census categories for England and Wales."""

    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    GYPSY_IRISH_TRAVELLER = "gypsy_irish_traveller", "White: Gypsy or Irish Traveller"
    ROMA = "roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: Any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed: White and Asian"
    MIXED_OTHER = "mixed_other", "Mixed: Any other Mixed or multiple ethnic background"
    INDIAN = "indian", "Asian or Asian British: Indian"
    PAKISTANI = "pakistani", "Asian or Asian British: Pakistani"
    BANGLADESHI = "bangladeshi", "Asian or Asian British: Bangladeshi"
    CHINESE = "chinese", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: Any other Asian background"
    AFRICAN = "african", "Black, Black British, Caribbean or African: African"
    CARIBBEAN = "caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: Any other Black background"
    ARAB = "arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: Any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class Family(TimeStampedModel):
    """A household with children from pre-birth to 5, known to the service."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class ConsentScope(models.TextChoices):
        HOLD = "hold", "Hold information about the family"
        HOLD_AND_SHARE = "hold_and_share", "Hold and share with the team around the family"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, validators=[validate_uk_postcode])
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="families")
    locality = models.ForeignKey("bases.Locality", on_delete=models.PROTECT, related_name="families")
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="families")

    # Household characteristics for reach and equality monitoring.
    lone_parent = models.BooleanField(default=False)
    teenage_parent = models.BooleanField(default=False)
    eligible_funded_2yo = models.BooleanField("eligible for funded 2-year-old childcare", default=False)
    parent_no_qualifications = models.BooleanField("a parent without qualifications", default=False)
    low_income = models.BooleanField(default=False)
    english_additional_language = models.BooleanField("English as an additional language", default=False)
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED)
    disability_in_household = models.BooleanField(default=False)
    send_in_household = models.BooleanField("special educational needs or disability in the household", default=False)

    consent_given = models.BooleanField(default=False)
    consent_given_by = models.CharField(max_length=150, blank=True)
    consent_date = models.DateField(null=True, blank=True)
    consent_scope = models.CharField(max_length=20, choices=ConsentScope.choices, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name_plural = "families"
        ordering = ["reference"]
        indexes = [
            # Managers' family lists are scoped by base.
            models.Index(fields=["base", "status"], name="family_base_status_idx"),
            # The duplicate check looks families up by postcode.
            models.Index(fields=["postcode"], name="family_postcode_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(consent_given=True) | models.Q(consent_date__isnull=False),
                name="family_consent_has_date",
            ),
        ]

    def __str__(self):
        return self.reference or f"Family {self.pk}"


class FamilyUserObjectPermission(UserObjectPermissionBase):
    """Per-family grants to workers, with a real foreign key (fast at scale)."""

    content_object = models.ForeignKey(Family, on_delete=models.CASCADE)


class FamilyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Family, on_delete=models.CASCADE)


class Person(TimeStampedModel):
    class Kind(models.TextChoices):
        CHILD = "child", "Child (0 to 5)"
        UNBORN = "unborn", "Unborn child"
        OLDER_CHILD = "older_child", "Child over 5"
        PARENT_CARER = "parent_carer", "Parent or carer"
        OTHER_ADULT = "other_adult", "Other adult"

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent or partner of a parent"
        GRANDPARENT = "grandparent", "Grandparent"
        KINSHIP_CARER = "kinship_carer", "Kinship or foster carer"
        SIBLING = "sibling", "Sibling"
        SUBJECT_CHILD = "child", "The child"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date = models.DateField("expected date of birth", null=True, blank=True)
    relationship = models.CharField(
        "relationship to the child", max_length=20, choices=Relationship.choices, blank=True
    )
    # Lower case, letters only: what the duplicate check compares.
    first_name_key = models.CharField(max_length=100, editable=False)
    last_name_key = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["family", "kind", "date_of_birth"]
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_dob_idx"),
            models.Index(fields=["last_name_key"], name="person_last_name_key_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="unborn") | models.Q(expected_date__isnull=False),
                name="person_unborn_has_expected_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="child") | models.Q(date_of_birth__isnull=False),
                name="person_child_has_date_of_birth",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Professional(TimeStampedModel):
    """Someone from another agency in the team around the family."""

    class Agency(models.TextChoices):
        HEALTH_VISITING = "health_visiting", "Health visiting"
        MIDWIFERY = "midwifery", "Midwifery"
        GP = "gp", "GP practice"
        EARLY_YEARS = "early_years", "Nursery, pre-school or childminder"
        SCHOOL = "school", "School"
        HOUSING = "housing", "Housing"
        JOBCENTRE = "jobcentre", "Jobcentre Plus"
        MENTAL_HEALTH = "mental_health", "Mental health services"
        SOCIAL_CARE = "social_care", "Children's social care or Family Focus"
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse service"
        SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol service"
        POLICE = "police", "Police"
        VOLUNTARY = "voluntary", "Voluntary or community organisation"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="professionals")
    agency = models.CharField(max_length=30, choices=Agency.choices)
    organisation = models.CharField(max_length=150, blank=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["agency", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_agency_display()})"


class Allocation(models.Model):
    """A worker's allocation to a family, as lead or co-worker; ended, never deleted."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead worker"
        CO_WORKER = "co_worker", "Co-worker"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(max_length=10, choices=Role.choices)
    started_at = models.DateTimeField()
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(ended_at__isnull=True, role="lead"),
                name="allocation_one_open_lead_per_family",
            ),
            models.UniqueConstraint(
                fields=["family", "worker"],
                condition=models.Q(ended_at__isnull=True),
                name="allocation_one_open_per_worker_and_family",
            ),
        ]
        indexes = [
            # Caseloads: a worker's open allocations.
            models.Index(
                fields=["worker"], condition=models.Q(ended_at__isnull=True), name="allocation_open_by_worker_idx"
            ),
        ]

    def __str__(self):
        return f"{self.worker} → {self.family} ({self.get_role_display()})"
