import uuid

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords  # every change kept: amendments show what was there

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


class ContactChannel(models.TextChoices):
    """How it is safe to contact a family: someone in the home may be a risk, so "none" is a real answer."""

    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    NONE = "none", "Do not contact"


class RegistrationRoute(models.TextChoices):
    """Where a family not referred for support was first registered with the service."""

    UNIVERSAL_SESSION = "universal_session", "At a universal session"
    DROP_IN = "drop_in", "At a drop-in"
    OUTREACH = "outreach", "At outreach with a partner (clinic, library)"
    OTHER = "other", "Somewhere else"


class Family(TimeStampedModel):
    """A household with children from pre-birth to 5, known to the service."""

    history = HistoricalRecords()

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

    # Blank only for a family registered lightly at a session or drop-in (#19), whose address may be unknown:
    # referral intake, the online form and the import still require the first line and the town.
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, validators=[validate_uk_postcode])
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="families")
    locality = models.ForeignKey("bases.Locality", on_delete=models.PROTECT, related_name="families")
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="families")

    # Household characteristics for reach and equality monitoring.
    lone_parent = models.BooleanField(default=False)
    teenage_parent = models.BooleanField(default=False)
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

    # How to reach the family, and how it is safe to (blank: not asked). Messages to the family (reminders, the
    # outcome of their own request) go only by the safe channel, and reminders only with their agreement.
    contact_phone = models.CharField(max_length=30, blank=True, default="", db_default="")
    contact_email = models.EmailField(blank=True, default="", db_default="")
    safe_contact_channel = models.CharField(
        "safe way to contact", max_length=10, choices=ContactChannel.choices, blank=True, default="", db_default=""
    )
    reminders_wanted = models.BooleanField("wants reminders of visits and sessions", default=False, db_default=False)

    # Known to the service without targeted support: registered lightly at a universal session, a drop-in or
    # outreach (#19). Blank for a family that came through a referral. Registered families count in reach.
    registered_on = models.DateField("registered with the service on", null=True, blank=True)
    registered_via = models.CharField(
        max_length=20, choices=RegistrationRoute.choices, blank=True, default="", db_default=""
    )
    # The team of the worker who registered the family: its workers (and its manager) see the family while it is
    # not in targeted support (families/access.py ``registered_filter``). The family's own base is its place's.
    registered_team = models.ForeignKey(
        "bases.Team", on_delete=models.PROTECT, related_name="registered_families", null=True, blank=True
    )

    # A restricted family (a staff member's relative, say) is seen only by the named users among those
    # who could otherwise see it; everyone else gets 404 (families/selectors.py).
    # Database defaults too, so the bulk loader's COPY (devdata/scale.py) need not name these columns.
    restricted = models.BooleanField(default=False, db_default=False)
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_families_named"
    )
    # A withheld address (someone hiding from a perpetrator) is shown only to the allocated workers and the
    # family's managers, and never leaves the system in a PDF, an export or a partner's API response.
    address_withheld = models.BooleanField(default=False, db_default=False)
    # A legal hold stops the retention job anonymising the family (privacy/retention.py).
    legal_hold = models.BooleanField(default=False, db_default=False)
    legal_hold_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    anonymised_at = models.DateTimeField(null=True, blank=True)

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
            # Restricted families are few: selectors.restriction_filter finds them here for every list of
            # referrals and applications (a hashed NOT IN) instead of joining every family.
            models.Index(fields=["id"], condition=models.Q(restricted=True), name="family_restricted_idx"),
            # A worker's scope: the families their team registered (few per team, hence partial).
            models.Index(
                fields=["registered_team"],
                condition=models.Q(registered_team__isnull=False),
                name="family_registered_team_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(registered_on__isnull=True) & models.Q(registered_via=""))
                | (models.Q(registered_on__isnull=False) & ~models.Q(registered_via="")),
                name="family_registered_has_route",
            ),
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
    history = HistoricalRecords()

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
    funded_education_eligible = models.BooleanField("eligible for funded early education", default=False)
    funded_education_started_on = models.DateField("started funded early education on", null=True, blank=True)
    # A child's funded early education, the one place it is recorded (the return's take-up figure reads it):
    # eligible for a funded 2-year-old place, taking up a funded place since, and where.
    funded_education_setting = models.CharField("funded early education setting", max_length=200, blank=True)
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
        SPEECH_LANGUAGE = "speech_language", "Speech and language therapy"
        PORTAGE = "portage", "Portage"
        EARLY_YEARS = "early_years", "Nursery, pre-school or childminder"
        EARLY_YEARS_SERVICE = "early_years_service", "Education Achievement and Early Years Service"
        SCHOOL = "school", "School"
        LIBRARY = "library", "Library service"
        ADULT_LEARNING = "adult_learning", "Adult learning"
        HOUSING = "housing", "Housing"
        DISTRICT_COUNCIL = "district_council", "District council"
        JOBCENTRE = "jobcentre", "Jobcentre Plus"
        MENTAL_HEALTH = "mental_health", "Emotional health and mental health services"
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


