"""Money and states in words on the fund pages (#17 item 12)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from support_fund import services

from .factories import application, budget, family_in_support

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("195500"), "£195,500.00"), (Decimal("45.5"), "£45.50"), (Decimal("-1234.5"), "-£1,234.50"), (0, "£0.00")],
)
def test_money_is_shown_with_thousands_separators(value, shown):
    assert Template("{% load money %}{{ value|pounds }}").render(Context({"value": value})) == shown


def test_the_fund_pages_show_money_with_separators_and_states_by_their_labels(client, cast):
    family = family_in_support(cast)
    budget(cast, "195500")
    big = application(cast, family, amount="300.00")
    services.application_approve(application=big, actor=cast.manager)
    client.force_login(cast.manager)
    page = client.get(reverse("fund-application", args=[big.uuid])).content.decode()
    assert "Awaiting decision → Awaiting second approval" in page
    assert "awaiting_second" not in page
    dashboard = client.get(reverse("fund-dashboard")).content.decode()
    assert "£195,500.00" in dashboard
    assert "£195500" not in dashboard
