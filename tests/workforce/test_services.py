"""The workforce services: who may record what, the rules (dates, expiry defaults, a session with no notes), the
audit trail, and the flags a manager sees."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from workforce import rules, services
from workforce.models import SupervisionSession, TrainingRecord
from workforce.rules import Course
from workforce.selectors import flagged_workers, member_get, staff_in_post

from .factories import all_training, supervision, training

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def profile_of(user):
    return staff_in_post().select_related("user", "team").get(user=user)


def test_the_course_lengths_are_the_documented_ones():
    assert rules.COURSE_YEARS == {Course.SAFEGUARDING: 3, Course.DATA_PROTECTION: 1, Course.DOMESTIC_ABUSE: 3}
    assert rules.default_expiry(Course.SAFEGUARDING, date(2024, 2, 29)) == date(2027, 2, 28)
    assert rules.dbs_renewal_due(date(2023, 12, 31)) == date(2026, 12, 31)


def test_currency_on_a_day():
    assert rules.training_current(completed_on=date(2025, 1, 1), expires_on=date(2026, 1, 1), on=date(2025, 12, 31))
    assert not rules.training_current(completed_on=date(2025, 1, 1), expires_on=date(2026, 1, 1), on=date(2026, 1, 1))
    assert rules.supervised_within(date(2026, 10, 9), date(2026, 11, 20))  # 42 days
    assert not rules.supervised_within(date(2026, 10, 8), date(2026, 11, 20))  # 43 days
    assert not rules.supervised_within(date(2026, 11, 21), date(2026, 11, 20))  # after the day


def test_only_the_workers_team_manager_records_supervision(cast):
    worker = profile_of(cast.worker)
    for actor in (cast.other_manager, cast.admin, cast.worker, cast.colleague):
        with pytest.raises(PermissionDenied):
            services.supervision_record(
                actor=actor, profile=worker, held_on=TODAY, supervisor=cast.manager, case_discussion=False
            )
    session = services.supervision_record(
        actor=cast.manager, profile=worker, held_on=TODAY, supervisor=cast.other_manager, case_discussion=True
    )
    assert session.supervisor == cast.other_manager and session.recorded_by == cast.manager
    event = AuditEvent.objects.get(action="supervision.recorded")
    assert event.actor == cast.manager and event.family_id is None


def test_a_supervision_session_has_no_free_text():
    names = {field.name for field in SupervisionSession._meta.get_fields()}
    assert not names & {"notes", "note", "summary", "text", "family", "families"}


def test_a_supervisor_must_be_an_active_team_manager(cast):
    with pytest.raises(ValidationError) as error:
        services.supervision_record(
            actor=cast.manager,
            profile=profile_of(cast.worker),
            held_on=TODAY,
            supervisor=cast.colleague,
            case_discussion=False,
        )
    assert error.value.message_dict == {"supervisor": ["Select an active team manager"]}


def test_training_with_an_expiry_before_completion_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        services.training_record(
            actor=cast.admin,
            profile=profile_of(cast.worker),
            course="safeguarding",
            completed_on=date(2026, 5, 1),
            expires_on=date(2026, 4, 1),
        )
    assert "after the date it was completed" in error.value.message_dict["expires_on"][0]


def test_a_manager_records_training_for_their_team_only(cast):
    record = services.training_record(
        actor=cast.manager, profile=profile_of(cast.worker), course="domestic_abuse", completed_on=date(2026, 1, 5)
    )
    assert record.expires_on == date(2029, 1, 5)
    with pytest.raises(PermissionDenied):
        services.training_record(
            actor=cast.manager, profile=profile_of(cast.other_worker), course="safeguarding", completed_on=TODAY
        )


def test_the_same_dbs_check_twice_is_refused(cast):
    services.background_check_record(actor=cast.admin, profile=profile_of(cast.worker), checked_on=date(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.background_check_record(actor=cast.admin, profile=profile_of(cast.worker), checked_on=date(2025, 3, 1))


def _day(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_sending_a_supervision_session_twice_keeps_one(client, cast):
    client.force_login(cast.manager)
    url = reverse("workforce-supervision-new", args=[cast.worker.pk])
    data = {**_day("held_on", date(2026, 11, 2)), "supervisor": str(cast.manager.pk), "case_discussion": "on"}
    assert client.post(url, data).status_code == 302

    again = client.post(url, data)
    assert again.status_code == 400
    assert "A supervision session on 2 November 2026 is already recorded" in again.content.decode()
    assert SupervisionSession.objects.filter(worker=cast.worker).count() == 1


def test_sending_the_same_training_twice_keeps_one(client, cast):
    client.force_login(cast.manager)
    url = reverse("workforce-training-new", args=[cast.worker.pk])
    data = {"course": "safeguarding", **_day("completed_on", date(2026, 11, 2))}
    assert client.post(url, data).status_code == 302

    again = client.post(url, data)
    assert again.status_code == 400
    assert "Safeguarding children training completed on 2 November 2026 is already recorded" in (again.content.decode())
    assert TrainingRecord.objects.filter(staff=cast.worker).count() == 1
    # Another course on the same day is a record of its own.
    assert client.post(url, {**data, "course": "data_protection"}).status_code == 302


def test_only_the_admin_enters_vacancies(cast):
    with pytest.raises(PermissionDenied):
        services.vacancy_open(
            actor=cast.manager, role="worker", district=cast.team.base.district, fte=Decimal("1"), open_since=TODAY
        )
    other_base = cast.other_team.base
    if other_base.district_id != cast.team.base.district_id:
        with pytest.raises(ValidationError) as error:
            services.vacancy_open(
                actor=cast.admin,
                role="worker",
                district=cast.team.base.district,
                base=other_base,
                fte=Decimal("1"),
                open_since=TODAY,
            )
        assert "is not in" in error.value.message_dict["base"][0]


def test_flags_name_what_needs_attention(cast):
    supervision(cast.worker, date(2026, 10, 8), supervisor=cast.manager)  # 43 days ago
    training(cast.worker, Course.SAFEGUARDING, date(2023, 12, 20))  # expires 20 December 2026: within 30 days
    training(cast.worker, Course.DATA_PROTECTION, date(2025, 11, 20))  # expired today
    # The colleague: all in order.
    supervision(cast.colleague, date(2026, 10, 9), supervisor=cast.manager)  # 42 days ago
    all_training(cast.colleague, date(2026, 1, 1))
    flagged = {member.user: member.flags for member in flagged_workers(manager=cast.manager, today=TODAY)}
    assert list(flagged) == [cast.worker]
    assert flagged[cast.worker] == [
        "Last supervision 8 October 2026: over six weeks ago",
        "Safeguarding children: expires 20 December 2026",
        "Data protection: expired 20 November 2026",
        "Domestic abuse awareness: no training recorded",
    ]
    assert flagged_workers(manager=cast.other_manager, today=TODAY)[0].user == cast.other_worker


def test_a_member_outside_your_teams_is_not_found(cast):
    from django.http import Http404

    assert member_get(user=cast.worker, pk=cast.worker.pk).user == cast.worker
    for user, other in (
        (cast.worker, cast.colleague),
        (cast.manager, cast.other_worker),
        (cast.commissioner, cast.worker),
    ):
        with pytest.raises(Http404):
            member_get(user=user, pk=other.pk)