# Tier-2 support ------------------------------------------------------------------------------


class RecordedInError(models.Model):
    """A record entered on the wrong family: never deleted, but out of every list, selector and return once
    marked (``in_error_at`` set), with who marked it and why. ``Contact`` has the same three fields."""

    in_error_at = models.DateTimeField("marked recorded in error", null=True, blank=True)
    in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_error_reason = models.TextField(blank=True, db_default="")  # db_default: bulk loads may leave it out

    class Meta:
        abstract = True


class Assessment(RecordedInError, TimeStampedModel):
    """The whole-family assessment that comes before a one-to-one plan."""

    # The needs are kept with each version too, so a corrected assessment shows the needs it had before.
    history = HistoricalRecords(m2m_fields=["needs"])

    DUE_WEEKS_AFTER_ALLOCATION = 4

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="assessments")
    needs = models.ManyToManyField(Determinant, related_name="assessments")
    strengths = models.TextField(blank=True)
    family_view = models.TextField("the family's own view", blank=True)
    child_voice = models.TextField("the child's voice", blank=True)
    due_on = models.DateField()
    agreed_on = models.DateField("agreed with the family on", null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["family", "-created_at"], name="assessment_family_idx"),
            models.Index(
                fields=["due_on"], condition=models.Q(completed_at__isnull=True), name="assessment_open_due_idx"
            ),
        ]

    def __str__(self):
        return f"Assessment for {self.family}"


