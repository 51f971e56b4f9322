"""The service admin enters each month's web visits and followers; nobody else can."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from voice import services
from voice.models import DigitalReach

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-03 10:00 +0000", tick=False)
def test_the_admin_enters_a_month_and_corrects_it(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("voice-digital-reach"))
    assert page.status_code == 200 and "October 2026" in page.content.decode()  # last month, by default
    url = reverse("voice-digital-reach") + "?month=2026-10"
    response = client.post(url, {"web_visits": "4210", "facebook_followers": "2380", "x_followers": ""})
    assert response.status_code == 302
    record = DigitalReach.objects.get()
    assert record.month == date(2026, 10, 1) and record.web_visits == 4210 and record.facebook_followers == 2380
    assert record.x_followers is None
    client.post(url, {"web_visits": "4310", "facebook_followers": "2380"})
    record.refresh_from_db()
    assert record.web_visits == 4310 and record.history.count() == 2
    assert AuditEvent.objects.filter(action="digital_reach.recorded").count() == 2
    refused = client.post(url, {"web_visits": "-3", "instagram_followers": "lots"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "enter 0 or more" in html and "enter a whole number, like 1250" in html


@time_machine.travel("2026-11-03 10:00 +0000", tick=False)
def test_only_the_admin_enters_it_and_not_for_a_month_to_come(cast):
    with pytest.raises(ApplicationError):
        services.digital_reach_record(actor=cast.manager, month=date(2026, 10, 1), web_visits=5)
    with pytest.raises(ValidationError):
        services.digital_reach_record(actor=cast.admin, month=date(2026, 12, 1), web_visits=5)
