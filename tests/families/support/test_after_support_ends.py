"""Once a family's support has ended, the lead worker still sees it for the six-month follow-up, but no new plan
starts: a referral brings the family back into support."""

import pytest
from django.urls import reverse

from families.models import Determinant, SupportPlan
from tests.families.factories import closed_plan
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_no_new_plan_starts_for_a_family_whose_support_has_ended(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    family.refresh_from_db()
    assert family.status == "closed"
    client.force_login(cast.worker)
    record = client.get(reverse("family-detail", args=[family.reference]))
    assert record.status_code == 200  # still seen: the follow-up is due
    assert reverse("plan-new", args=[family.reference]) not in record.content.decode()
    response = client.post(
        reverse("plan-new", args=[family.reference]),
        {
            "kind": "group",
            "review_interval_weeks": 8,
            "goal_1_determinant": Determinant.objects.get(code="social_networks").pk,
            "goal_1_description": "Go to a group every week",
        },
    )
    assert response.status_code == 400
    assert f"Support for {family.reference} has ended, so no new plan can start" in response.content.decode()
    assert SupportPlan.objects.filter(family=family).count() == 1
