"""The figures on the manager's landing page count everything awaiting them, not the first screenful."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import SupportPlan
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_every_plan_with_an_overdue_review_is_counted(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    overdue = timezone.localdate() - timedelta(days=3)
    SupportPlan.objects.filter(pk=plan.pk).update(next_review_due=overdue)
    # Only the count matters here: 24 more active plans on the family, each with its review overdue.
    SupportPlan.objects.bulk_create(
        SupportPlan(
            family=family,
            kind=SupportPlan.Kind.GROUP,
            status=SupportPlan.Status.ACTIVE,
            worker=cast.worker,
            created_by=cast.worker,
            activated_at=timezone.now(),
            next_review_due=overdue,
        )
        for _ in range(24)
    )
    client.force_login(cast.manager)
    assert "25 plans with an overdue review" in client.get(reverse("home")).content.decode()
