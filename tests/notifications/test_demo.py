"""The demo's step for messages, on a small cast (the whole demo's seed is tested in tests/devdata, slow)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from devdata.demo_notifications import demo_notifications_seed, demo_notifications_summary
from families.support import services as support_services
from notifications.models import Kind, Message
from referrals import services as referral_services
from referrals.models import Source
from tests.referrals.factories import allocated_referral, received_referral
from tests.venues.factories import group_scenario

pytestmark = pytest.mark.django_db


def test_the_demo_step_adds_the_kinds_that_need_a_familys_answer_once(cast, smtp, texts):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    support_services.visit_plan(
        family=family, actor=cast.worker, starts_at=timezone.now() + timedelta(days=3), mode="home_visit"
    )
    group_scenario(cast, family)
    for _ in range(2):
        asked = received_referral(team=cast.team, actor=cast.manager, source=Source.SELF, referrer_name="A parent")
        referral_services.referral_decide(
            referral=asked, decision="signpost", reason="community_groups", notes="Stay and play", actor=cast.manager
        )
    received_referral(team=cast.team, actor=cast.manager, received_at=timezone.now() - timedelta(days=30))

    counts = demo_notifications_seed()
    assert counts[Kind.SELF_REFERRAL_OUTCOME] == 2  # one by email, one letter to post
    assert set(Message.objects.filter(kind=Kind.SELF_REFERRAL_OUTCOME).values_list("channel", flat=True)) == {
        "email",
        "letter",
    }
    assert counts[Kind.VISIT_REMINDER] == 1 and counts[Kind.DIGEST] >= 1
    assert demo_notifications_seed() == counts  # run again: nothing more
    assert "self_referral_outcome" not in demo_notifications_summary(counts)
