"""The same record sent twice (a double click, a resubmitted form) is refused with a message, not saved twice."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Assessment, Contact, ParentProgress, PlanAction, PlannedVisit
from tests.families.factories import active_plan
from tests.families.support.test_support import _date, contact_data
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _twice(client, url, data):
    first = client.post(url, data)
    assert first.status_code == 302
    return client.post(url, data)


def test_the_same_contact_twice_is_refused(client, cast, family):
    client.force_login(cast.worker)
    data = contact_data(family)
    second = _twice(client, reverse("contact-new", args=[family.reference]), data)
    assert second.status_code == 400
    assert "You have already recorded a home visit with this family at" in second.content.decode()
    assert Contact.objects.count() == 1
    # A co-worker on the same visit records their own contact.
    client.force_login(cast.manager)
    assert client.post(reverse("contact-new", args=[family.reference]), data).status_code == 302
    assert Contact.objects.count() == 2


def test_a_contact_recorded_in_error_does_not_block_recording_it_again(client, cast, family):
    client.force_login(cast.worker)
    data = contact_data(family)
    client.post(reverse("contact-new", args=[family.reference]), data)
    Contact.objects.update(in_error_at=timezone.now(), in_error_by=cast.worker, in_error_reason="wrong family")
    assert client.post(reverse("contact-new", args=[family.reference]), data).status_code == 302


def test_the_same_planned_visit_twice_is_refused(client, cast, family):
    client.force_login(cast.worker)
    data = {**_date("on", timezone.localdate() + timedelta(days=3)), "time": "10:00", "mode": "home_visit"}
    second = _twice(client, reverse("visit-new", args=[family.reference]), data)
    assert second.status_code == 400
    assert "You already have a visit with this family planned at 10:00" in second.content.decode()
    assert PlannedVisit.objects.count() == 1


def test_the_same_parent_progress_twice_is_refused_and_the_banner_says_what_was_recorded(client, cast, family):
    client.force_login(cast.worker)
    parent = family.members.filter(kind="parent_carer").first()
    data = {"person": parent.pk, "kind": "work", **_date("started_on", timezone.localdate())}
    url = reverse("parent-progress", args=[family.reference])
    first = client.post(url, data, follow=True)
    assert f"Recorded: {parent.full_name} started work on {timezone.localdate():%-d %B %Y}." in first.content.decode()
    second = client.post(url, data)
    assert second.status_code == 400
    assert "is already recorded" in second.content.decode()
    assert ParentProgress.objects.count() == 1


def test_the_same_plan_action_twice_is_refused(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    client.force_login(cast.worker)
    due = timezone.localdate() + timedelta(days=7)
    data = {"description": "Ring the nursery", "owner": "worker", **_date("due_on", due)}
    second = _twice(client, reverse("plan-action-add", args=[plan.uuid]), data)
    assert second.status_code == 400
    assert "This action is already on the plan" in second.content.decode()
    assert PlanAction.objects.count() == 1


def test_starting_the_assessment_twice_starts_one_and_shows_it(client, cast, family):
    client.force_login(cast.worker)
    url = reverse("family-assessment", args=[family.reference])
    assert client.post(url, {"start": ""}).status_code == 302
    second = client.post(url, {"start": ""})
    assert second.status_code == 302 and second.url == url
    assert Assessment.objects.count() == 1
