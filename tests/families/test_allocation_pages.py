"""Reallocating a family and adding a co-worker from the family record: what the manager is told, and no worker
joins a family whose support has ended."""

import pytest
from django.urls import reverse

from families.models import Allocation
from tests.families.factories import closed_plan
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def test_the_banner_names_the_new_lead_worker_and_the_co_worker(client, cast, family):
    client.force_login(cast.manager)
    page = client.post(
        reverse("family-reallocate", args=[family.reference]),
        {"worker": cast.colleague.pk, "reason": "Rachel is on long-term leave"},
        follow=True,
    ).content.decode()
    assert "Family reallocated: Graeme Turner is now the lead worker." in page
    page = client.post(
        reverse("family-co-worker", args=[family.reference]), {"worker": cast.worker.pk}, follow=True
    ).content.decode()
    assert f"{cast.worker.get_full_name()} added as a co-worker." in page


def test_no_worker_is_allocated_to_a_family_whose_support_has_ended(client, cast, family):
    closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    family.refresh_from_db()
    assert family.status == "closed"
    allocations = Allocation.objects.count()
    client.force_login(cast.manager)
    assert (
        reverse("family-reallocate", args=[family.reference])
        not in client.get(reverse("family-detail", args=[family.reference])).content.decode()
    )
    for url, data in (
        (reverse("family-reallocate", args=[family.reference]), {"worker": cast.colleague.pk, "reason": "Leave"}),
        (reverse("family-co-worker", args=[family.reference]), {"worker": cast.colleague.pk}),
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert f"Support for {family.reference} has ended, so no worker can be allocated" in response.content.decode()
    assert Allocation.objects.count() == allocations
