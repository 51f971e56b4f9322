"""Fields a caller may not set (who recorded it, its status, its uuid, another family): sent anyway, they change
nothing. The service sets them."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Contact
from support_fund.models import Application
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_contact_sent_with_who_recorded_it_and_its_uuid_takes_neither(cast, scenario):
    family = scenario["objects"]["family"]
    chosen = uuid.uuid4()
    response = client_for(cast.worker).post(
        reverse("api-contact-list"),
        {
            "family": family.reference,
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "duration_minutes": 45,
            "mode": "home_visit",
            "notes": "Talked about the stay and play group.",
            "children_seen": [{"child": str(family.members.get(kind="child").uuid), "seen": True}],
            "uuid": str(chosen),
            "created_by": cast.manager.pk,
            "in_error_at": timezone.now().isoformat(),
            "in_error_reason": "Not mine",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(uuid=response.json()["uuid"])
    assert contact.uuid != chosen and contact.created_by == cast.worker
    assert contact.in_error_at is None and contact.in_error_reason == ""


def test_a_fund_application_sent_as_approved_and_paid_is_only_submitted(cast, scenario):
    family = scenario["objects"]["fund_family"]
    body = {"family": family.reference, "category": "food", "amount": "30.00", "justification": "Food",
            "delivery": "voucher", "goals": ["social_networks"], "status": "paid", "applicant": cast.manager.pk,
            "approved_by": cast.manager.pk, "payment_reference": "PAY-1"}  # fmt: skip
    response = client_for(cast.worker).post(reverse("api-fund-application-list"), body, format="json")
    assert response.status_code == 201, response.content
    application = Application.objects.get(uuid=response.json()["uuid"])
    assert application.status == "submitted" and application.applicant == cast.worker
    assert application.payment_reference == ""
