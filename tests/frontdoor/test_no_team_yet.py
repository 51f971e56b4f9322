"""A request for a place no team covers yet: the public page says what to do, not to ask a service admin."""

import pytest
from django.core.cache import cache

from bases.models import District, Team
from referrals.models import Referral

from .journeys import answer_all, check_url, family_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_place_with_no_team_yet_is_refused_in_words_for_the_public(client, cast):
    uncovered = District.objects.exclude(pk__in=Team.objects.values("base__district")).order_by("name").first()
    answers = family_answers(cast.team)
    answers["area"] = {"area": f"district-{uncovered.slug}"}
    answer_all(client, "family", answers)
    response = client.post(check_url("family"))
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html
    assert "service admin" not in html
    assert "We cannot take requests online for this area yet" in html
    assert not Referral.objects.exists()
