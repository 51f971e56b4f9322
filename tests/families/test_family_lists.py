"""The families lists page through everything they hold, and a search stays applied from page to page."""

import pytest
from django.urls import reverse

from tests.families.test_registration import register
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr("families.views.FAMILY_PAGE_SIZE", 2)


def test_registered_by_your_team_pages_through_every_family_the_team_registered(client, cast, two_per_page):
    families = [
        register(cast, parent_last_name=name, confirmed_new=True) for name in ("Abbott", "Brundle", "Cartwright")
    ]
    client.force_login(cast.worker)
    first = client.get(reverse("family-list"), {"show": "registered"}).content.decode()
    assert "Registered by your team: 3 families, most recent first" in first
    assert "Page 1 of 2" in first and "?show=registered&amp;page=2" in first
    second = client.get(reverse("family-list"), {"show": "registered", "page": 2}).content.decode()
    shown = [family.reference for family in families if family.reference in first]
    assert len(shown) == 2
    assert [family.reference for family in families if family.reference in second] == [
        family.reference for family in families if family.reference not in shown
    ]


def test_a_managers_search_of_the_bases_families_stays_applied_on_the_next_page(client, cast, two_per_page):
    for _ in range(3):
        allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    client.force_login(cast.manager)
    page = client.get(reverse("family-list"), {"q": "ECFS"}).content.decode()
    assert "3 open families" in page
    assert "?q=ECFS&amp;page=2" in page
