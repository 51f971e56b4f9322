"""A child's funded early education through the API: the person resource shows it, and
``POST /api/people/{uuid}/early-education/`` sets it through the same service as the family record's page."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from families.models import Person
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(scenario):
    """The scenario family's child, born two years and 30 days ago."""
    return scenario["objects"]["family"].members.get(kind=Person.Kind.CHILD)


def _url(person):
    return reverse("api-person-early-education", args=[person.uuid])


def _error(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def test_the_person_resource_shows_the_three_fields(cast, child):
    body = client_for(cast.worker).get(reverse("api-person-detail", args=[child.uuid])).json()
    assert (body["funded_education_eligible"], body["funded_education_started_on"]) == (False, None)
    assert body["funded_education_setting"] == ""


def test_the_allocated_worker_records_a_two_year_olds_funded_place(cast, child):
    started = timezone.localdate() - timedelta(days=10)  # after the second birthday, 30 days ago

    response = client_for(cast.worker).post(
        _url(child),
        {
            "funded_education_eligible": True,
            "funded_education_started_on": started.isoformat(),
            "funded_education_setting": "Little Acorns",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["funded_education_eligible"], body["funded_education_started_on"]) == (True, started.isoformat())
    assert body["funded_education_setting"] == "Little Acorns"
    child.refresh_from_db()
    assert child.funded_education_started_on == started
    assert AuditEvent.objects.filter(action="person.early_education", family=child.family, actor=cast.worker).exists()


def test_the_manager_records_eligibility_alone(cast, child):
    response = client_for(cast.manager).post(_url(child), {"funded_education_eligible": True}, format="json")

    assert response.status_code == 200, response.content
    child.refresh_from_db()
    assert (child.funded_education_eligible, child.funded_education_started_on) == (True, None)


def test_a_place_before_the_second_birthday_is_a_400_naming_the_field_and_saves_nothing(cast, child):
    too_early = child.date_of_birth + relativedelta(years=2) - timedelta(days=1)

    error = _error(
        client_for(cast.worker).post(
            _url(child),
            {"funded_education_eligible": True, "funded_education_started_on": too_early.isoformat()},
            format="json",
        ),
        400,
    )

    assert list(error["fields"]) == ["funded_education_started_on"]
    assert "second birthday" in error["fields"]["funded_education_started_on"][0]
    child.refresh_from_db()
    assert child.funded_education_started_on is None


def test_a_place_for_a_child_not_eligible_at_two_or_a_setting_alone_is_a_400(cast, child):
    started = timezone.localdate() - timedelta(days=10)
    client = client_for(cast.worker)

    not_eligible = _error(
        client.post(
            _url(child),
            {"funded_education_eligible": False, "funded_education_started_on": started.isoformat()},
            format="json",
        ),
        400,
    )
    setting_alone = _error(
        client.post(
            _url(child), {"funded_education_eligible": True, "funded_education_setting": "Busy Bees"}, format="json"
        ),
        400,
    )
    missing = _error(client.post(_url(child), {}, format="json"), 400)

    assert list(not_eligible["fields"]) == ["funded_education_eligible"]
    assert list(setting_alone["fields"]) == ["funded_education_started_on"]
    assert list(missing["fields"]) == ["funded_education_eligible"]
    assert not AuditEvent.objects.filter(action="person.early_education").exists()


def test_a_parent_has_no_early_education(cast, scenario):
    parent = scenario["objects"]["family"].members.exclude(kind=Person.Kind.CHILD).first()
    if parent is None:
        pytest.skip("the scenario family has no adult")
    error = _error(client_for(cast.worker).post(_url(parent), {"funded_education_eligible": True}, format="json"), 409)
    assert "child aged 0 to 5" in error["message"]


def test_a_worker_not_allocated_gets_404(cast, child):
    response = client_for(cast.colleague).post(_url(child), {"funded_education_eligible": True}, format="json")
    _error(response, 404)
