"""The fund dashboard's years run from the service's first financial year (2019/20) to next year, or the latest
year a budget was set up for: a year outside them (typed into the address, or 0) is not found, and the page offers
no link past either end."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from support_fund import services
from support_fund.models import FundSource

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON), tick=True):
        yield


@pytest.mark.parametrize("year", ["0", "-3", "2018", "2028", "99999999999"])
def test_a_year_outside_the_service_is_not_found(client, cast, year):
    client.force_login(cast.manager)
    assert client.get(reverse("fund-dashboard") + f"?year={year}").status_code == 404
    assert client.get(reverse("fund-export") + f"?year={year}").status_code == 404


def test_the_first_and_last_years_offer_no_link_past_them(client, cast):
    client.force_login(cast.manager)
    first = client.get(reverse("fund-dashboard") + "?year=2019").content.decode()
    assert "2019/20" in first and "Previous year" not in first and "Next year" in first
    last = client.get(reverse("fund-dashboard") + "?year=2027").content.decode()
    assert "2027/28" in last and "Next year" not in last and "Previous year" in last
    this_year = client.get(reverse("fund-dashboard")).content.decode()
    assert "2026/27" in this_year and "Previous year" in this_year and "Next year" in this_year


def test_a_year_a_budget_was_set_up_for_is_shown(client, cast):
    services.budget_create(
        financial_year=2030,
        source=FundSource.objects.get(name="Council allocation"),
        amount=Decimal("1000"),
        actor=cast.admin,
    )
    client.force_login(cast.manager)
    assert client.get(reverse("fund-dashboard") + "?year=2030").status_code == 200
    assert client.get(reverse("fund-dashboard") + "?year=2031").status_code == 404
