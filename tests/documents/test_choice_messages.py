"""A kind of document the page did not offer gets the field's own message, never Django's default."""

import pytest
from django.urls import reverse

from documents.models import Document
from tests.referrals.factories import allocated_referral

from .factories import upload

pytestmark = pytest.mark.django_db


def test_a_kind_not_offered(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    client.force_login(cast.worker)
    response = client.post(
        reverse("document-add", args=[family.reference]), {"file": upload(), "kind": "passport", "description": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not one of the available choices" not in page and "Select what kind of document it is" in page
    assert not Document.objects.exists()
