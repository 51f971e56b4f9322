"""What referral intake refuses: a date received before the service began, text over its size limit, and the
same referral entered twice (a form sent twice, the API retried)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import Determinant
from referrals import services
from referrals.models import Referral
from tests.api.conftest import client_for

from .factories import default_people, received_referral, referral_fields
from .test_views import intake_data

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _tuesday_in_june():
    with time_machine.travel(datetime(2026, 6, 9, 10, 0, tzinfo=LONDON), tick=True):
        yield


def _staff_post(client, cast, **overrides):
    client.force_login(cast.worker)
    return client.post(reverse("referral-new"), intake_data(cast, **overrides))


@pytest.mark.parametrize(
    ("year", "month", "day", "message"),
    [
        (2019, 9, 30, "The date received must be after the service began (1 October 2019)"),
        (1950, 1, 1, "The date received must be after the service began (1 October 2019)"),
    ],
)
def test_a_referral_received_before_the_service_began_is_refused_on_the_page(client, cast, year, month, day, message):
    response = _staff_post(client, cast, received_on_year=year, received_on_month=month, received_on_day=day)
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and message in html
    assert 'href="#id_received_on_day"' in html  # the error links to the date's own field
    assert not Referral.objects.exists()


def test_a_referral_received_the_day_the_service_began_is_taken(client, cast):
    response = _staff_post(client, cast, received_on_year=2019, received_on_month=10, received_on_day=1)
    assert response.status_code == 302
    assert Referral.objects.get().received_at.date().isoformat() == "2019-10-01"


@pytest.mark.parametrize(
    ("received_at", "message"),
    [
        (datetime(2019, 9, 30, 12, 0, tzinfo=LONDON), "after the service began (1 October 2019)"),
        (datetime(2026, 6, 10, 9, 0, tzinfo=LONDON), "today or in the past"),
    ],
)
def test_the_intake_service_refuses_a_date_received_out_of_range(cast, received_at, message):
    with pytest.raises(ValidationError) as refused:
        services.referral_record(
            actor=cast.worker,
            people=default_people(),
            reasons=list(Determinant.objects.filter(code="housing")),
            **referral_fields(cast.team, received_at=received_at),
        )
    assert message in refused.value.message_dict["received_at"][0]
    assert not Referral.objects.exists()


def test_the_api_refuses_a_referral_received_before_the_service_began(cast):
    from tests.api.test_writes import _referral_body

    body = _referral_body(cast, received_at="2019-09-30T12:00:00+01:00")
    response = client_for(cast.worker).post(reverse("api-referral-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert "after the service began" in str(response.json())
    assert not Referral.objects.exists()


@pytest.mark.parametrize("field", ["reason_details", "safe_contact_notes", "best_times"])
def test_over_long_text_on_the_referral_page_is_refused_with_its_limit(client, cast, field):
    limit = 200 if field == "best_times" else 5000
    response = _staff_post(client, cast, **{field: "x" * (limit + 1)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "characters or fewer" in html and f"{limit:,}" in html
    assert not Referral.objects.exists()
    assert _staff_post(client, cast, **{field: "é" * limit}).status_code == 302


def test_the_api_refuses_over_long_referral_text(cast):
    from tests.api.test_writes import _referral_body

    body = _referral_body(cast, reason_details="x" * 5001)
    response = client_for(cast.worker).post(reverse("api-referral-list"), body, format="json")
    assert response.status_code == 400
    assert "reason_details" in response.json().get("errors", response.json()) or "reason_details" in str(
        response.json()
    )
    assert not Referral.objects.exists()


def test_an_over_long_triage_note_is_refused_with_its_limit(client, cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    client.force_login(cast.manager)
    response = client.post(
        reverse("referral-decide", args=[referral.uuid]),
        {"decision": "signpost", "reason": "other_service", "notes": "x" * 5001},
    )
    assert response.status_code == 400
    assert "Why must be 5,000 characters or fewer" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED and not referral.decisions.exists()


def test_the_same_referral_sent_twice_from_the_page_is_recorded_once(client, cast):
    assert _staff_post(client, cast).status_code == 302
    first = Referral.objects.get()
    response = _staff_post(client, cast, postcode="PE37 7AB", referrer_name="jo health")
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert f"This referral is already recorded as {first.reference}" in html
    assert Referral.objects.count() == 1


def test_a_different_referral_for_the_same_family_the_same_day_is_taken(client, cast):
    """Another referrer, or another child: not the same referral (triage links the two)."""
    assert _staff_post(client, cast).status_code == 302
    assert _staff_post(client, cast, referrer_name="Sam School", source="school").status_code == 302
    assert _staff_post(client, cast, child_first_name="Ruby").status_code == 302
    assert Referral.objects.count() == 3


def test_the_api_refuses_the_same_referral_sent_twice(cast):
    from tests.api.test_writes import _referral_body

    api = client_for(cast.worker)
    first = api.post(reverse("api-referral-list"), _referral_body(cast), format="json")
    assert first.status_code == 201, first.content
    again = api.post(reverse("api-referral-list"), _referral_body(cast), format="json")
    assert again.status_code == 400, again.content
    assert "already recorded as REF-" in str(again.json())
    assert Referral.objects.count() == 1
