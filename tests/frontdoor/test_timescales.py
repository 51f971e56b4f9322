"""Due dates of a request sent online over Christmas: working days, England and Wales bank holidays left out."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from referrals.models import Referral

from .journeys import answer_all, check_url, family_answers

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_request_sent_late_on_christmas_eve_is_due_after_the_bank_holidays(client, cast):
    # Thursday 24 December 2026, 23:30: Friday 25 and Monday 28 (Boxing Day's substitute) and Friday 1 January
    # are bank holidays; the weekends do not count either.
    with time_machine.travel(datetime(2026, 12, 24, 23, 30, tzinfo=ZoneInfo("Europe/London")), tick=False):
        answer_all(client, "family", family_answers(cast.team))
        client.post(check_url("family"))
    referral = Referral.objects.get()
    assert referral.triage_due == date(2026, 12, 31)  # 29, 30, 31 December
    assert referral.first_contact_due == date(2027, 1, 12)  # 29, 30, 31 Dec; 4, 5, 6, 7, 8, 11, 12 Jan
