"""Over-long text on the fund's forms (a paste gone wrong) is refused with a message saying the limit, on the page
and through the API; nothing is saved."""

import pytest
from django.urls import reverse

from support_fund.models import Application
from tests.api.conftest import client_for

from .factories import application, budget, family_in_support

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 2001


@pytest.fixture
def family(cast):
    return family_in_support(cast)


def test_an_over_long_justification_is_refused_on_the_page(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(
        reverse("fund-apply", args=[family.reference]),
        {"category": "food", "amount": "20", "justification": TOO_LONG, "delivery": "voucher"},
    )
    assert response.status_code == 400
    assert "The explanation must be 2,000 characters or fewer" in response.content.decode()
    assert not Application.objects.exists()


def test_an_over_long_justification_is_refused_by_the_api(cast, family):
    body = {"family": family.reference, "category": "food", "amount": "20.00", "justification": TOO_LONG,
            "delivery": "voucher"}  # fmt: skip
    response = client_for(cast.worker).post(reverse("api-fund-application-list"), body, format="json")
    assert response.status_code == 400
    assert "justification" in response.json()["error"]["fields"]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("fund-decide", {"decision": "decline", "reason": TOO_LONG}, "The reason must be 2,000 characters or fewer"),
        ("fund-cancel", {"reason": TOO_LONG}, "The reason must be 2,000 characters or fewer"),
    ],
)
def test_an_over_long_reason_is_refused_and_nothing_changes(client, cast, family, url, data, message):
    budget(cast, "500")
    app = application(cast, family)
    client.force_login(cast.manager)
    response = client.post(reverse(url, args=[app.uuid]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED and app.decision_reason == ""
