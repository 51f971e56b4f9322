"""The workforce pages: who sees whose records (404 for a member you may not see, 403 for a page your role cannot
use), the forms (400 with a clear message, nothing half-saved), and the manager's landing-page flags."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from workforce.models import BackgroundCheck, SupervisionSession, TrainingRecord, Vacancy
from workforce.rules import Course

from .factories import all_training, dbs, supervision, training, vacancy

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_a_worker_sees_their_own_record_and_not_a_colleagues(client, cast):
    supervision(cast.worker, date(2026, 11, 2), supervisor=cast.manager)
    supervision(cast.colleague, date(2026, 11, 3), supervisor=cast.manager)
    own = _get(client, cast.worker, "workforce-member", cast.worker.pk)
    assert own.status_code == 200
    assert "2 November 2026" in own.content.decode()
    assert _get(client, cast.worker, "workforce-member", cast.colleague.pk).status_code == 404
    assert _get(client, cast.worker, "workforce-home").status_code == 403


def test_a_manager_sees_their_teams_workers_only(client, cast):
    assert _get(client, cast.manager, "workforce-member", cast.worker.pk).status_code == 200
    assert _get(client, cast.manager, "workforce-member", cast.other_worker.pk).status_code == 404
    assert _get(client, cast.manager, "workforce-supervision-new", cast.other_worker.pk).status_code == 404
    page = _get(client, cast.manager, "workforce-home").content.decode()
    assert "Mandy Robinson" in page and "Graeme Turner" in page
    assert "Priya Shah" not in page


def test_a_commissioner_gets_no_workforce_page(client, cast):
    for name, args in (("workforce-home", ()), ("workforce-member", (cast.worker.pk,)), ("workforce-vacancies", ())):
        assert _get(client, cast.commissioner, name, *args).status_code == 403


def test_the_admin_sees_everyone_but_does_not_record_supervision(client, cast):
    page = _get(client, cast.admin, "workforce-home").content.decode()
    assert "Mandy Robinson" in page and "Priya Shah" in page
    assert _get(client, cast.admin, "workforce-supervision-new", cast.worker.pk).status_code == 403
    assert _get(client, cast.admin, "workforce-training-new", cast.worker.pk).status_code == 200


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def test_the_manager_records_a_supervision_session(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        reverse("workforce-supervision-new", args=[cast.worker.pk]),
        {**_date("held_on", date(2026, 11, 18)), "supervisor": str(cast.manager.pk), "case_discussion": "on"},
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert (session.worker, session.supervisor, session.case_discussion) == (cast.worker, cast.manager, True)
    event = AuditEvent.objects.get(action="supervision.recorded")
    assert event.family_id is None


def test_a_session_in_the_future_is_refused_with_a_message(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        reverse("workforce-supervision-new", args=[cast.worker.pk]),
        {**_date("held_on", date(2026, 12, 1)), "supervisor": str(cast.manager.pk)},
    )
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_a_worker_cannot_post_their_own_supervision(client, cast):
    client.force_login(cast.worker)
    response = client.post(
        reverse("workforce-supervision-new", args=[cast.worker.pk]),
        {**_date("held_on", date(2026, 11, 18)), "supervisor": str(cast.manager.pk)},
    )
    assert response.status_code == 403
    assert not SupervisionSession.objects.exists()


def test_training_takes_the_courses_default_expiry(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        reverse("workforce-training-new", args=[cast.worker.pk]),
        {"course": "data_protection", **_date("completed_on", date(2026, 3, 1))},
    )
    assert response.status_code == 302
    assert TrainingRecord.objects.get().expires_on == date(2027, 3, 1)


def test_a_dbs_check_is_recorded_by_the_admin(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("workforce-dbs-new", args=[cast.worker.pk]), _date("checked_on", date(2024, 2, 1)))
    assert response.status_code == 302
    assert BackgroundCheck.objects.get().checked_on == date(2024, 2, 1)
    page = _get(client, cast.worker, "workforce-member", cast.worker.pk).content.decode()
    assert "renewal due 1 February 2027" in page


def test_the_admin_enters_and_fills_a_vacancy(client, cast):
    client.force_login(cast.admin)
    district = cast.team.base.district
    response = client.post(
        reverse("workforce-vacancy-new"),
        {
            "role": "worker",
            "district": district.slug,
            "base": "",
            "fte": "0.6",
            **_date("open_since", date(2026, 9, 1)),
        },
    )
    assert response.status_code == 302
    made = Vacancy.objects.get()
    assert str(made.fte) == "0.60" and made.filled_on is None
    bad = client.post(reverse("workforce-vacancy-fill", args=[made.uuid]), _date("filled_on", date(2026, 8, 1)))
    assert bad.status_code == 400
    assert "on or after it opened" in bad.content.decode()
    client.post(reverse("workforce-vacancy-fill", args=[made.uuid]), _date("filled_on", date(2026, 11, 2)))
    made.refresh_from_db()
    assert made.filled_on == date(2026, 11, 2)


def test_a_vacancy_fte_over_one_is_refused(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("workforce-vacancy-new"),
        {"role": "worker", "district": cast.team.base.district.slug, "fte": "1.5", **_date("open_since", TODAY)},
    )
    assert response.status_code == 400
    assert "no more than 1" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_managers_see_vacancies_in_their_districts(client, cast):
    here = vacancy(district=cast.team.base.district, open_since=date(2026, 10, 1), by=cast.admin)
    elsewhere = vacancy(district=cast.other_team.base.district, open_since=date(2026, 10, 1), by=cast.admin)
    assert here.district != elsewhere.district
    page = _get(client, cast.manager, "workforce-vacancies").content.decode()
    assert here.district.name in page and elsewhere.district.name not in page
    assert _get(client, cast.manager, "workforce-vacancy-fill", here.uuid).status_code == 403


def test_the_managers_landing_page_flags_supervision_and_training(client, cast):
    # The worker: supervised 7 weeks ago, safeguarding expiring in 10 days, the rest current.
    supervision(cast.worker, date(2026, 10, 2), supervisor=cast.manager)
    training(cast.worker, Course.SAFEGUARDING, date(2023, 12, 1))  # expires 1 December 2026
    training(cast.worker, Course.DATA_PROTECTION, date(2026, 6, 1))
    training(cast.worker, Course.DOMESTIC_ABUSE, date(2026, 6, 1))
    # The colleague: supervised a week ago, all training current — not flagged.
    supervision(cast.colleague, date(2026, 11, 13), supervisor=cast.manager)
    all_training(cast.colleague, date(2026, 6, 1))
    dbs(cast.colleague, date(2025, 1, 1))
    page = _get(client, cast.manager, "home").content.decode()
    section = page[page.index('id="supervision-and-training"') :]
    assert "Mandy Robinson" in section
    assert "over six weeks ago" in section and "Safeguarding children: expires 1 December 2026" in section
    assert "Graeme Turner" not in section[: section.index("Workforce: your teams")]


def test_a_worker_with_no_records_is_flagged(client, cast):
    page = _get(client, cast.manager, "home").content.decode()
    assert "No supervision recorded" in page
    assert "Data protection: no training recorded" in page
    # Another team's worker is not the manager's to flag.
    assert "Priya Shah" not in page


def test_the_admins_staff_page_links_to_the_workforce_record(client, cast):
    page = _get(client, cast.admin, "staff-detail", cast.worker.pk).content.decode()
    assert reverse("workforce-member", args=[cast.worker.pk]) in page


def test_the_navigation_leads_each_role_to_its_workforce_page(client, cast):
    assert f'href="{reverse("workforce-home")}"' in _get(client, cast.manager, "home").content.decode()
    worker_home = _get(client, cast.worker, "home").content.decode()
    assert f'href="{reverse("workforce-mine")}"' in worker_home
    assert f'href="{reverse("workforce-home")}"' not in worker_home
    commissioner_home = _get(client, cast.commissioner, "home").content.decode()
    assert "/workforce/" not in commissioner_home


def test_a_workers_own_record_offers_nothing_to_record(client, cast):
    page = _get(client, cast.worker, "workforce-member", cast.worker.pk).content.decode()
    for name in ("workforce-supervision-new", "workforce-training-new", "workforce-dbs-new"):
        assert reverse(name, args=[cast.worker.pk]) not in page
