"""A budget adjustment sent twice (a double click on *Save adjustment*) is recorded once: the total moves once and
the second is refused with a message. Another adjustment, or the same one on another day, is recorded."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from support_fund import services

from .factories import budget

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


def test_the_same_adjustment_sent_twice_moves_the_total_once(client, cast):
    county = budget(cast, "1000")
    client.force_login(cast.admin)
    url = reverse("fund-budget-adjust", args=[county.uuid])
    assert client.post(url, {"amount": "500", "reason": "Charity appeal money"}).status_code == 302

    again = client.post(url, {"amount": "500", "reason": "Charity appeal money"})

    assert again.status_code == 400
    page = again.content.decode()
    assert "govuk-error-summary" in page
    assert "This adjustment is already recorded today (£500.00: Charity appeal money)" in page
    county.refresh_from_db()
    assert county.total_amount == Decimal("1500.00") and county.adjustments.count() == 2


def test_a_different_adjustment_or_the_same_on_another_day_is_recorded(cast, _clock):
    county = budget(cast, "1000")
    services.budget_adjust(budget=county, amount=Decimal("500"), reason="Appeal", actor=cast.admin)
    services.budget_adjust(budget=county, amount=Decimal("-500"), reason="Appeal", actor=cast.admin)
    services.budget_adjust(budget=county, amount=Decimal("500"), reason="Second appeal", actor=cast.admin)
    with pytest.raises(ValidationError, match="already recorded today"):
        services.budget_adjust(budget=county, amount=Decimal("500"), reason="Appeal", actor=cast.admin)
    _clock.move_to(datetime(2026, 6, 11, 10, 0, tzinfo=LONDON))
    services.budget_adjust(budget=county, amount=Decimal("500"), reason="Appeal", actor=cast.admin)
    county.refresh_from_db()
    assert county.total_amount == Decimal("2000.00") and county.adjustments.count() == 5
