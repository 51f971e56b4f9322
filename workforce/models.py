"""Workforce records (issue #20 item 6): vacancies, supervision sessions, mandatory training and background (DBS)
checks, kept beside the staff records (``bases.StaffProfile``) and keyed to the member of staff's user.

No record here holds anything about a family: a supervision session says when, who supervised and whether cases
were discussed — never which cases or what was said.
"""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords  # every change kept: corrections show what was there

from ecfs.models import TimeStampedModel

from .rules import Course


class StaffRole(models.TextChoices):
    """The roles counted as staff in post (the user's role group; ``ecfs.roles.Role`` values)."""

    WORKER = "worker", "Family support worker"
    MANAGER = "manager", "Team manager"


class Vacancy(TimeStampedModel):
    """A post the service is recruiting to, entered by the service admin: open from ``open_since`` until filled."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    district = models.ForeignKey("bases.District", on_delete=models.PROTECT, related_name="vacancies")
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="vacancies", null=True, blank=True)
    fte = models.DecimalField("full-time equivalent", max_digits=3, decimal_places=2)
    open_since = models.DateField()
    filled_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "vacancies"
        ordering = ["filled_on", "-open_since"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fte__gt=0) & models.Q(fte__lte=1), name="vacancy_fte_range"),
            models.CheckConstraint(
                condition=models.Q(filled_on__isnull=True) | models.Q(filled_on__gte=models.F("open_since")),
                name="vacancy_filled_after_open",
            ),
        ]
        indexes = [
            # The return's vacancies open at a quarter's end, and the open ones on the workforce page.
            models.Index(fields=["open_since", "filled_on"], name="vacancy_open_idx"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} vacancy, {self.district} ({self.fte} FTE)"


class SupervisionSession(TimeStampedModel):
    """A supervision session a worker had: when, with whom, and whether cases were discussed (no notes)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_sessions")
    held_on = models.DateField()
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervised")
    case_discussion = models.BooleanField("case discussion held", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(supervisor=models.F("worker")), name="supervision_not_self"),
        ]
        indexes = [
            # A worker's last session (the manager's flags, the return's six-week share).
            models.Index(fields=["worker", "-held_on"], name="supervision_worker_date_idx"),
        ]

    def __str__(self):
        return f"Supervision on {self.held_on:%-d %B %Y}"


class TrainingRecord(TimeStampedModel):
    """A mandatory course a member of staff completed, and when it expires (``rules.COURSE_YEARS`` by default)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records")
    course = models.CharField(max_length=20, choices=Course.choices)
    completed_on = models.DateField()
    expires_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("completed_on")), name="training_expires_after_completed"
            ),
        ]
        indexes = [
            # A member's latest record per course (the flags, the return's "training current" share).
            models.Index(fields=["staff", "course", "-expires_on"], name="training_staff_course_idx"),
        ]

    def __str__(self):
        return f"{self.get_course_display()} completed {self.completed_on:%-d %B %Y}"


class BackgroundCheck(TimeStampedModel):
    """An enhanced DBS (background) check of a member of staff: its date (renewal due ``rules.DBS_RENEWAL_YEARS``
    later). The certificate itself is kept by HR, not here."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="background_checks")
    checked_on = models.DateField("DBS check date")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "checked_on"], name="background_check_once_a_day"),
        ]
        indexes = [
            # A member's latest check (the flags, the return's DBS share).
            models.Index(fields=["staff", "-checked_on"], name="background_check_staff_idx"),
        ]

    def __str__(self):
        return f"DBS check on {self.checked_on:%-d %B %Y}"
