"""An answer the fund's pages did not offer gets the field's own message, never Django's default."""

import pytest
from django.urls import reverse

from support_fund.models import Application

from .factories import application, family_in_support

pytestmark = pytest.mark.django_db

DJANGO_DEFAULT = "is not one of the available choices"


def test_apply_with_answers_not_offered(client, cast):
    family = family_in_support(cast)
    client.force_login(cast.worker)
    response = client.post(
        reverse("fund-apply", args=[family.reference]),
        {"category": "holiday", "amount": "20", "justification": "x", "delivery": "cash-in-hand"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and DJANGO_DEFAULT not in page
    assert "Select what the money is for" in page and "Select how the money will reach the family" in page
    assert not Application.objects.exists()


def test_a_decision_not_offered(client, cast):
    family = family_in_support(cast)
    app = application(cast, family)
    client.force_login(cast.manager)
    response = client.post(reverse("fund-decide", args=[app.uuid]), {"decision": "maybe"})
    page = response.content.decode()
    assert response.status_code == 400 and DJANGO_DEFAULT not in page
    assert "Select approve or decline" in page
