"""A contact's corrected date follows the rules for recording one: a child seen on it was born by then."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from families.models import Contact
from tests.families.factories import home_visit
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


def test_a_contact_where_a_child_was_seen_cannot_be_moved_before_the_childs_birth(client, cast):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=True) as clock:
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        child = family.members.get(kind="child")
        child.date_of_birth = date(2026, 5, 1)
        child.save()
        clock.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=LONDON))
        contact = home_visit(family=family, worker=cast.worker)
        assert contact.children_seen.get().seen
        client.force_login(cast.worker)
        data = {
            "occurred_on_day": 20,
            "occurred_on_month": 4,
            "occurred_on_year": 2026,
            "time": "11:00",
            "duration_minutes": contact.duration_minutes,
            "notes": contact.notes,
            "next_steps": contact.next_steps,
            "reason": "Wrong date",
        }
        response = client.post(reverse("contact-amend", args=[contact.uuid]), data)
        assert response.status_code == 400
        assert (
            f"{child.first_name} was seen on this contact and was born on 1 May 2026: the contact cannot be before then"
            in response.content.decode()
        )
        assert Contact.objects.get().occurred_at == contact.occurred_at
        data["occurred_on_day"], data["occurred_on_month"] = 2, 5  # after the birth: corrected
        assert client.post(reverse("contact-amend", args=[contact.uuid]), data).status_code == 302