class SupportPlan(TimeStampedModel):
    """A family's plan: one-to-one or group, with goals tied to determinants."""

    history = HistoricalRecords()

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one"
        GROUP = "group", "Group"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING_ACTIVATION = "pending_activation", "Awaiting approval to start"
        ACTIVE = "active", "Active"
        PENDING_CLOSURE = "pending_closure", "Awaiting approval to close"
        CLOSED = "closed", "Closed"

    class ClosureReason(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met"
        STEPPED_UP = "stepped_up", "Stepped up"
        STEPPED_DOWN = "stepped_down", "Stepped down to universal services"
        DECLINED = "declined", "Declined or disengaged"
        MOVED_AWAY = "moved_away", "Moved away"
        OTHER = "other", "Other"

    OPEN_STATUSES = (Status.DRAFT, Status.PENDING_ACTIVATION, Status.ACTIVE, Status.PENDING_CLOSURE)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plans")
    lead_professional = models.BooleanField(
        "the worker is lead professional", default=False, help_text="Agreed with the team around the family."
    )
    review_interval_weeks = models.PositiveSmallIntegerField(default=8)
    next_review_due = models.DateField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    # Where a family stepped down to universal services goes (the stay and play, the health visitor): the
    # network of support the plan hands them to.
    stepped_down_to = models.CharField(max_length=150, blank=True, default="", db_default="")
    closure_summary = models.TextField(blank=True)
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_interval_weeks__gte=6, review_interval_weeks__lte=12),
                name="plan_review_every_6_to_12_weeks",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(closure_reason=""),
                name="plan_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["family", "status"], name="plan_family_status_idx"),
            # Overdue reviews and the worker's week.
            models.Index(
                fields=["next_review_due"], condition=models.Q(status="active"), name="plan_active_review_due_idx"
            ),
            models.Index(fields=["status", "closed_at"], name="plan_status_closed_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} plan for {self.family}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def follow_up(self) -> "FollowUp | None":
        """The plan's six-month follow-up (not one recorded in error), or None."""
        return self.follow_ups.filter(in_error_at__isnull=True).first()


class Goal(models.Model):
    history = HistoricalRecords()

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals")
    determinant = models.ForeignKey(Determinant, on_delete=models.PROTECT, related_name="goals")
    description = models.TextField()

    class Meta:
        ordering = ["determinant__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "determinant"], name="goal_one_per_determinant_per_plan")
        ]

    def __str__(self):
        return f"{self.determinant}: {self.description[:40]}"


class ActionOwner(models.Model):
    """Who will do an action: the worker, a family member or another agency's professional, named (a plan's
    actions, and those agreed at a team around the family meeting)."""

    class Owner(models.TextChoices):
        WORKER = "worker", "The worker"
        FAMILY = "family", "A family member"
        PROFESSIONAL = "professional", "Another agency"

    owner = models.CharField(max_length=15, choices=Owner.choices)
    # The worker who will do it (owner "worker"): the plan's worker when it is added, then any worker allocated to
    # the family it is reassigned to. Their week shows it.
    owner_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_professional = models.ForeignKey(
        Professional, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


def owner_named_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The owner an action names is the one its kind says (``prefix`` keeps each table's constraint names)."""
    return [
        models.CheckConstraint(
            condition=~models.Q(owner=kind) | models.Q(**{f"{field}__isnull": False}),
            name=f"{prefix}_{kind}_owner_named",
        )
        for kind, field in (
            ("family", "owner_person"),
            ("professional", "owner_professional"),
            ("worker", "owner_worker"),
        )
    ]


class PlanAction(ActionOwner):
    """Something someone will do by a date: the worker, a family member or another agency."""

    history = HistoricalRecords()

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions", null=True, blank=True)
    description = models.TextField()
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = owner_named_constraints("action")

    def __str__(self):
        return self.description[:60]


class Review(models.Model):
    history = HistoricalRecords()

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self):
        return f"Review of {self.plan} on {self.reviewed_on}"


class GoalProgress(models.Model):
    history = HistoricalRecords()  # a corrected review shows the progress it recorded before

    class Progress(models.TextChoices):
        POSITIVE = "positive", "Positive change"
        NO_CHANGE = "no_change", "No change"
        DETERIORATION = "deterioration", "Deterioration"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    progress = models.CharField(max_length=15, choices=Progress.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "goal"], name="goal_progress_once_per_review")]

    def __str__(self):
        return f"{self.goal}: {self.get_progress_display()}"


class OutcomeAssessment(RecordedInError, models.Model):
    """A 1–10 score for each of the plan's determinants, at the start, a review or the close."""

    history = HistoricalRecords()

    class Stage(models.TextChoices):
        START = "start", "Start"
        REVIEW = "review", "Review"
        CLOSE = "close", "Close"

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="outcome_assessments")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    review = models.OneToOneField(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="outcome_assessment"
    )
    assessed_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "stage"],
                condition=models.Q(stage__in=["start", "close"], in_error_at__isnull=True),
                name="outcome_one_start_one_close",
            ),
        ]
        indexes = [models.Index(fields=["plan", "stage"], name="outcome_plan_stage_idx")]

    def __str__(self):
        return f"{self.get_stage_display()} scores for {self.plan}"


class OutcomeScore(models.Model):
    history = HistoricalRecords()

    assessment = models.ForeignKey(OutcomeAssessment, on_delete=models.CASCADE, related_name="scores")
    determinant = models.ForeignKey(Determinant, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=10), name="outcome_score_1_to_10"),
            models.UniqueConstraint(fields=["assessment", "determinant"], name="outcome_score_once_per_determinant"),
        ]

    def __str__(self):
        return f"{self.determinant}: {self.score}"


