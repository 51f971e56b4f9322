"""Writes go through the services: good input is saved and audited, bad input is a 400 (or 409) in the
one error shape and nothing is saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from families.models import Contact, OutcomeAssessment, Person, SupportPlan
from referrals.models import Referral
from support_fund.models import Application
from tests.api.conftest import client_for
from venues.models import Attendance, Enrolment, GroupSession

pytestmark = pytest.mark.django_db


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _child(family):
    return family.members.get(kind=Person.Kind.CHILD)


def test_worker_logs_a_home_visit(cast, scenario):
    family = scenario["objects"]["family"]
    response = client_for(cast.worker).post(
        reverse("api-contact-list"),
        {
            "family": family.reference,
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "duration_minutes": 45,
            "mode": "home_visit",
            "notes": "Talked about the stay and play group.",
            "children_seen": [{"child": str(_child(family).uuid), "seen": True}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(uuid=response.json()["uuid"])
    assert contact.created_by == cast.worker and contact.children_seen.get().seen is True
    assert AuditEvent.objects.filter(action="contact.logged", object_id=str(contact.uuid)).exists()


def test_a_bad_contact_is_400_with_field_messages_and_nothing_saved(cast, scenario):
    family = scenario["objects"]["family"]
    before = Contact.objects.count()
    response = client_for(cast.worker).post(
        reverse("api-contact-list"),
        {
            "family": family.reference,
            "occurred_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "duration_minutes": 45,
            "mode": "home_visit",
            "notes": "Visit",
        },
        format="json",
    )
    error = _error(response, 400)
    assert error["code"] == "invalid"
    assert "occurred_at" in error["fields"]
    assert error["fields"]["children_seen"] == [f"Say whether {_child(family).first_name} was seen"]
    assert Contact.objects.count() == before


def test_serializer_errors_name_the_field(cast, scenario):
    response = client_for(cast.worker).post(
        reverse("api-contact-list"), {"family": scenario["family"][0], "duration_minutes": 0}, format="json"
    )
    fields = _error(response, 400)["fields"]
    assert {"occurred_at", "duration_minutes", "mode", "notes"} <= set(fields)


def test_another_teams_family_cannot_be_written_to(cast, scenario):
    before = Contact.objects.count()
    response = client_for(cast.other_worker).post(
        reverse("api-contact-list"),
        {
            "family": scenario["family"][0],
            "occurred_at": timezone.now().isoformat(),
            "duration_minutes": 10,
            "mode": "phone",
            "notes": "Call",
        },
        format="json",
    )
    assert _error(response, 400)["fields"]["family"] == ["Not found, or not one you can use."]
    assert Contact.objects.count() == before


def _referral_body(cast, **overrides):
    district = cast.team.base.district
    body = {
        "received_via": "phone",
        "source": "health_visitor",
        "referrer_name": "Jo Health",
        "reasons": ["social_networks"],
        "consent_obtained": True,
        "address_line_1": "1 High Street",
        "town": "Dereham",
        "postcode": "nr19 1aa",
        "district": district.slug,
        "locality": district.localities.order_by("name").first().name,
        "people": [
            {"kind": "parent_carer", "first_name": "Sam", "last_name": "Reed"},
            {"kind": "child", "first_name": "Ivy", "last_name": "Reed", "date_of_birth": "2024-05-01"},
        ],
    }
    body.update(overrides)
    return body


def test_worker_records_a_referral_through_the_service(cast):
    response = client_for(cast.worker).post(reverse("api-referral-list"), _referral_body(cast), format="json")
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(uuid=response.json()["uuid"])
    assert referral.recorded_by == cast.worker and referral.postcode == "NR19 1AA"
    assert referral.routed_team.base.district == cast.team.base.district
    assert response.json()["status"] == "received"


def test_how_to_reach_the_family_safely_comes_in_through_the_api(cast):
    body = _referral_body(cast, safe_contact_channel="email", contact_email="sam.reed@example.com")
    response = client_for(cast.worker).post(reverse("api-referral-list"), body, format="json")
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(uuid=response.json()["uuid"])
    assert (referral.safe_contact_channel, referral.contact_email) == ("email", "sam.reed@example.com")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"postcode": "nowhere"}, "postcode"),
        ({"reasons": []}, "reasons"),
        ({"reasons": ["not_a_determinant"]}, "reasons.0"),
        ({"people": [{"kind": "parent_carer", "first_name": "Sam", "last_name": "Reed"}]}, "people"),
        ({"people": [{"kind": "child", "first_name": "A", "last_name": "B"}]}, "people.0.date_of_birth"),
        ({"safe_contact_only": True}, "safe_contact_notes"),
        ({"district": "atlantis"}, "district"),
        ({"received_via": "partner_system"}, "received_via"),
        ({"received_via": "web_form"}, "received_via"),
        ({"safe_contact_channel": "email"}, "contact_email"),
    ],
)
def test_a_bad_referral_is_400_and_nothing_saved(cast, overrides, field):
    before = Referral.objects.count()
    response = client_for(cast.manager).post(
        reverse("api-referral-list"), _referral_body(cast, **overrides), format="json"
    )
    assert field in _error(response, 400)["fields"]
    assert Referral.objects.count() == before


def test_a_second_open_plan_of_a_kind_is_409(cast, scenario):
    plan = scenario["objects"]["plan"]
    response = client_for(cast.worker).post(
        reverse("api-plan-list"),
        {
            "family": plan.family.reference,
            "kind": "one_to_one",
            "goals": [{"determinant": "housing", "description": "A warm home"}],
        },
        format="json",
    )
    error = _error(response, 409)
    assert error["code"] == "conflict" and "already has an open" in error["message"]
    assert SupportPlan.objects.filter(family=plan.family).count() == 1


def test_start_scores_are_recorded_and_checked(cast, scenario):
    plan = scenario["objects"]["plan"]
    url = reverse("api-plan-outcomes", args=[plan.uuid])
    client = client_for(cast.worker)
    today = timezone.localdate().isoformat()
    missing = client.post(
        url, {"stage": "start", "assessed_on": today, "scores": [{"determinant": "social_networks", "score": 4}]}
    )
    assert _error(missing, 400)["fields"]
    assert not OutcomeAssessment.objects.filter(plan=plan).exists()
    scores = [{"determinant": g.determinant.code, "score": 4} for g in plan.goals.all()]
    response = client.post(url, {"stage": "start", "assessed_on": today, "scores": scores}, format="json")
    assert response.status_code == 201, response.content
    assert client.get(url).json()[0]["stage"] == "start"


def test_fund_application_through_the_service(cast, scenario):
    family = scenario["objects"]["fund_family"]
    client = client_for(cast.worker)
    body = {"family": family.reference, "category": "food", "amount": "30.00", "justification": "Food",
            "delivery": "voucher", "goals": ["social_networks"]}  # fmt: skip
    response = client.post(reverse("api-fund-application-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted" and response.json()["goals"] == ["social_networks"]
    before = Application.objects.count()
    bad = client.post(reverse("api-fund-application-list"), {**body, "amount": "0", "delivery": "x"}, format="json")
    assert {"amount", "delivery"} <= set(_error(bad, 400)["fields"])
    assert Application.objects.count() == before


def test_a_family_member_with_bad_dates_is_400(cast, scenario):
    before = Person.objects.count()
    response = client_for(cast.worker).post(
        reverse("api-person-list"),
        {"family": scenario["family"][0], "kind": "unborn", "first_name": "Baby", "last_name": "Howes"},
        format="json",
    )
    assert "expected_date" in _error(response, 400)["fields"]
    assert Person.objects.count() == before


def test_register_is_taken_through_the_service(cast, scenario):
    session = GroupSession.objects.get(uuid=scenario["group_session"][0])
    enrolment = Enrolment.objects.get(course=session.course)
    url = reverse("api-session-register", args=[session.uuid])
    response = client_for(cast.manager).post(url, {"attended": [str(enrolment.uuid)]}, format="json")
    assert response.status_code == 200, response.content
    assert Attendance.objects.get(session=session, enrolment=enrolment).attended is True
    assert response.json()["lines"][0]["attended"] is True
    # Once taken, the register is corrected with a reason.
    no_reason = client_for(cast.manager).post(url, {"attended": []}, format="json")
    assert "reason" in _error(no_reason, 400)["fields"]
    unknown = client_for(cast.manager).post(
        url, {"attended": ["00000000-0000-0000-0000-000000000000"], "reason": "Wrong person"}, format="json"
    )
    assert _error(unknown, 409)["code"] == "conflict"
    corrected = client_for(cast.manager).post(url, {"attended": [], "reason": "Marked the wrong box"}, format="json")
    assert corrected.status_code == 200, corrected.content
    assert Attendance.objects.get(session=session, enrolment=enrolment).attended is False
    # The course's facilitator did not take it, so may read it but not correct it.
    refused = client_for(cast.worker).post(url, {"attended": [str(enrolment.uuid)], "reason": "No"}, format="json")
    assert refused.status_code == 403
    assert Attendance.objects.get(session=session, enrolment=enrolment).attended is False
    (amendment,) = corrected.json()["amendments"]
    assert amendment["reason"] == "Marked the wrong box" and amendment["who"] == cast.manager.get_full_name()
    assert [(c["old"], c["new"]) for c in amendment["changes"]] == [("attended", "absent")]


def test_detail_views_are_audited(cast, scenario):
    client_for(cast.manager).get(reverse("api-family-detail", args=scenario["family"]))
    assert AuditEvent.objects.filter(action="viewed", actor=cast.manager, family=scenario["objects"]["family"]).exists()
