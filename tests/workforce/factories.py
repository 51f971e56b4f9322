"""Workforce records built directly (the minimum state a test needs); the services have their own tests."""

from datetime import date
from decimal import Decimal

from workforce.models import BackgroundCheck, SupervisionSession, TrainingRecord, Vacancy
from workforce.rules import Course, default_expiry


def supervision(worker, held_on: date, *, supervisor, case_discussion=True) -> SupervisionSession:
    return SupervisionSession.objects.create(
        worker=worker, held_on=held_on, supervisor=supervisor, case_discussion=case_discussion, recorded_by=supervisor
    )


def training(staff, course: str, completed_on: date, *, expires_on: date | None = None, by=None) -> TrainingRecord:
    return TrainingRecord.objects.create(
        staff=staff,
        course=course,
        completed_on=completed_on,
        expires_on=expires_on or default_expiry(course, completed_on),
        recorded_by=by or staff,
    )


def all_training(staff, completed_on: date) -> None:
    for course in Course:
        training(staff, course.value, completed_on)


def dbs(staff, checked_on: date, *, by=None) -> BackgroundCheck:
    return BackgroundCheck.objects.create(staff=staff, checked_on=checked_on, recorded_by=by or staff)


def vacancy(*, district, role="worker", open_since: date, filled_on: date | None = None, by, base=None, fte="1"):
    return Vacancy.objects.create(
        role=role,
        district=district,
        base=base,
        fte=Decimal(fte),
        open_since=open_since,
        filled_on=filled_on,
        created_by=by,
    )


def workforce_scenario(cast) -> dict:
    """For the permission table: the worker's own record and a vacancy in their district."""
    return {
        "workforce_member": (cast.worker.pk,),
        "vacancy": (vacancy(district=cast.team.base.district, open_since=date(2026, 1, 5), by=cast.admin).uuid,),
    }
