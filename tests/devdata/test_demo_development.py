"""The demo's child development evidence (#20 item 5): 2-year reviews for most children old enough, some with an
earlier ASQ-3, some EYFS results; through the service, once, deterministic. Built on the demo staff and a few of
their families (not the whole demo: quicker)."""

from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from bases.models import Team
from devdata.demo import DEMO_EMAIL_DOMAIN, demo_staff_seed
from devdata.demo_development import demo_development_seed, demo_development_summary
from development.models import DevelopmentReview
from ecfs.roles import Role, group_name
from families.models import Person
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
            for profile in workers[:3]:
                allocated_referral(team=team, manager=team.manager, worker=profile.user)
    today = timezone.localdate()
    children = list(Person.objects.filter(kind="child").order_by("pk"))
    # Ages from 2½ to nearly 6, so that most children are old enough for the 2-year review and some for EYFS.
    for index, child in enumerate(children):
        child.date_of_birth = today - relativedelta(years=2, months=6 + index % 41)
        child.save(update_fields=["date_of_birth"])
    return children


def test_the_demo_has_two_year_reviews_some_with_an_earlier_one_and_eyfs_results(demo_world):
    counts = demo_development_seed()

    assert counts["created"]
    reviewed = counts["children"]
    assert 0.55 * len(demo_world) <= reviewed <= 0.95 * len(demo_world)  # a realistic share, not every child
    assert counts["by_kind"]["two_year"] == reviewed and counts["children_with_two"] >= 1
    assert counts["by_kind"]["asq"] == counts["children_with_two"]
    assert counts["by_kind"]["eyfs"] >= 1
    levels = set(DevelopmentReview.objects.exclude(kind="eyfs").values_list("communication", flat=True))
    assert levels == {"above", "close", "below"}
    assert DevelopmentReview.objects.filter(kind="eyfs", good_level_of_development=False).exists() or (
        counts["by_kind"]["eyfs"] < 3
    )
    assert "2-year reviews" in demo_development_summary(counts)

    again = demo_development_seed()
    assert not again["created"] and again["by_kind"] == counts["by_kind"]
