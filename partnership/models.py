"""The team around the family (TAF) meetings and onward referrals to specialist and partner services (#20)."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ecfs.models import TimeStampedModel
from families.models import ActionOwner, PlanAction, Professional, owner_named_constraints


class TafMeeting(TimeStampedModel):
    """A team around the family meeting: who came, what was decided, the next meeting and who leads."""

    history = HistoricalRecords()

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="taf_meetings")
    held_on = models.DateField("date of the meeting")
    professionals = models.ManyToManyField(
        "families.Professional", blank=True, related_name="taf_meetings", verbose_name="professionals who attended"
    )
    people = models.ManyToManyField(
        "families.Person", blank=True, related_name="taf_meetings", verbose_name="family members who attended"
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taf_meetings_attended",
        verbose_name="ECFS staff who attended",
    )
    decisions = models.TextField("what was decided")
    # The lead professional: an ECFS worker, or another agency's professional on the family's record (one, or
    # neither when the meeting did not agree one).
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="lead professional (ECFS)",
    )  # fmt: skip
    lead_professional = models.ForeignKey(
        "families.Professional", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="lead professional (another agency)",
    )  # fmt: skip
    next_meeting_on = models.DateField("next meeting", null=True, blank=True)
    # Only with the family's consent to hold and share (families.rules.shares_with_team_around_family).
    shared_with_agencies = models.BooleanField("information shared with the other agencies", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="recorded by"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            # The family record's list; the return counts meetings held in a quarter.
            models.Index(fields=["family", "-held_on"], name="taf_meeting_family_held_idx"),
            models.Index(fields=["held_on"], name="taf_meeting_held_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead_worker__isnull=True) | models.Q(lead_professional__isnull=True),
                name="taf_meeting_one_lead_professional",
            ),
            models.CheckConstraint(
                condition=models.Q(next_meeting_on__isnull=True) | models.Q(next_meeting_on__gt=models.F("held_on")),
                name="taf_meeting_next_after_held",
            ),
        ]

    def __str__(self):
        return f"Team around the family meeting for {self.family} on {self.held_on:%-d %B %Y}"

    @property
    def lead_label(self) -> str:
        if self.lead_worker_id:
            return f"{self.lead_worker.get_full_name()} (ECFS)"
        if self.lead_professional_id:
            professional = self.lead_professional
            return f"{professional.name} ({professional.get_agency_display()})"
        return "Not agreed"


class MeetingAction(ActionOwner):
    """An action agreed at a meeting for an agency (ECFS, the family, or a partner's professional), due by a date.

    With an active plan the action is also the plan's (``plan_action``): it shows on the plan and, for an ECFS
    owner, in My week, and is changed or marked done there; ``current`` reads who does it and when from the plan.
    Without one it lives here alone, and an ECFS owner's still shows in My week (partnership.selectors)."""

    history = HistoricalRecords()

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(TafMeeting, on_delete=models.PROTECT, related_name="actions")
    plan_action = models.OneToOneField(
        "families.PlanAction", on_delete=models.PROTECT, null=True, blank=True, related_name="taf_meeting_action"
    )
    description = models.TextField("action")
    due_on = models.DateField("due")
    done_on = models.DateField("done", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # My week: open actions kept on the meeting alone (no plan), by due date.
            models.Index(
                fields=["owner_worker", "due_on"],
                condition=models.Q(done_on__isnull=True, plan_action__isnull=True),
                name="meeting_action_open_due_idx",
            ),
        ]
        constraints = owner_named_constraints("meeting_action")

    def __str__(self):
        return self.description[:60]

    @property
    def current(self):
        """Who does it, by when and whether done: the plan's action when there is one (changed on the plan)."""
        return self.plan_action if self.plan_action_id else self

    @property
    def agency_label(self) -> str:
        current = self.current
        if current.owner == PlanAction.Owner.PROFESSIONAL and current.owner_professional_id:
            return current.owner_professional.get_agency_display()
        if current.owner == PlanAction.Owner.FAMILY:
            return "The family"
        return "ECFS"

    @property
    def owner_label(self) -> str:
        current = self.current
        if current.owner == PlanAction.Owner.FAMILY and current.owner_person_id:
            return current.owner_person.full_name
        if current.owner == PlanAction.Owner.PROFESSIONAL and current.owner_professional_id:
            return current.owner_professional.name
        if current.owner_worker_id:
            return current.owner_worker.get_full_name()
        return ""


class OnwardReferral(TimeStampedModel):
    """A referral from ECFS to a specialist or partner service, and what came of it once known."""

    history = HistoricalRecords()

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined by the service"
        DID_NOT_ENGAGE = "did_not_engage", "The family did not engage"
        WAITING_LIST = "waiting_list", "On a waiting list"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="onward_referrals")
    agency = models.CharField("type of service", max_length=30, choices=Professional.Agency.choices)
    organisation = models.CharField("organisation", max_length=150)
    reason = models.TextField("reason for the referral")
    referred_on = models.DateField("date referred")
    consent_confirmed = models.BooleanField("the family agreed to the referral")
    outcome_expected_by = models.DateField("outcome expected by")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("outcome date", null=True, blank=True)
    outcome_notes = models.CharField("about the outcome", max_length=300, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            # The family record's list; the return counts referrals made in a quarter.
            models.Index(fields=["family", "-referred_on"], name="onward_referral_family_idx"),
            models.Index(fields=["referred_on"], name="onward_referral_referred_idx"),
            # My week: outcomes still awaited, by when they were expected.
            models.Index(
                fields=["outcome_expected_by"], condition=models.Q(outcome=""), name="onward_referral_awaited_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(consent_confirmed=True), name="onward_referral_has_consent"),
            models.CheckConstraint(
                condition=(models.Q(outcome="") & models.Q(outcome_on__isnull=True))
                | (~models.Q(outcome="") & models.Q(outcome_on__isnull=False)),
                name="onward_referral_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome_expected_by__gte=models.F("referred_on")),
                name="onward_referral_expected_after_referred",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome_on__isnull=True) | models.Q(outcome_on__gte=models.F("referred_on")),
                name="onward_referral_outcome_after_referred",
            ),
        ]

    def __str__(self):
        return f"Onward referral of {self.family} to {self.organisation}"
