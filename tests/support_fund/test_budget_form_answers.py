"""The budgets page: a source or district the page did not offer gets the field's own message."""

import pytest
from django.urls import reverse

from support_fund.models import Budget

pytestmark = pytest.mark.django_db


def test_a_source_or_district_not_offered(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("fund-budgets"), {"financial_year": "2026", "source": "99999", "district": "99999", "amount": "100"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not one of the available choices" not in page
    assert "Choose the source" in page and "Choose a district from the list, or the whole county" in page
    assert not Budget.objects.exists()
