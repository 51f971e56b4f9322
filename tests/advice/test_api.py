"""The advice log in the API: scoped lists, recording through the service, bad input as a JSON 400."""

import pytest
from django.urls import reverse
from django.utils import timezone

from advice.models import AdviceEntry
from tests.api.conftest import client_for
from tests.referrals.factories import allocated_referral

from .factories import advice_entry

pytestmark = pytest.mark.django_db


def _body(cast, **overrides):
    body = {
        "given_on": timezone.localdate().isoformat(),
        "channel": "outreach",
        "partner_session": "rhyme_time",
        "district": cast.team.base.district.slug,
        "topics": ["speech_language", "social_networks"],
        "given": "signposted",
        "signposted_to": "Bounce and Rhyme, Thetford Library",
    }
    body.update(overrides)
    return body


def test_recording_advice(cast):
    response = client_for(cast.worker).post(reverse("api-advice-list"), _body(cast), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["topics"] == ["speech_language", "social_networks"] and body["family"] is None
    assert AdviceEntry.objects.get().team == cast.team


def test_bad_input_names_the_field(cast):
    body = _body(cast, outward_postcode="NR30 1AB", signposted_to="")
    response = client_for(cast.worker).post(reverse("api-advice-list"), body, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "outward_postcode" in fields and "signposted_to" in fields
    assert not AdviceEntry.objects.exists()


def test_another_teams_family_is_refused_as_not_found(cast):
    theirs = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker).family
    response = client_for(cast.worker).post(
        reverse("api-advice-list"), _body(cast, family=theirs.reference), format="json"
    )
    assert response.status_code == 400 and "family" in response.json()["error"]["fields"]


def test_a_family_is_named_only_to_those_who_may_see_it(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    advice_entry(actor=cast.worker, family=family)
    mine = client_for(cast.worker).get(reverse("api-advice-list")).json()["results"][0]
    colleagues = client_for(cast.colleague).get(reverse("api-advice-list")).json()["results"][0]
    assert mine["family"] == family.reference
    assert colleagues["family"] is None and colleagues["family_known"] is True


def test_the_list_filters_by_channel(cast):
    advice_entry(actor=cast.worker, channel="email")
    advice_entry(actor=cast.worker, channel="phone_line")
    results = client_for(cast.worker).get(reverse("api-advice-list"), {"channel": "email"}).json()["results"]
    assert [r["channel"] for r in results] == ["email"]
