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
