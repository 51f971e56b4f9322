"""The partnership API (#20 items 1 and 2): read and record meetings and onward referrals, scoped like the family
(another worker's family's meeting or referral is 404)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from partnership.models import MeetingAction, OnwardReferral, TafMeeting

from .factories import agency, family_with_agencies, meeting_on, onward_referral_on

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def family(cast):
    with time_machine.travel(datetime(2026, 2, 2, 10, 0, tzinfo=LONDON), tick=False):
        return family_with_agencies(cast)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_worker_records_a_meeting_through_the_api(cast, family):
    health, housing = agency(family, "health_visiting"), agency(family, "housing")
    response = api(cast.worker).post(
        "/api/taf-meetings/",
        {
            "family": family.reference,
            "held_on": TODAY.isoformat(),
            "decisions": "Speech review; damp inspection.",
            "workers": [cast.worker.email],
            "professionals": [str(health.uuid), str(housing.uuid)],
            "lead_professional": str(health.uuid),
            "next_meeting_on": (TODAY + timedelta(weeks=6)).isoformat(),
            "shared_with_agencies": True,
            "actions": [
                {"description": "Book the review", "owner": "professional", "owner_professional": str(health.uuid),
                 "due_on": (TODAY + timedelta(days=14)).isoformat()},
                {"description": "Inspect the flat", "owner": "professional", "owner_professional": str(housing.uuid),
                 "due_on": (TODAY + timedelta(days=21)).isoformat()},
            ],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["family"] == family.reference and body["workers"] == ["Mandy Robinson"]
    assert body["lead_professional"] == "Jo Health (Health visiting)"
    assert [(a["agency"], a["owner_name"], a["plan"]) for a in body["actions"]] == [
        ("Health visiting", "Jo Health", None),
        ("Housing", "Sam Homes", None),
    ]
    meeting = TafMeeting.objects.get(uuid=body["uuid"])
    assert meeting.actions.count() == 2
    assert api(cast.worker).get(f"/api/taf-meetings/{meeting.uuid}/").json()["uuid"] == str(meeting.uuid)
    assert [m["uuid"] for m in api(cast.manager).get("/api/taf-meetings/").json()["results"]] == [str(meeting.uuid)]


def test_a_bad_meeting_is_a_400_naming_the_field_and_saves_nothing(cast, family):
    health = agency(family, "health_visiting")
    response = api(cast.worker).post(
        "/api/taf-meetings/",
        {
            "family": family.reference,
            "held_on": TODAY.isoformat(),
            "decisions": "x",
            "professionals": [str(health.uuid)],
            "actions": [{"description": "Too early", "owner": "professional", "owner_professional": str(health.uuid),
                         "due_on": (TODAY - timedelta(days=1)).isoformat()}],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"actions": ["Action 1 must be due on or after the meeting"]}
    assert not TafMeeting.objects.exists() and not MeetingAction.objects.exists()


def test_a_meeting_sent_twice_is_a_400_naming_the_date(cast, family):
    body = {"family": family.reference, "held_on": TODAY.isoformat(), "decisions": "x", "workers": [cast.worker.email]}
    assert api(cast.worker).post("/api/taf-meetings/", body, format="json").status_code == 201
    response = api(cast.worker).post("/api/taf-meetings/", body, format="json")
    assert response.status_code == 400
    assert "is already recorded" in response.json()["error"]["fields"]["held_on"][0]
    assert TafMeeting.objects.count() == 1


def test_an_onward_referral_through_the_api(cast, family):
    response = api(cast.worker).post(
        "/api/onward-referrals/",
        {
            "family": family.reference,
            "agency": "portage",
            "organisation": "Norfolk Portage",
            "reason": "Developmental delay",
            "referred_on": TODAY.isoformat(),
            "consent_confirmed": True,
            "outcome_expected_by": (TODAY + timedelta(weeks=4)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["agency"], response.json()["outcome"]) == ("portage", "")
    refused = api(cast.worker).post(
        "/api/onward-referrals/",
        {**response.json(), "family": family.reference, "consent_confirmed": False},
        format="json",
    )
    assert refused.status_code == 400 and "consent_confirmed" in refused.json()["error"]["fields"]
    assert OnwardReferral.objects.count() == 1


def test_another_workers_familys_meeting_and_referral_are_404_in_the_api(cast, family):
    meeting = meeting_on(family, cast.worker)
    referral = onward_referral_on(family, cast.worker)
    for member in ("colleague", "other_worker", "other_manager"):
        client = api(getattr(cast, member))
        assert client.get(f"/api/taf-meetings/{meeting.uuid}/").status_code == 404
        assert client.get(f"/api/onward-referrals/{referral.uuid}/").status_code == 404
        assert client.get("/api/taf-meetings/").json()["results"] == []
        assert client.get("/api/onward-referrals/").json()["results"] == []
        response = client.post(
            "/api/onward-referrals/",
            {"family": family.reference, "agency": "portage", "organisation": "x", "reason": "x",
             "referred_on": TODAY.isoformat(), "consent_confirmed": True, "outcome_expected_by": TODAY.isoformat()},
            format="json",
        )  # fmt: skip
        assert response.status_code == 400 and "family" in response.json()["error"]["fields"]
    assert OnwardReferral.objects.count() == 1
