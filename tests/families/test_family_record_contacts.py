"""The family record lists every contact and its whole timeline, newest first, a page at a time: older ones are
never out of reach."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.families.factories import home_visit
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


def test_older_contacts_are_a_page_away_on_the_family_record(client, cast, monkeypatch):
    monkeypatch.setattr("families.selectors.CONTACTS_PER_PAGE", 2)
    with time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=LONDON), tick=True) as clock:
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        clock.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=LONDON))
        oldest, middle, newest = (
            home_visit(family=family, worker=cast.worker, occurred_at=datetime(2026, 6, 10, hour, 0, tzinfo=LONDON))
            for hour in (9, 10, 11)
        )
        client.force_login(cast.worker)
        url = reverse("family-detail", args=[family.reference])
        first = client.get(url).content.decode()
        assert str(newest.uuid) in first and str(middle.uuid) in first and str(oldest.uuid) not in first
        assert "?contacts_page=2#contacts" in first and "Older contacts" in first
        second = client.get(url, {"contacts_page": 2}).content.decode()
        assert str(oldest.uuid) in second and str(newest.uuid) not in second
        assert "?contacts_page=1#contacts" in second and "Older contacts" not in second
        assert client.get(url, {"contacts_page": "nonsense"}).status_code == 200


def test_the_timeline_reaches_back_to_the_first_event(client, cast, monkeypatch):
    from ecfs.audit.models import AuditEvent

    monkeypatch.setattr("families.selectors.TIMELINE_PER_PAGE", 2)
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    events = list(AuditEvent.objects.filter(family=family).exclude(action="viewed"))
    assert len(events) > 2
    last_page = (len(events) + 1) // 2
    client.force_login(cast.worker)
    url = reverse("family-detail", args=[family.reference])
    first = client.get(url).content.decode()
    assert "?timeline_page=2#timeline" in first and "Older events" in first
    last = client.get(url, {"timeline_page": last_page}).content.decode()
    assert "Older events" not in last and f"?timeline_page={last_page - 1}#timeline" in last
    assert "<time datetime=" in last
