"""Each role's landing page, and the county pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("member", "heading", "role_label"),
    [
        ("worker", "Your work", "Family support worker"),
        ("manager", "Your teams", "Team manager"),
        ("commissioner", "County overview", "Commissioner"),
        ("admin", "Configuration", "Service admin"),
    ],
)
def test_each_role_lands_on_its_own_page(client, cast, member, heading, role_label):
    user = getattr(cast, member)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert f">{heading}<" in html
    assert role_label in html
    assert user.get_full_name() in html


def test_manager_landing_lists_only_their_team(client, cast):
    client.force_login(cast.manager)
    html = client.get(reverse("home")).content.decode()
    assert cast.worker.get_full_name() in html and cast.colleague.get_full_name() in html
    assert cast.other_worker.get_full_name() not in html


def test_venue_filter_by_district_and_role(client, cast):
    client.force_login(cast.worker)
    html = client.get(reverse("venue-list"), {"district": "norwich", "role": "base"}).content.decode()
    assert "3 venues" in html
    assert "Earlham" in html and "Swaffham" not in html
    # An unknown role is ignored rather than an error.
    assert client.get(reverse("venue-list"), {"role": "nonsense"}).status_code == 200


def test_manager_landing_counts_everything_awaiting_them_with_links_to_filtered_lists(client, cast):
    from tests.families.factories import active_plan, home_visit
    from tests.referrals.factories import allocated_referral, received_referral
    from tests.support_fund.factories import application, budget

    budget(cast, "500")
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    active_plan(family=family, worker=cast.worker, manager=cast.manager)
    home_visit(family=family, worker=cast.worker, concern=True)
    application(cast, family)
    received_referral(team=cast.team, actor=cast.worker)
    client.force_login(cast.manager)
    html = client.get(reverse("home")).content.decode()
    assert "1 referral to triage" in html
    assert "?status=received&amp;sort=due" in html
    assert "1 fund application awaiting your decision or a second approval" in html
    assert f'href="{reverse("fund-home")}"' in html
    assert "0 plans awaiting approval to start" in html and "0 plans awaiting approval to close" in html
    assert "1 safeguarding concern to action" in html
    assert "No reviews overdue" in html
