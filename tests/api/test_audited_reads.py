"""Reading a complaint or an advice entry about a family through the API is in that family's audit trail, as
reading it on its page is; one about no family the caller may see is in none."""

import pytest
from django.urls import reverse

from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from tests.advice.factories import advice_entry
from tests.api.conftest import client_for
from tests.referrals.factories import allocated_referral, received_referral
from tests.voice.factories import complaint

pytestmark = pytest.mark.django_db


def _views(family=None):
    return AuditEvent.objects.filter(action=AuditAction.VIEWED, family=family)


def test_an_advice_entry_about_a_family_read_through_the_api_is_audited(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    named = advice_entry(actor=cast.worker, family=family)
    anonymous = advice_entry(actor=cast.worker)
    api = client_for(cast.worker)
    assert api.get(reverse("api-advice-detail", args=[named.uuid])).status_code == 200
    event = _views(family).get()
    assert (event.actor, event.summary, event.object_id) == (
        cast.worker,
        "Viewed an advice entry (API)",
        str(named.uuid),
    )
    assert api.get(reverse("api-advice-detail", args=[anonymous.uuid])).status_code == 200
    assert _views().filter(object_type="advice_entry").count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED).count() == 1


def test_a_complaint_about_a_family_read_through_the_api_is_audited(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    about_family = complaint(actor=cast.manager, family=family)
    about_the_service = complaint(actor=cast.manager)
    api = client_for(cast.manager)
    assert api.get(reverse("api-complaints-detail", args=[about_family.uuid])).status_code == 200
    event = _views(family).get()
    assert (event.actor, event.summary) == (cast.manager, "Viewed a complaint (API)")
    assert api.get(reverse("api-complaints-detail", args=[about_the_service.uuid])).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED).count() == 1


def test_reading_a_referral_on_its_page_or_through_the_api_is_audited_before_and_after_triage(client, cast):
    referral = received_referral(team=cast.team, actor=cast.worker)  # no family yet
    client.force_login(cast.manager)
    assert client.get(reverse("referral-detail", args=[referral.uuid])).status_code == 200
    assert client_for(cast.manager).get(reverse("api-referral-detail", args=[referral.uuid])).status_code == 200
    before = AuditEvent.objects.filter(action=AuditAction.VIEWED, object_id=str(referral.uuid))
    assert sorted(before.values_list("summary", flat=True)) == ["Viewed a referral", "Viewed a referral (API)"]
    assert not before.exclude(family=None).exists()
    allocated = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    assert client_for(cast.worker).get(reverse("api-referral-detail", args=[allocated.uuid])).status_code == 200
    assert _views(allocated.family).get().summary == "Viewed a referral (API)"


def test_reading_a_person_through_the_api_is_in_the_familys_trail(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    child = family.members.filter(kind="child").first() or family.members.first()
    assert client_for(cast.worker).get(reverse("api-person-detail", args=[child.uuid])).status_code == 200
    assert _views(family).get().summary == "Viewed a person (API)"
