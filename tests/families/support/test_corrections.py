"""Issue #17 item 3: correcting what was recorded keeps what was there, with the reason; a contact on the wrong
family is marked recorded in error (never deleted) and leaves lists and returns."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from families.models import Contact, Person
from families.support.services import corrections
from reporting.figures import computed_figures
from reporting.periods import MONTHLY, period_containing
from tests.families.factories import home_visit
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def _midday():
    """A fixed day: the family is referred at 09:00 and the visit is at 11:00, corrected to 10:30."""
    with time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=True) as clock:
        yield clock


@pytest.fixture
def family(cast, _midday):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    _midday.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Europe/London")))
    return family


def _amend_data(contact, **overrides):
    when = timezone.localtime(contact.occurred_at)
    data = {
        "occurred_on_day": when.day,
        "occurred_on_month": when.month,
        "occurred_on_year": when.year,
        "time": when.strftime("%H:%M"),
        "duration_minutes": contact.duration_minutes,
        "notes": contact.notes,
        "next_steps": contact.next_steps,
        "reason": "Wrong date",
    }
    data.update(overrides)
    return data


def test_the_author_corrects_a_contacts_date_and_the_original_is_kept_and_shown(client, cast, family):
    contact = home_visit(family=family, worker=cast.worker)
    original = contact.occurred_at
    client.force_login(cast.worker)
    response = client.post(reverse("contact-amend", args=[contact.uuid]), _amend_data(contact, time="10:30"))
    assert response.status_code == 302, response.content.decode()[:3000]
    contact.refresh_from_db()
    assert timezone.localtime(contact.occurred_at).strftime("%H:%M") == "10:30"
    history = list(contact.history.order_by("history_date"))
    assert [h.occurred_at for h in history] == [original, contact.occurred_at]
    assert history[-1].history_change_reason == "Wrong date" and history[-1].history_user == cast.worker
    page = client.get(reverse("contact-detail", args=[contact.uuid])).content.decode()
    assert "Amended on 10 Jun 2026 by Mandy Robinson: Wrong date" in page
    assert "What was there before" in page
    assert AuditEvent.objects.filter(action="contact.amended", object_id=str(contact.uuid)).count() == 1


def test_a_correction_needs_a_reason_and_a_change_and_saves_nothing_otherwise(client, cast, family):
    contact = home_visit(family=family, worker=cast.worker)
    client.force_login(cast.worker)
    url = reverse("contact-amend", args=[contact.uuid])
    no_reason = client.post(url, _amend_data(contact, notes="Changed", reason=""))
    assert no_reason.status_code == 400 and "Say why the record is being corrected" in no_reason.content.decode()
    unchanged = client.post(url, _amend_data(contact))
    assert unchanged.status_code == 400 and "Nothing was changed" in unchanged.content.decode()
    future = timezone.localdate() + timedelta(days=3)
    in_future = client.post(
        url,
        _amend_data(contact, occurred_on_day=future.day, occurred_on_month=future.month, occurred_on_year=future.year),
    )
    assert in_future.status_code == 400
    assert contact.history.count() == 1
    assert Contact.objects.get(pk=contact.pk).notes == contact.notes


def test_who_may_correct_a_contact(client, cast, family, deputy):
    contact = home_visit(family=family, worker=cast.worker)
    url = reverse("contact-amend", args=[contact.uuid])
    client.force_login(cast.manager)  # a manager of the family's base
    assert client.get(url).status_code == 200
    client.force_login(cast.other_worker)  # cannot see the family at all
    assert client.get(url).status_code == 404
    client.force_login(cast.other_manager)
    assert client.get(url).status_code == 404


def test_a_contact_recorded_in_error_leaves_lists_and_returns_but_is_kept(client, cast, family):
    contact = home_visit(family=family, worker=cast.worker, notes="Visit to the wrong family")
    referral = family.referrals.get()
    referral.refresh_from_db()
    assert referral.first_contact_at == contact.occurred_at
    month = period_containing(MONTHLY, timezone.localdate())

    def home_visits():
        figures = computed_figures(month)
        table = next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == "contacts_by_mode")
        return next(row for row in table["rows"] if row["label"] == "Home visit")["values"]["County"]

    assert home_visits() == 1
    client.force_login(cast.worker)
    response = client.post(reverse("contact-in-error", args=[contact.uuid]), {"reason": "Recorded on the wrong family"})
    assert response.status_code == 302

    contact.refresh_from_db()
    assert contact.in_error_at and contact.in_error_by == cast.worker
    assert Contact.objects.filter(pk=contact.pk).exists()  # never deleted
    assert home_visits() == 0
    family_page = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert "Visit to the wrong family" not in family_page
    referral.refresh_from_db()
    assert referral.first_contact_at is None  # the first contact is recounted without it
    detail = client.get(reverse("contact-detail", args=[contact.uuid])).content.decode()
    assert "Recorded in error" in detail and "Correct this contact" not in detail
    assert client.get(reverse("contact-amend", args=[contact.uuid])).status_code == 403


def test_a_family_members_details_are_corrected_with_the_reason_kept(client, cast, family):
    person = family.members.filter(kind="child").first()
    client.force_login(cast.worker)
    url = reverse("person-amend", args=[family.reference, person.uuid])
    dob = person.date_of_birth
    response = client.post(
        url,
        {
            "first_name": "Alfie",
            "last_name": "Hows-Smith",
            "date_of_birth_day": dob.day,
            "date_of_birth_month": dob.month,
            "date_of_birth_year": dob.year,
            "relationship": person.relationship,
            "reason": "Surname misspelt",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.last_name_key) == ("Alfie", "Hows-Smith", "howssmith")
    assert person.history.first().history_change_reason == "Surname misspelt"
    page = client.get(url).content.decode()
    assert "Surname misspelt" in page and "What was there before" in page
    client.force_login(cast.colleague)  # same team, not allocated: cannot see the family
    assert client.get(url).status_code == 404


HISTORY_KEPT = [
    ("families", "Family"),
    ("families", "Person"),
    ("families", "Assessment"),
    ("families", "SupportPlan"),
    ("families", "Goal"),
    ("families", "PlanAction"),
    ("families", "Review"),
    ("families", "GoalProgress"),
    ("families", "OutcomeAssessment"),
    ("families", "OutcomeScore"),
    ("families", "Contact"),
    ("families", "FollowUp"),
    ("families", "ParentProgress"),
    ("referrals", "Referral"),
    ("referrals", "ReferralPerson"),
    ("support_fund", "Application"),
    ("venues", "Attendance"),
]


@pytest.mark.parametrize(("app", "model"), HISTORY_KEPT)
def test_every_amendable_record_keeps_its_history(app, model):
    assert hasattr(apps.get_model(app, model), "history"), f"{app}.{model} keeps no history"


def test_saving_a_record_writes_its_history_with_who_did_it(cast, family):
    person = Person.objects.filter(family=family).first()
    before = person.history.count()
    from families.services import person_amend

    person_amend(person=person, actor=cast.worker, reason="Typo", first_name=person.first_name + "e")
    assert person.history.count() == before + 1
    assert person.history.first().history_user == cast.worker


def test_can_correct_contact_follows_the_rules(cast, family):
    contact = home_visit(family=family, worker=cast.worker)
    assert corrections.can_correct_contact(cast.worker, contact)
    assert corrections.can_correct_contact(cast.manager, contact)
    assert not corrections.can_correct_contact(cast.colleague, contact)