class Contact(TimeStampedModel):
    """A visit, call or message: the contact log."""

    history = HistoricalRecords()

    class Mode(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        COMMUNITY_VENUE = "community_venue", "Community venue"
        BASE = "base", "At a base"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video call"
        MESSAGE = "message", "Message (text or email)"

    FACE_TO_FACE = (Mode.HOME_VISIT, Mode.COMMUNITY_VENUE, Mode.BASE)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="contacts")
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="contacts", null=True, blank=True)
    occurred_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    venue = models.ForeignKey("venues.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    people_seen = models.ManyToManyField(Person, related_name="contacts_seen_in", blank=True)
    notes = models.TextField()
    next_steps = models.TextField(blank=True)
    safeguarding_concern = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts")

    # Entered on the wrong family: never deleted, but out of every list and return from then on.
    in_error_at = models.DateTimeField("marked recorded in error", null=True, blank=True)
    in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_error_reason = models.TextField(blank=True, db_default="")  # db_default: bulk loads may leave it out

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["family", "-occurred_at"], name="contact_family_time_idx"),
            models.Index(fields=["occurred_at", "mode"], name="contact_time_mode_idx"),
            models.Index(fields=["created_by", "-occurred_at"], name="contact_worker_time_idx"),
            # Safeguarding concerns on the manager's landing page.
            models.Index(
                fields=["occurred_at"], condition=models.Q(safeguarding_concern=True), name="contact_concern_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mode__in=["community_venue", "base"]) | models.Q(venue__isnull=False),
                name="contact_in_person_has_venue",
            ),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} with {self.family} on {self.occurred_at:%Y-%m-%d}"


class ChildSeen(models.Model):
    """Whether each child was seen on a contact (required for home visits)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="children_seen")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    seen = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "child"], name="child_seen_once_per_contact")]

    def __str__(self):
        return f"{self.child}: {'seen' if self.seen else 'not seen'}"


class SafeguardingAction(models.Model):
    """What the manager did about a safeguarding concern raised on a contact."""

    class Action(models.TextChoices):
        CONSULTED_CADS = "consulted_cads", "Consulted the children's advice and duty service"
        REFERRED_SOCIAL_CARE = "referred_social_care", "Referred to children's social care"
        POLICE = "police", "Contacted the police"
        PLAN_UPDATED = "plan_updated", "Support plan updated, monitoring"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="safeguarding_action")
    action = models.CharField(max_length=30, choices=Action.choices)
    notes = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self):
        return f"{self.get_action_display()} ({self.contact})"


class FollowUp(RecordedInError, models.Model):
    """Six months after a plan closes with needs met: was the progress sustained?

    One per plan, not counting those recorded in error (a follow-up recorded on the wrong family is kept, and the
    plan gets a new one to record): ``plan.follow_up`` is the current one."""

    history = HistoricalRecords()

    MONTHS_AFTER_CLOSURE = 6

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="follow_ups")
    due_on = models.DateField()
    sustained = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(recorded_at__isnull=True), name="followup_open_due_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(in_error_at__isnull=True), name="followup_one_current_per_plan"
            )
        ]

    def __str__(self):
        return f"Follow-up of {self.plan}"


class ParentProgress(models.Model):
    """A parent entering work, training, education or volunteering (impact 3)."""

    history = HistoricalRecords()

    class Kind(models.TextChoices):
        WORK = "work", "Work"
        TRAINING = "training", "Training"
        EDUCATION = "education", "Education"
        VOLUNTEERING = "volunteering", "Volunteering"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="progress")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    started_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["started_on"], name="parent_progress_started_idx")]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}"


class PlannedVisit(models.Model):
    """A visit or call the worker has arranged with the family: what "my week" shows ahead."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="planned_visits")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="planned_visits")
    starts_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=Contact.Mode.choices, default=Contact.Mode.HOME_VISIT)
    notes = models.CharField(max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            # My week: a worker's visits ahead.
            models.Index(
                fields=["worker", "starts_at"], condition=models.Q(cancelled_at__isnull=True), name="visit_worker_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} with {self.family} at {self.starts_at:%Y-%m-%d %H:%M}"
