"""The service admin enters each month's web visits and followers; nobody else can."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from ecfs.roles import Role
from tests.factories import UserFactory
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


@pytest.mark.django_db(transaction=True)
def test_two_admins_saving_a_new_month_at_once_keep_one_record(on_postgres, reference_data, monkeypatch):
    first, second = (UserFactory(role=Role.ADMIN, email=f"admin{n}@example.org") for n in (1, 2))
    # Both have looked for the month (and found none) before either saves it.
    barrier, seen = threading.Barrier(2), threading.local()
    save = DigitalReach.save

    def save_together(self, *args, **kwargs):
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait(timeout=20)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(DigitalReach, "save", save_together)
    failures = []

    def enter(actor, visits):
        close_old_connections()
        try:
            services.digital_reach_record(actor=actor, month=date(2026, 10, 1), web_visits=visits)
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            failures.append(repr(error))
        finally:
            connection.close()

    with time_machine.travel("2026-11-03 10:00 +0000", tick=False):
        threads = [threading.Thread(target=enter, args=pair) for pair in ((first, 4210), (second, 4310))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert failures == []
    record = DigitalReach.objects.get()
    assert record.web_visits in (4210, 4310) and record.history.count() == 2
    assert AuditEvent.objects.filter(action="digital_reach.recorded").count() == 2


@time_machine.travel("2026-11-03 10:00 +0000", tick=False)
@pytest.mark.parametrize("month", ["2026-12", "2027-01", "2019-09", "2018-05", "banana", "2026-13", "2026"])
def test_a_typed_month_that_cannot_have_figures_is_not_found_and_nothing_is_saved(client, cast, month):
    client.force_login(cast.admin)
    url = reverse("voice-digital-reach") + f"?month={month}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"web_visits": "4210"}).status_code == 404
    assert not DigitalReach.objects.exists()
    # This month (followers so far) and the service's first month can still be shown.
    for shown in ("2026-11", "2019-10"):
        assert client.get(reverse("voice-digital-reach") + f"?month={shown}").status_code == 200
