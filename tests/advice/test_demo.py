"""The demo's advice log: a year of entries across every channel, district and many topics, made through the
service, once, the same for the same seed and day. (With the whole demo: tests/devdata/test_demo_support.py.)"""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import Max, Min

from advice.models import AdviceEntry
from bases.models import District
from devdata.demo import demo_staff_seed
from devdata.demo_advice import demo_advice_seed, demo_advice_summary
from ecfs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
DAY = "2026-11-18 08:00 +0000"


def _entries() -> list[tuple]:
    return [
        (e.given_on, e.channel, e.district_id, e.given, tuple(t.code for t in e.topics.all()))
        for e in AdviceEntry.objects.prefetch_related("topics").order_by("given_on", "created_at", "pk")
    ]


@time_machine.travel(DAY, tick=False)
def test_a_year_of_advice_across_channels_districts_and_topics_once():
    from django.utils import timezone

    demo_staff_seed()
    counts = demo_advice_seed()
    today = timezone.localdate()
    assert counts["created"] and counts["entries"] > 1000  # about 15 teams × 260 working days × 0.5
    assert all(counts["by_channel"].values()), counts["by_channel"]
    assert counts["districts"] == District.objects.count()
    span = AdviceEntry.objects.aggregate(first=Min("given_on"), last=Max("given_on"))
    assert span["first"] <= today - timedelta(days=360) and span["last"] < today
    assert AdviceEntry.objects.values("topics").distinct().count() >= 12
    assert (
        AdviceEntry.objects.filter(channel="outreach").exclude(partner_session="").count()
        == counts["by_channel"]["outreach"]
    )
    assert not AdviceEntry.objects.filter(given="signposted", signposted_to="").exists()
    assert AuditEvent.objects.filter(action="advice.recorded").count() == counts["entries"]
    assert "Demo advice log:" in demo_advice_summary(counts)

    again = demo_advice_seed()
    assert not again["created"] and again["entries"] == counts["entries"]


@time_machine.travel(DAY, tick=False)
def test_the_same_seed_and_day_give_the_same_advice():
    demo_staff_seed()
    demo_advice_seed(days=30)
    first = _entries()
    AdviceEntry.objects.all().delete()
    demo_advice_seed(days=30)
    assert first and _entries() == first
