import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords  # every change kept: amendments show what was there

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
    breastfeeding_space = models.BooleanField(null=True, blank=True, help_text="A quiet space for breastfeeding.")
    accessibility_assessed_on = models.DateField("accessibility last assessed on", null=True, blank=True)
    accessibility_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
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


# Group programmes ------------------------------------------------------------------------------


class GroupProgramme(TimeStampedModel):
    """A programme in the catalogue: what a course runs (Incredible Years, baby massage, stay and play)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    evidence_based = models.BooleanField(default=False)
    sessions_count = models.PositiveSmallIntegerField("number of sessions")
    target_group = models.CharField(max_length=200, help_text="Who the programme is for.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sessions_count__gte=1, sessions_count__lte=52),
                name="programme_1_to_52_sessions",
            ),
        ]

    def __str__(self):
        return self.name


class GroupCourse(TimeStampedModel):
    """A run of a programme at a venue by a team: weekly sessions from the start date, at the start time."""

    class OfferType(models.TextChoices):
        TARGETED_REFERRAL = "targeted_referral", "Targeted (by referral)"
        TARGETED_OPEN = "targeted_open", "Targeted open access"
        UNIVERSAL = "universal", "Universal"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    TARGETED = (OfferType.TARGETED_REFERRAL, OfferType.TARGETED_OPEN)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(GroupProgramme, on_delete=models.PROTECT, related_name="courses")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="group_courses")
    team = models.ForeignKey("bases.Team", on_delete=models.PROTECT, related_name="group_courses")
    offer_type = models.CharField(max_length=20, choices=OfferType.choices)
    # The sessions are weekly on the start date's weekday, at the start time.
    start_date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="group_courses_facilitated", blank=True
    )
    capacity = models.PositiveSmallIntegerField(help_text="Places for enrolled people.")
    creche = models.BooleanField("crèche offered", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-start_date", "programme__name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="course_capacity_at_least_1"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="course_duration_15_to_480_minutes",
            ),
        ]
        indexes = [
            # "My team's courses": courses of a team, newest first.
            models.Index(fields=["team", "-start_date"], name="course_team_start_idx"),
        ]

    def __str__(self):
        return f"{self.programme} at {self.venue} from {self.start_date:%d %b %Y}"

    @property
    def is_targeted(self) -> bool:
        return self.offer_type in self.TARGETED

    @property
    def is_universal(self) -> bool:
        return self.offer_type == self.OfferType.UNIVERSAL


class GroupSession(TimeStampedModel):
    """One session of a course; it may be moved (date, time, venue) or cancelled, and has one register."""

    history = HistoricalRecords()  # a corrected register keeps the walk-in counts it replaced

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(GroupCourse, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="group_sessions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    register_taken_at = models.DateTimeField(null=True, blank=True)
    register_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Universal sessions: people who came without enrolling.
    walk_in_adults = models.PositiveSmallIntegerField(default=0)
    walk_in_children = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="session_number_unique_per_course"),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="session_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(register_taken_at__isnull=True),
                name="session_cancelled_has_no_register",
            ),
        ]
        indexes = [
            # A course's sessions in date order (the course page, completion).
            models.Index(fields=["course", "starts_at"], name="session_course_start_idx"),
            # The returns: sessions delivered in a period.
            models.Index(
                fields=["starts_at"],
                condition=models.Q(status="scheduled", register_taken_at__isnull=False),
                name="session_delivered_start_idx",
            ),
        ]

    def __str__(self):
        return f"Session {self.number} of {self.course.programme}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Enrolment(TimeStampedModel):
    """A family member's place on a course: from a group plan (targeted by referral) or directly (open access)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(GroupCourse, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="group_enrolments")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="group_enrolments")
    plan = models.ForeignKey(
        "families.SupportPlan", on_delete=models.PROTECT, related_name="group_enrolments", null=True, blank=True
    )
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="enrolment_one_open_per_person_per_course",
            ),
        ]
        indexes = [
            # A family's group enrolments (the family record).
            models.Index(fields=["family"], name="enrolment_family_idx"),
        ]

    def __str__(self):
        return f"{self.person} on {self.course.programme}"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None


class Attendance(models.Model):
    """One line of a session register: an enrolled person (attended or absent) or a known family walking in."""

    history = HistoricalRecords()

    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="attendances")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="attendances", null=True, blank=True
    )
    # Always set: the enrolment's family, or the walk-in family (so unique families attending is one query).
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="group_attendances")
    attended = models.BooleanField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                condition=models.Q(enrolment__isnull=False),
                name="attendance_once_per_enrolment_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "family"],
                condition=models.Q(enrolment__isnull=True),
                name="attendance_walk_in_family_once_per_session",
            ),
        ]
        indexes = [
            # The returns: attendances and unique families, by session.
            models.Index(fields=["family", "session"], name="attendance_family_session_idx"),
            # Completion: an enrolment's sessions attended.
            models.Index(fields=["enrolment", "attended"], name="attendance_enrolment_idx"),
        ]

    def __str__(self):
        who = self.enrolment.person if self.enrolment_id else f"walk-in {self.family}"
        return f"{who}: {'attended' if self.attended else 'absent'}"


class ParentMeasure(models.Model):
    """A parent's own rating (1 to 10) of confidence in parenting and of wellbeing, before and after a course."""

    class Stage(models.TextChoices):
        PRE = "pre", "Before the course"
        POST = "post", "After the course"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="measures")
    stage = models.CharField(max_length=4, choices=Stage.choices)
    confidence = models.PositiveSmallIntegerField("confidence in parenting")
    wellbeing = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["enrolment", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "stage"], name="parent_measure_once_per_stage"),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=1, confidence__lte=10), name="parent_measure_confidence_1_to_10"
            ),
            models.CheckConstraint(
                condition=models.Q(wellbeing__gte=1, wellbeing__lte=10), name="parent_measure_wellbeing_1_to_10"
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}: confidence {self.confidence}, wellbeing {self.wellbeing}"
