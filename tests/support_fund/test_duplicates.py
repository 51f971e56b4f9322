"""An application sent twice (a double click, the browser resending the form) is made once; the second is refused
with the reference of the first."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from support_fund import services
from support_fund.models import Application
from tests.api.conftest import client_for

from .factories import application, budget, family_in_support

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")

FORM = {
    "category": "essentials",
    "amount": "64.99",
    "justification": "Cot and bedding for the new baby",
    "delivery": "supplier",
    "supplier": "Argos",
}
SAME = "Food while benefits are sorted"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


@pytest.fixture
def family(cast):
    return family_in_support(cast)


def test_the_same_application_sent_twice_is_made_once(client, cast, family):
    client.force_login(cast.worker)
    first = client.post(reverse("fund-apply", args=[family.reference]), FORM)
    assert first.status_code == 302
    again = client.post(reverse("fund-apply", args=[family.reference]), FORM)
    assert again.status_code == 400
    made = Application.objects.get()
    assert f"This application is already made as {made.reference}" in again.content.decode()
    assert "govuk-error-summary" in again.content.decode()


def test_a_different_application_the_same_day_is_made(cast, family):
    application(cast, family, amount="40.00", justification=SAME)
    application(cast, family, amount="25.00", justification=SAME)
    application(cast, family, amount="40.00", category="travel", justification=SAME)
    assert Application.objects.count() == 3


def test_the_same_again_after_the_first_was_declined_or_cancelled_is_made(cast, family):
    budget(cast, "500")
    declined = application(cast, family, justification=SAME)
    services.application_decline(application=declined, actor=cast.manager, reason="Not for the plan's goals")
    cancelled = application(cast, family, justification=SAME)
    services.application_cancel(application=cancelled, actor=cast.manager, reason="Asked in error")
    application(cast, family, justification=SAME)
    assert Application.objects.count() == 3


def test_the_same_application_on_another_day_is_made(cast, family, _clock):
    application(cast, family, justification=SAME)
    _clock.move_to(datetime(2026, 6, 11, 10, 0, tzinfo=LONDON))
    application(cast, family, justification=SAME)
    assert Application.objects.count() == 2


def test_a_draft_saved_twice_is_refused_too(cast, family):
    first = application(cast, family, submit=False, justification=SAME)
    with pytest.raises(ValidationError, match=f"already made as {first.reference}"):
        application(cast, family, submit=False, justification=SAME)


def test_the_api_refuses_the_same_application_retried(cast, family):
    client = client_for(cast.worker)
    body = {"family": family.reference, "category": "food", "amount": "30.00", "justification": "Food",
            "delivery": "voucher"}  # fmt: skip
    assert client.post(reverse("api-fund-application-list"), body, format="json").status_code == 201
    retried = client.post(reverse("api-fund-application-list"), body, format="json")
    assert retried.status_code == 400
    assert "already made as" in retried.content.decode()
    assert Application.objects.count() == 1
