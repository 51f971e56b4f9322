from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Determinant, Family
from referrals.models import Referral, TriageDecision

from .factories import accepted_referral, allocated_referral, child_dob, received_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def intake_data(cast, **overrides):
    today = timezone.localdate()
    dob = child_dob()
    data = {
        "received_on_day": today.day,
        "received_on_month": today.month,
        "received_on_year": today.year,
        "received_via": "phone",
        "source": "health_visitor",
        "referrer_name": "Jo Health",
        "reasons": [Determinant.objects.get(code="speech_language").pk],
        "urgency": "routine",
        "consent_obtained": "yes",
        "parent_first_name": "Kerry",
        "parent_last_name": "Howes",
        "child_first_name": "Alfie",
        "child_last_name": "Howes",
        "child_date_day": dob.day,
        "child_date_month": dob.month,
        "child_date_year": dob.year,
        "address_line_1": "1 Quay Road",
        "town": "Swaffham",
        "postcode": "pe37 7ab",
        "district": cast.team.base.district.slug,
        "locality": cast.team.base.district.localities.first().pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_worker_records_a_referral_and_it_reaches_the_team(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("referral-new"), intake_data(cast))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.postcode == "PE37 7AB"
    assert referral.routed_team == cast.team
    assert referral.recorded_by == cast.worker
    # The worker cannot see it (not theirs yet); the team manager can.
    assert response.url == reverse("home")
    client.force_login(cast.manager)
    assert referral.reference in client.get(reverse("triage-queue")).content.decode()


def test_a_referral_taken_by_phone_records_how_it_is_safe_to_contact_the_family(client, cast):
    client.force_login(cast.worker)
    page = client.get(reverse("referral-new")).content.decode()
    assert "How is it safe to contact the family?" in page
    assert 'value="web_form"' not in page  # only the online form records its own referrals
    answers = intake_data(cast, safe_contact_channel="text", contact_phone="07700 900982")
    assert client.post(reverse("referral-new"), answers).status_code == 302
    referral = Referral.objects.get()
    assert (referral.safe_contact_channel, referral.contact_phone) == ("text", "07700 900982")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postcode": "XX"}, "Enter a real UK postcode"),
        ({"reasons": None}, "Select at least one reason for the referral"),
        ({"child_date_year": timezone.localdate().year + 1}, "must be today or in the past"),
        ({"child_date_year": timezone.localdate().year - 7}, "older than 5"),
        (
            {
                "unborn_date_day": 1,
                "unborn_date_month": (timezone.localdate() + timedelta(days=400)).month,
                "unborn_date_year": (timezone.localdate() + timedelta(days=400)).year,
            },
            "within 10 months",
        ),
        (
            {
                "child_first_name": "",
                "child_last_name": "",
                "child_date_day": "",
                "child_date_month": "",
                "child_date_year": "",
            },
            "Enter at least one child",
        ),
        ({"safe_contact_channel": "text"}, "Enter the phone number, or choose another safe way to contact"),
        ({"contact_email": "not-an-address"}, "Enter the family&#x27;s email address in the right format"),
    ],
    ids=[
        "postcode",
        "no-reason",
        "future-dob",
        "older-than-5",
        "unborn-too-far",
        "no-child",
        "text-without-a-number",
        "bad-email",
    ],
)
def test_bad_intake_shows_a_specific_message_and_saves_nothing(client, cast, overrides, message):
    client.force_login(cast.worker)
    response = client.post(reverse("referral-new"), intake_data(cast, **overrides))
    html = response.content.decode()
    assert response.status_code == 400  # like every other form (it answered 200 before #15)
    assert "govuk-error-summary" in html
    assert message in html
    assert Referral.objects.count() == 0


def test_manager_triages_links_a_duplicate_and_allocates(client, cast):
    existing = accepted_referral(team=cast.team, manager=cast.manager).family
    referral = received_referral(team=cast.team, actor=cast.worker)
    client.force_login(cast.manager)
    page = client.get(reverse("referral-detail", args=[referral.uuid])).content.decode()
    assert existing.reference in page and "Possible matches" in page
    response = client.post(
        reverse("referral-decide", args=[referral.uuid]),
        {
            "decision": "accept",
            "reason": "meets_threshold",
            "notes": "Needs support",
            "family_choice": existing.reference,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.family == existing and referral.status == Referral.Status.ACCEPTED
    assert Family.objects.count() == 1

    allocate_page = client.get(response.url).content.decode()
    assert cast.worker.get_full_name() in allocate_page
    response = client.post(response.url, {"worker": cast.worker.pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ALLOCATED


def test_decision_without_reason_is_refused_on_the_page(client, cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    client.force_login(cast.manager)
    response = client.post(reverse("referral-decide", args=[referral.uuid]), {"decision": "signpost", "notes": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select a reason for the decision" in html and "Explain the decision" in html
    assert not TriageDecision.objects.exists()


def test_accept_without_choosing_a_family_is_refused(client, cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    client.force_login(cast.manager)
    response = client.post(
        reverse("referral-decide", args=[referral.uuid]),
        {"decision": "accept", "reason": "meets_threshold", "notes": "ok"},
    )
    assert response.status_code == 400
    assert "Choose the family this referral is for" in response.content.decode()
    assert Family.objects.count() == 0


def test_illegal_transition_is_refused_with_a_clear_message(client, cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    client.force_login(cast.manager)
    response = client.post(
        reverse("referral-decide", args=[referral.uuid]),
        {"decision": "signpost", "reason": "community_groups", "notes": "x"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ALLOCATED


def test_queue_filters_and_overdue_flag(client, cast):
    fresh = received_referral(team=cast.team, actor=cast.worker)
    old = received_referral(team=cast.team, actor=cast.worker, received_at=timezone.now() - timedelta(days=14))
    urgent = received_referral(team=cast.team, actor=cast.worker, urgency="urgent")
    client.force_login(cast.manager)
    html = client.get(reverse("triage-queue"), {"overdue": "1"}).content.decode()
    assert old.reference in html and fresh.reference not in html
    assert "Triage overdue" in html
    html = client.get(reverse("triage-queue"), {"urgency": "urgent"}).content.decode()
    assert urgent.reference in html and old.reference not in html
    html = client.get(reverse("home")).content.decode()
    assert "3 referrals to triage" in html and "1 referral to triage overdue" in html


# The queue, caseload, family and landing pages' query counts are pinned in tests/test_query_pins.py.


def test_a_family_search_that_finds_nothing_shows_the_form_and_says_so(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    client.force_login(cast.manager)
    page = client.get(reverse("family-list"), {"q": "ECFS-999999"}).content.decode()
    assert 'name="q"' in page and 'value="ECFS-999999"' in page
    assert "No families match “ECFS-999999”" in page
    assert family.reference not in page
    found = client.get(reverse("family-list"), {"q": family.reference}).content.decode()
    assert f'href="{reverse("family-detail", args=[family.reference])}"' in found
