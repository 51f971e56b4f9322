"""Partner intake: a partner system's token sends referrals and reads back their status, nothing else."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecfs.api.models import PartnerReferral, PartnerSystem, token_hash
from ecfs.api.services import partner_system_revoke
from referrals.models import Referral
from tests.api.conftest import client_for
from tests.api.test_writes import _referral_body

pytestmark = pytest.mark.django_db


def _send(partner, cast, **overrides):
    body = _referral_body(cast, **overrides)
    body.pop("received_via")
    return client_for(token=partner.token).post(reverse("api-partner-referral-list"), body, format="json")


def test_the_command_shows_the_token_once_and_stores_only_its_hash(db):
    out = StringIO()
    call_command("create_partner_token", "Health visiting service", stdout=out)
    token = next(line for line in out.getvalue().splitlines() if line.startswith("Token: ")).removeprefix("Token: ")
    partner = PartnerSystem.objects.get(name="Health visiting service")
    assert partner.token_hash == token_hash(token) and token not in partner.token_hash
    response = client_for(token=token).get(reverse("api-partner-referral-list"))
    assert response.status_code == 200


def test_a_partner_sends_a_referral_routed_like_any_other(cast, partner):
    response = _send(partner, cast)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"uuid", "reference", "status", "received_at", "triaged_at", "closed_at"}
    referral = Referral.objects.get(uuid=body["uuid"])
    assert referral.received_via == "partner_system" and referral.recorded_by is None
    assert referral.routed_team.base.district == cast.team.base.district
    assert PartnerReferral.objects.get(referral=referral).partner == partner
    # The team manager sees it in their queue like any referral.
    assert client_for(cast.manager).get(reverse("api-referral-detail", args=[referral.uuid])).status_code == 200

    status = client_for(token=partner.token).get(reverse("api-partner-referral-detail", args=[referral.uuid]))
    assert status.status_code == 200 and status.json()["status"] == "received"


def test_a_partner_cannot_read_other_referrals(cast, scenario, partner, other_partner):
    mine = _send(partner, cast).json()["uuid"]
    theirs = _send(other_partner, cast).json()["uuid"]
    client = client_for(token=partner.token)
    assert client.get(reverse("api-partner-referral-detail", args=[theirs])).status_code == 404
    assert client.get(reverse("api-partner-referral-detail", args=scenario["referral"])).status_code == 404
    listed = client.get(reverse("api-partner-referral-list")).json()
    assert [row["uuid"] for row in listed["results"]] == [mine]


def test_a_bad_partner_referral_is_400_with_field_messages(cast, partner):
    before = Referral.objects.count()
    response = _send(partner, cast, postcode="??", people=[], reasons=["nope"])
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"postcode", "people", "reasons.0"} <= set(fields)
    assert Referral.objects.count() == before


def test_staff_cannot_use_partner_endpoints(cast):
    response = client_for(cast.manager).post(reverse("api-partner-referral-list"), {}, format="json")
    assert response.status_code == 403


def test_a_revoked_token_is_refused(cast, partner):
    partner_system_revoke(partner=partner)
    assert _send(partner, cast).status_code == 403


def test_partner_requests_are_rate_limited(cast, partner, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"partner": "3/min"}}
    client = client_for(token=partner.token)
    url = reverse("api-partner-referral-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled" and int(response["Retry-After"]) > 0
    # Another partner has its own allowance.
    other, token = __import__("ecfs.api.services", fromlist=["x"]).partner_system_create(name="GP practice")
    assert client_for(token=token).get(url).status_code == 200
