import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords  # every change kept: amendments show what was there

from ecfs.models import TimeStampedModel
from families.models import ContactChannel, Person
from families.validators import validate_uk_postcode


class Source(models.TextChoices):
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    MIDWIFE = "midwife", "Midwife"
    SCHOOL = "school", "School"
    NURSERY = "nursery", "Nursery or childminder"
    GP = "gp", "GP"
    SOCIAL_CARE = "social_care", "Social care or Family Focus (step-down)"
    POLICE = "police", "Police"
    SINGLE_PHONE_LINE = "single_phone_line", "Single phone line"
    SELF = "self", "Self-referral"
    OTHER = "other", "Other"


# The Children in Need census referral-source code for each source, so the council's data joins up.
CIN_CENSUS_SOURCE_CODE = {
    Source.HEALTH_VISITOR: "3B",  # Health services: health visitor
    Source.MIDWIFE: "3D",  # Health services: other primary health services
    Source.SCHOOL: "2A",  # Schools
    Source.NURSERY: "2B",  # Education services
    Source.GP: "3A",  # Health services: GP
    Source.SOCIAL_CARE: "5B",  # LA services: other internal
    Source.POLICE: "6",  # Police
    Source.SINGLE_PHONE_LINE: "5B",  # LA services: other internal (the council's front door)
    Source.SELF: "1C",  # Individual: self
    Source.OTHER: "7",  # Other
}


