"""The demo's families' voice: feedback across every rating, complaints in every state for each demo team's base
(some overdue, so the managers' landing pages show them), twelve months of digital reach; made once, the same for
the same seed and day. Built on the demo staff only (quicker than the whole demo)."""

import pytest
import time_machine

from devdata.demo import demo_staff_seed
from devdata.demo_voice import demo_voice_seed, demo_voice_summary
from voice.models import Complaint, DigitalReach, Feedback

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_the_demo_has_feedback_complaints_in_every_state_and_a_year_of_digital_reach(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    demo_staff_seed()
    counts = demo_voice_seed()
    assert counts["created"] and counts["feedback"] == Feedback.objects.count() > 50
    assert all(counts["ratings"].values()), counts["ratings"]
    assert counts["answered"] and counts["withdrawn"] and counts["overdue"] and counts["waiting"]
    outcomes = set(Complaint.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == set(Complaint.Outcome.values)
    late = [c for c in Complaint.objects.exclude(outcome__in=("", "withdrawn")) if c.responded_on > c.response_due_on]
    assert late, "some answered after the due day"
    assert counts["digital_months"] == 12 == DigitalReach.objects.filter(web_visits__isnull=False).count()
    assert "complaints" in demo_voice_summary(counts)
    again = demo_voice_seed()
    assert not again["created"] and again["complaints"] == counts["complaints"]


@time_machine.travel("2026-11-18 08:00 +0000", tick=False)
def test_the_same_seed_and_day_make_the_same_demo(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    demo_staff_seed()
    demo_voice_seed()
    first = list(Complaint.objects.order_by("received_on", "base__name", "pk").values_list("received_on", "outcome"))
    Feedback.objects.all().delete()
    DigitalReach.history.all().delete()
    DigitalReach.objects.all().delete()
    Complaint.history.all().delete()
    Complaint.objects.all().delete()
    demo_voice_seed()
    again = list(Complaint.objects.order_by("received_on", "base__name", "pk").values_list("received_on", "outcome"))
    assert again == first
