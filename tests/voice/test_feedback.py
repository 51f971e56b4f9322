"""The public feedback form: no sign-in, what it keeps, what it refuses, and who reads it afterwards."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bases.models import District
from bases.selectors import managed_district_ids
from ecfs.audit.models import AuditEvent
from tests.referrals.factories import allocated_referral
from voice.models import Feedback

from .factories import feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _post(client, **overrides):
    data = {"rating": "5", "went_well": "Mandy listened.", "could_be_better": "", "reference": "", "district": ""}
    data.update(overrides)
    return client.post(reverse("feedback"), data)


def test_a_parent_leaves_feedback_without_signing_in(client):
    page = client.get(reverse("feedback"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Very good" in html and "Very poor" in html and 'name="csrfmiddlewaretoken"' in html
    assert "Your reference number (optional)" in html
    response = _post(client, could_be_better="More groups near Dereham.")
    assert response.status_code == 302 and response["Location"] == reverse("feedback-sent")
    sent = client.get(reverse("feedback-sent"))
    assert sent.status_code == 200 and "Thank you for your feedback" in sent.content.decode()
    item = Feedback.objects.get()
    assert item.rating == 5 and item.could_be_better == "More groups near Dereham."
    assert item.family is None and item.base is None and item.district is None
    assert AuditEvent.objects.filter(action="feedback.received", actor=None).count() == 1
    # The thank-you page is shown once: it says nothing on a second visit.
    assert client.get(reverse("feedback-sent")).status_code == 302


def test_the_request_for_support_pages_link_to_it(client):
    assert reverse("feedback") in client.get(reverse("request-support")).content.decode()


def test_the_confirmation_is_the_same_whether_or_not_the_reference_matched(client, cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    family = referral.family
    matched = _post(client, reference=family.reference.lower().replace("-", " "))
    unmatched = _post(client, reference="ECFS-999999")
    assert matched.status_code == unmatched.status_code == 302
    assert matched["Location"] == unmatched["Location"]
    kept = Feedback.objects.get(reference_given__iexact=family.reference.replace("-", " "))
    assert kept.family == family and kept.base == family.base and kept.district == family.district
    assert Feedback.objects.get(reference_given="ECFS-999999").family is None
    # A referral's reference finds the referral's family too.
    _post(client, reference=referral.reference)
    by_referral = Feedback.objects.get(reference_given=referral.reference)
    assert by_referral.referral == referral and by_referral.family == family and by_referral.base == family.base


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rating": ""}, "rating", "Select how good the help you had from us was"),
        ({"rating": "9"}, "rating", "Select a valid choice"),
        ({"went_well": "x" * 2001}, "went_well", "What went well must be 2,000 characters or fewer"),
        ({"reference": "x" * 21}, "reference", "The reference must be 20 characters or fewer"),
        ({"may_contact": "yes", "contact": ""}, "contact", "Enter a phone number or email address we can contact"),
        ({"may_contact": "yes", "contact": "x" * 201}, "contact", "Your contact details must be 200 characters"),
    ],
)
def test_bad_answers_get_a_clear_message_and_nothing_is_kept(client, overrides, field, message):
    response = _post(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Feedback.objects.exists()


def test_contact_details_are_kept_only_when_they_agreed(client):
    _post(client, may_contact="no", contact="07700 900123")
    _post(client, may_contact="yes", contact="kerry@example.org")
    assert list(Feedback.objects.order_by("pk").values_list("may_contact", "contact")) == [
        (False, ""),
        (True, "kerry@example.org"),
    ]


def test_the_honeypot_refuses_it(client):
    response = _post(client, website="http://spam.example")
    assert response.status_code == 400
    assert "We could not accept this form" in response.content.decode()
    assert not Feedback.objects.exists()


def test_it_is_rate_limited_per_address(client, settings):
    settings.FEEDBACK_RATE_LIMIT = "2/h"
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    response = _post(client)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert Feedback.objects.count() == 2
    assert _post(Client(REMOTE_ADDR="192.0.2.7")).status_code == 302


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert _post(client).status_code == 403
    client.get(reverse("feedback"))
    assert _post(client, csrfmiddlewaretoken=client.cookies["csrftoken"].value).status_code == 302


def test_managers_read_the_feedback_of_their_bases_and_districts(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    by_reference = feedback(reference=family.reference, rating=2, could_be_better="Visits were cancelled.")
    away = District.objects.exclude(pk__in=managed_district_ids(cast.manager)).order_by("name").first()
    by_district = feedback(district=cast.team.base.district, rating=5)
    elsewhere = feedback(district=away, rating=4)
    client.force_login(cast.manager)
    listed = client.get(reverse("voice-feedback-list")).content.decode()
    assert str(by_reference.uuid) in listed and str(by_district.uuid) in listed
    assert str(elsewhere.uuid) not in listed
    detail = client.get(reverse("voice-feedback-detail", args=[by_reference.uuid]))
    assert detail.status_code == 200 and "Visits were cancelled." in detail.content.decode()
    assert client.get(reverse("voice-feedback-detail", args=[elsewhere.uuid])).status_code == 404
    # Matched to the manager's family by its reference: it is theirs, not another manager's.
    client.force_login(cast.other_manager)
    assert client.get(reverse("voice-feedback-detail", args=[by_reference.uuid])).status_code == 404
    for member in (cast.worker, cast.commissioner, cast.admin):
        client.force_login(member)
        assert client.get(reverse("voice-feedback-list")).status_code == 403


def test_the_family_copy_of_the_plan_prints_the_feedback_address(settings, cast):
    from io import BytesIO

    from pypdf import PdfReader

    from families.support.plan_copy import plan_copy_pdf
    from families.support.selectors import plan_detail
    from tests.families.factories import active_plan

    settings.ECFS_SITE_URL = "https://ecfs.norfolk.example"
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    pdf = plan_copy_pdf(plan_detail(user=cast.worker, uuid=plan.uuid))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "https://ecfs.norfolk.example/feedback/" in text.replace("\n", "")
