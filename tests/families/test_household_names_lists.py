"""Who is in a family, beside its reference on the lists where people look for it (issue #17 item 2), and only for
those who may see the family: a restricted family someone is not named on shows as "A family with a restricted
record" and nothing else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Family, SupportPlan
from families.names import RESTRICTED_FAMILY_LABEL
from tests.families.factories import active_plan
from tests.families.test_search import family

pytestmark = pytest.mark.django_db


def test_my_families_names_who_is_in_each_family(client, cast):
    family(cast)
    family(cast, "Lee", "Marsh")
    client.force_login(cast.worker)
    page = client.get(reverse("family-list")).content.decode()
    assert "Kerry Howes and Alfie (2)" in page and "Lee Marsh and Alfie (2)" in page


def test_my_families_does_not_name_a_restricted_family_the_worker_is_not_named_on(client, cast):
    howes, _ = family(cast)
    Family.objects.filter(pk=howes.pk).update(restricted=True)
    howes.restricted_to.add(cast.manager)
    client.force_login(cast.worker)
    page = client.get(reverse("family-list")).content.decode()
    assert RESTRICTED_FAMILY_LABEL in page and "Kerry Howes" not in page and "Alfie" not in page
    howes.restricted_to.add(cast.worker)
    page = client.get(reverse("family-list")).content.decode()
    assert "Kerry Howes and Alfie (2)" in page and RESTRICTED_FAMILY_LABEL not in page


def test_my_week_names_the_family_of_each_item(client, cast):
    howes, _ = family(cast)
    plan = active_plan(family=howes, worker=cast.worker, manager=cast.manager)
    SupportPlan.objects.filter(pk=plan.pk).update(next_review_due=timezone.localdate() + timedelta(days=2))
    client.force_login(cast.worker)
    page = client.get(reverse("my-week")).content.decode()
    assert "Plan review" in page and howes.reference in page and "Kerry Howes and Alfie (2)" in page
