"""The demo's community groups, connections and grants (#19 item 7): made once, in every state, through the
services, deterministic. Built on the demo staff and a few of their families (not the whole demo: quicker)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bases.models import Team
from community.models import CommunityGroup, Connection, GrantApplication, GrantBudget
from devdata.demo import DEMO_EMAIL_DOMAIN, demo_staff_seed
from devdata.demo_community import GROUPS, demo_community_seed, demo_community_summary
from ecfs.roles import Role, group_name
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def demo_world(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    demo_staff_seed()
    teams = Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").order_by("name")
    with time_machine.travel(timezone.now() - timedelta(days=120), tick=False):
        for team in teams:
            workers = team.members.filter(user__groups__name=group_name(Role.WORKER)).order_by("user__email")
            for profile in workers[:2]:
                allocated_referral(team=team, manager=team.manager, worker=profile.user)


def test_the_demo_has_groups_across_the_districts_connections_and_grants_in_every_state(demo_world):
    counts = demo_community_seed()

    assert counts["created"] and counts["groups"] == GROUPS == CommunityGroup.objects.count()
    assert counts["districts"] == 7
    kinds = set(CommunityGroup.objects.values_list("kind", flat=True))
    assert {
        "stay_and_play",
        "toddler_group",
        "baby_bank",
        "parent_peer_support",
        "breastfeeding",
        "rhyme_time",
    } <= kinds
    assert Connection.objects.exists() and Connection.objects.exclude(outcome="pending").exists()
    assert set(GrantApplication.objects.values_list("status", flat=True)) == set(GrantApplication.Status.values)
    budget = GrantBudget.objects.get()
    assert budget.committed_amount <= budget.total_amount and budget.paid_amount <= budget.committed_amount
    assert "community grants" in demo_community_summary(counts)

    again = demo_community_seed()
    assert not again["created"] and again["groups"] == GROUPS