class Referral(TimeStampedModel):
    """A request for help for a family, from a professional or the family itself."""

    history = HistoricalRecords()
    # The most a free-text answer on a referral holds (what is happening, how to contact safely, a triage note).
    TEXT_MAX = 5000

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ACCEPTED = "accepted", "Accepted"
        ALLOCATED = "allocated", "Allocated"
        SIGNPOSTED = "signposted", "Signposted"
        STEPPED_UP = "stepped_up", "Stepped up"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        DUPLICATE = "duplicate", "Duplicate"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class ReceivedVia(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        SINGLE_PHONE_LINE = "single_phone_line", "Single phone line"
        IN_PERSON = "in_person", "In person"
        PARTNER_SYSTEM = "partner_system", "Partner system"
        WEB_FORM = "web_form", "Online request form"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"

    OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.ALLOCATED)
    CLOSED_AT_TRIAGE = (
        Status.SIGNPOSTED,
        Status.STEPPED_UP,
        Status.NO_FURTHER_ACTION,
        Status.DUPLICATE,
        Status.WITHDRAWN,
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="referrals", null=True, blank=True
    )
    received_at = models.DateTimeField()
    received_via = models.CharField(max_length=20, choices=ReceivedVia.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    source = models.CharField(max_length=20, choices=Source.choices)
    referrer_name = models.CharField(max_length=150)
    referrer_agency = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    referrer_email = models.EmailField(blank=True)

    reasons = models.ManyToManyField("families.Determinant", related_name="referrals")
    reason_details = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    consent_obtained = models.BooleanField()
    # Asked of a family asking for help online; not asked (None) otherwise, when consent to the referral is taken
    # to include the team around the family.
    consent_to_share = models.BooleanField(
        "agreed to sharing with the team around the family", null=True, blank=True, default=None
    )

    # How best to engage the family.
    best_times = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    safe_contact_only = models.BooleanField(
        "domestic-abuse-safe contact only",
        default=False,
        help_text="Contact only by the safe means agreed: someone in the home may be a risk.",
    )
    safe_contact_notes = models.TextField(blank=True)
    # The family's own contact details and the way it is safe to use (carried to the family when accepted).
    contact_phone = models.CharField(max_length=30, blank=True, default="", db_default="")
    contact_email = models.EmailField(blank=True, default="", db_default="")
    safe_contact_channel = models.CharField(
        "safe way to contact",
        max_length=10,
        choices=ContactChannel.choices,
        blank=True,
        default="",
        db_default="",
    )

    # The family's address as referred; a new family is made from it only after the duplicate check.
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, validators=[validate_uk_postcode])
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="referrals")
    locality = models.ForeignKey("bases.Locality", on_delete=models.PROTECT, related_name="referrals")
    routed_team = models.ForeignKey("bases.Team", on_delete=models.PROTECT, related_name="referrals")

    # A request sent through the online form: its browser's answers, hashed. Send pressed twice makes one referral.
    online_send_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    triage_due = models.DateField()
    first_contact_due = models.DateField()
    triaged_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A referral closed at triage and never linked to a family, anonymised under the retention rule (privacy), unless
    # a service admin has placed a legal hold on it (a linked referral is held with its family).
    anonymised_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False, db_default=False)
    legal_hold_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    previous_closure_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when this is a re-referral within 12 months of a closure."
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The triage queue: a team's referrals needing action (see referrals.selectors.NEEDS_ACTION), by due date.
            models.Index(
                fields=["routed_team", "triage_due", "received_at", "id"],
                condition=models.Q(status__in=["received", "accepted"])
                | models.Q(status="allocated", first_contact_at__isnull=True),
                name="referral_work_queue_idx",
            ),
            models.Index(fields=["routed_team", "status", "-received_at"], name="referral_team_status_idx"),
            models.Index(fields=["family", "-received_at"], name="referral_family_idx"),
            models.Index(fields=["received_at"], name="referral_received_idx"),
            # The returns' timescale cohorts: referrals whose triage fell due in the period (119-241 ms to 39 ms for
            # "triaged within 3 working days" at county scale).
            models.Index(fields=["triage_due"], name="referral_triage_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["accepted", "allocated"]) | models.Q(family__isnull=False),
                name="referral_accepted_has_family",
            ),
        ]

    def __str__(self):
        return self.reference or f"Referral {self.pk}"

    @property
    def cin_census_source_code(self) -> str:
        return CIN_CENSUS_SOURCE_CODE[self.source]

    @property
    def is_rereferral(self) -> bool:
        return self.previous_closure_at is not None

    @property
    def received_via_phrase(self) -> str:
        """How it came in, as the end of "Received on … ": "by phone", "in person"."""
        return {
            self.ReceivedVia.PHONE: "by phone",
            self.ReceivedVia.EMAIL: "by email",
            self.ReceivedVia.SINGLE_PHONE_LINE: "on the single phone line",
            self.ReceivedVia.IN_PERSON: "in person",
            self.ReceivedVia.PARTNER_SYSTEM: "from a partner system",
            self.ReceivedVia.WEB_FORM: "through the online request form",
        }.get(self.received_via, self.get_received_via_display().lower())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReferralPerson(models.Model):
    """A family member named on the referral, before they are matched to a family."""

    history = HistoricalRecords()

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=20, choices=Person.Kind.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class TriageDecision(models.Model):
    """A decision on a referral, with a coded reason so the returns can count it."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Accept for tier 2 support"
        SIGNPOST = "signpost", "Signpost"
        STEP_UP = "step_up", "Step up"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        DUPLICATE = "duplicate", "Duplicate"
        WITHDRAW = "withdraw", "Withdrawn"

    class Reason(models.TextChoices):
        MEETS_THRESHOLD = "meets_threshold", "Meets the threshold for tier 2 support"
        INFORMATION_ADVICE = "information_advice", "Information and advice given"
        COMMUNITY_GROUPS = "community_groups", "Community groups or universal services"
        OTHER_SERVICE = "other_service", "Another service is better placed"
        FAMILY_FOCUS = "family_focus", "Family Focus"
        SOCIAL_CARE = "social_care", "Children's social care"
        NEEDS_MET = "needs_met", "Needs already being met"
        NO_IDENTIFIED_NEED = "no_identified_need", "No identified need"
        CONSENT_DECLINED = "consent_declined", "Family declined consent"
        UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact the family"
        ALREADY_OPEN = "already_open", "Already open to the service"
        REFERRER_WITHDREW = "referrer_withdrew", "Referrer withdrew the referral"
        FAMILY_WITHDREW = "family_withdrew", "Family withdrew"
        MOVED_AWAY = "moved_away", "Moved out of the county"

    REASONS_FOR = {
        Decision.ACCEPT: [Reason.MEETS_THRESHOLD],
        Decision.SIGNPOST: [Reason.INFORMATION_ADVICE, Reason.COMMUNITY_GROUPS, Reason.OTHER_SERVICE],
        Decision.STEP_UP: [Reason.FAMILY_FOCUS, Reason.SOCIAL_CARE],
        Decision.NO_FURTHER_ACTION: [
            Reason.NEEDS_MET,
            Reason.NO_IDENTIFIED_NEED,
            Reason.CONSENT_DECLINED,
            Reason.UNABLE_TO_CONTACT,
        ],
        Decision.DUPLICATE: [Reason.ALREADY_OPEN],
        Decision.WITHDRAW: [Reason.REFERRER_WITHDREW, Reason.FAMILY_WITHDREW, Reason.MOVED_AWAY],
    }

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.CharField(max_length=30, choices=Reason.choices)
    notes = models.TextField()
    # Accepting a referral the family has not agreed to: the manager's safeguarding reason (blank otherwise).
    consent_override_reason = models.TextField(
        "safeguarding override: why accepted without the family's agreement", blank=True, default="", db_default=""
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at"]
        indexes = [models.Index(fields=["decided_at"], name="decision_decided_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="accept") | models.Q(consent_override_reason=""),
                name="decision_consent_override_only_on_accept",
            ),
        ]

    def __str__(self):
        return f"{self.referral}: {self.get_decision_display()}"

    @property
    def is_consent_override(self) -> bool:
        return bool(self.consent_override_reason)
