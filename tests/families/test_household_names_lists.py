"""Who is in a family, beside its reference on the lists where people look for it (issue #17 item 2), and only for
those who may see the family: a restricted family someone is not named on shows as "A family with a restricted
record" and nothing else."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Family, SupportPlan
from families.names import RESTRICTED_FAMILY_LABEL
from tests.families.factories import active_plan
from tests.families.test_search import family
from tests.venues.factories import course, enrolled, family_of, parent_of, past_sessions

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


def test_a_register_names_each_person_with_their_family_unless_restricted_from_the_facilitator(client, cast):
    howes, marsh = family_of(cast), family_of(cast, last_name="Marsh")
    the_course = course(cast=cast)
    enrolled(the_course, [parent_of(howes), parent_of(marsh)], actor=cast.worker)
    Family.objects.filter(pk=marsh.pk).update(restricted=True)
    marsh.restricted_to.add(cast.manager)
    session = past_sessions(the_course)[0]
    client.force_login(cast.worker)
    page = client.get(reverse("group-session-register", args=[session.uuid])).content.decode()
    ticks = [" ".join(label.split()) for label in re.findall(r'checkboxes__label"[^>]*>(.*?)</label>', page, re.S)]
    assert ticks == [f"{parent_of(howes).full_name} ({howes.reference})", RESTRICTED_FAMILY_LABEL]
