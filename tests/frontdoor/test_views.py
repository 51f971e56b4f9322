"""The public request for support: its pages, what they refuse, and the referral *Send* makes."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from referrals.models import Referral
from tests.referrals.factories import accepted_referral

from .journeys import answer_all, check_url, family_answers, professional_answers, question_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def send(client, route):
    return client.post(check_url(route))


def test_the_start_page_needs_no_sign_in_and_names_both_routes(client):
    response = client.get(reverse("request-support"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A professional referring a family" in html and "A parent or carer asking for help" in html


def test_choosing_no_route_says_so(client):
    response = client.post(reverse("request-support"), {})
    assert response.status_code == 400
    assert "Select whether you are a professional or a parent or carer" in response.content.decode()


def test_a_professional_referral_goes_through_intake_into_the_triage_queue(client, cast):
    answer_all(client, "professional", professional_answers(cast.team))
    check = client.get(check_url("professional"))
    assert check.status_code == 200
    html = check.content.decode()
    assert "Check your answers before sending" in html and "Alfie Howes" in html and "?change=1" in html
    assert not Referral.objects.exists()  # nothing saved before Send

    response = send(client, "professional")
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("request-support-sent", args=["professional"])
    assert referral.received_via == Referral.ReceivedVia.WEB_FORM
    assert referral.source == "health_visitor" and referral.recorded_by is None
    assert referral.routed_team == cast.team
    assert referral.consent_obtained and referral.status == Referral.Status.RECEIVED
    assert referral.postcode == "NR1 3AB"
    assert referral.safe_contact_channel == "text" and referral.contact_phone == "07700 900982"
    assert referral.referrer_email == "jo.health@nhs.example"
    assert {p.first_name for p in referral.people.all()} == {"Alfie", "Kerry"}
    assert set(referral.reasons.values_list("code", flat=True)) == {"social_networks", "parental_mental_health"}
    assert referral.triage_due > referral.received_at.date()
    received = AuditEvent.objects.filter(action="referral.received", object_type="referrals.referral")
    assert received.get().actor is None

    confirmation = client.get(response.url).content.decode()
    assert referral.reference in confirmation
    assert "Alfie" not in confirmation and "Howes" not in confirmation and "Market Street" not in confirmation

    manager = Client()
    manager.force_login(cast.manager)
    queue = manager.get(reverse("triage-queue")).content.decode()
    assert referral.reference in queue


def test_the_answers_are_forgotten_after_send(client, cast):
    answer_all(client, "professional", professional_answers(cast.team))
    send(client, "professional")
    response = client.get(check_url("professional"))
    assert response.status_code == 302 and response.url == question_url("professional", "your-service")


def test_a_family_already_known_is_matched_by_the_duplicate_check(client, cast):
    known = accepted_referral(team=cast.other_team, manager=cast.other_manager)
    family = known.family
    child = family.members.get(kind="child")
    answers = professional_answers(cast.team, last_name=child.last_name, born=child.date_of_birth)
    answers["address"]["postcode"] = family.postcode
    answer_all(client, "professional", answers)
    send(client, "professional")
    referral = Referral.objects.filter(received_via="web_form").get()
    # Routed to the team holding the family, where the manager sees the match at triage.
    assert referral.routed_team == cast.other_team
    manager = Client()
    manager.force_login(cast.other_manager)
    page = manager.get(reverse("referral-detail", args=[referral.uuid])).content.decode()
    assert family.reference in page and "through the online request form" in page


def test_the_family_route_is_a_self_referral_with_its_safe_contact_answer(client, cast):
    answer_all(client, "family", family_answers(cast.team))
    send(client, "family")
    referral = Referral.objects.get()
    assert referral.source == "self" and referral.received_via == "web_form"
    assert referral.referrer_name == "Leanne Clarke" and referral.referrer_email == ""
    assert referral.safe_contact_channel == "none" and referral.contact_phone == "" and referral.safe_contact_only
    assert referral.interpreter_needed and referral.language == "Polish"
    assert referral.consent_obtained and referral.consent_to_share is False
    kinds = sorted(referral.people.values_list("kind", flat=True))
    assert kinds == ["child", "parent_carer", "unborn"]


def test_every_family_route_page_has_exit_this_page(client, cast):
    answers = family_answers(cast.team)
    for slug, data in answers.items():
        page = client.get(question_url("family", slug)).content.decode()
        assert "govuk-exit-this-page" in page and reverse("request-support-exit") in page, slug
        client.post(question_url("family", slug), data)
    assert "govuk-exit-this-page" in client.get(check_url("family")).content.decode()
    send(client, "family")
    assert "govuk-exit-this-page" in client.get(reverse("request-support-sent", args=["family"])).content.decode()
    assert "govuk-exit-this-page" not in client.get(question_url("professional", "your-service")).content.decode()


def test_exit_this_page_forgets_the_answers(client, cast, settings):
    settings.FRONTDOOR_EXIT_URL = "https://www.bbc.co.uk/weather"
    answers = family_answers(cast.team)
    client.post(question_url("family", "children"), answers["children"])
    response = client.get(reverse("request-support-exit"))
    assert response.status_code == 302 and response.url == "https://www.bbc.co.uk/weather"
    page = client.get(question_url("family", "children")).content.decode()
    assert "Maisie" not in page


def test_a_professional_without_the_familys_agreement_is_told_what_to_do_instead(client, cast):
    answers = professional_answers(cast.team)
    answers["consent"] = {"consent": "no"}
    for slug, data in answers.items():
        client.post(question_url("professional", slug), data)
    response = client.post(question_url("professional", "consent"), {"consent": "no"})
    assert response.url == reverse("request-support-consent-needed")
    assert "children's social care" in client.get(response.url).content.decode()
    assert send(client, "professional").url == reverse("request-support-consent-needed")
    assert not Referral.objects.exists()


def test_change_returns_to_check_your_answers(client, cast):
    answer_all(client, "professional", professional_answers(cast.team))
    response = client.post(question_url("professional", "urgency") + "?change=1", {"urgency": "urgent"})
    assert response.url == check_url("professional")
    assert "Urgent" in client.get(check_url("professional")).content.decode()


def test_pages_are_never_cached(client):
    response = client.get(question_url("family", "children"))
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


BAD_ANSWERS = [
    # (route, page, answers, the message)
    ("professional", "your-service", {}, "Select the service you work for"),
    ("professional", "your-service", {"source": "self"}, "Select a valid choice"),
    ("professional", "your-details", {"referrer_name": ""}, "Enter your full name"),
    ("professional", "your-details", {"referrer_email": "jo at nhs"}, "Enter an email address in the correct format"),
    ("professional", "your-details", {"referrer_phone": "call me"}, "Enter a phone number"),
    ("professional", "your-details", {"referrer_name": "x" * 151}, "Your full name must be 150 characters or fewer"),
    ("professional", "consent", {}, "Select yes if the family has agreed to this referral"),
    ("professional", "children", {}, "Enter at least one child under 5, or the due date of a baby on the way"),
    ("professional", "children", {"child_first_name": "Alfie"}, "Enter Alfie&#x27;s last name"),
    (
        "professional",
        "children",
        {
            "child_first_name": "Alfie",
            "child_last_name": "Howes",
            "child_date_day": "31",
            "child_date_month": "2",
            "child_date_year": "2025",
        },
        "must be a real date",
    ),
    (
        "professional",
        "children",
        {
            "child_first_name": "Alfie",
            "child_last_name": "Howes",
            "child_date_day": "1",
            "child_date_month": "1",
            "child_date_year": "2010",
        },
        "Alfie:",
    ),
    ("professional", "parents", {"parent_first_name": "Kerry"}, "Enter parent or carer: last name"),
    (
        "professional",
        "parents",
        {"parent_first_name": "x" * 101, "parent_last_name": "Howes"},
        "100 characters or fewer",
    ),
    ("professional", "address", {"address_line_1": "1 High St", "town": "Diss"}, "Enter the postcode"),
    (
        "professional",
        "address",
        {"address_line_1": "1 High St", "town": "Diss", "postcode": "ABC"},
        "Enter a full UK postcode",
    ),
    ("professional", "area", {}, "Select the nearest town or area"),
    ("professional", "area", {"area": "town-999999"}, "Select a town from the list"),
    ("professional", "language", {"language": "English"}, "Select yes if an interpreter is needed"),
    ("professional", "reasons", {"reason_details": "Isolated"}, "Select at least one thing the family needs help with"),
    ("professional", "reasons", {"reasons": ["housing"]}, "Describe what is happening for the family"),
    ("professional", "reasons", {"reasons": ["housing"], "reason_details": "x" * 2001}, "2,000 characters or fewer"),
    ("professional", "urgency", {}, "Select how urgent it is"),
    ("professional", "contact", {}, "Select how it is safe to contact the family"),
    ("professional", "contact", {"safe_contact_channel": "text"}, "Enter the family&#x27;s phone number"),
    ("professional", "contact", {"safe_contact_channel": "email"}, "Enter the family&#x27;s email address"),
    ("family", "children", {}, "Enter at least one child under 5, or the due date of a baby on the way"),
    ("family", "your-name", {}, "Enter your first name"),
    ("family", "address", {}, "Enter the first line of the address"),
    ("family", "area", {"area": "district-nowhere"}, "Select a town from the list"),
    ("family", "language", {"interpreter_needed": "no"}, "Enter the language you would like us to use"),
    ("family", "help", {}, "Select at least one thing you would like help with"),
    ("family", "sharing", {}, "Select yes if we can share what you tell us with people who support you"),
    ("family", "contact", {}, "Select how it is safe for us to contact you"),
    ("family", "contact", {"safe_contact_channel": "phone"}, "Enter your phone number, or choose another way"),
    (
        "family",
        "contact",
        {"safe_contact_channel": "email", "contact_email": "me@"},
        "Enter an email address in the correct format",
    ),
]


@pytest.mark.parametrize(
    ("route", "slug", "data", "message"), BAD_ANSWERS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_bad_answer_has_its_own_message_and_nothing_is_saved(client, cast, route, slug, data, message):
    response = client.post(question_url(route, slug), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert 'class="govuk-error-message"' in html
    assert not Referral.objects.exists()
    assert slug not in client.session.get("request_for_support", {}).get(route, {})


def test_the_honeypot_refuses_a_page_and_keeps_nothing(client, cast):
    answers = professional_answers(cast.team)
    response = client.post(question_url("professional", "your-service"), {**answers["your-service"], "website": "x"})
    assert response.status_code == 400
    assert "We could not accept this form" in response.content.decode()
    assert "request_for_support" not in client.session


def test_the_honeypot_refuses_send(client, cast):
    answer_all(client, "professional", professional_answers(cast.team))
    response = client.post(check_url("professional"), {"website": "http://spam.example"})
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_sends_are_rate_limited_per_address(client, cast, settings):
    settings.FRONTDOOR_SEND_RATE_LIMIT = "2/h"

    def another_family(last_name):  # the same answers again from this browser would be the same request
        answers = family_answers(cast.team)
        answers["your-name"]["parent_last_name"] = last_name
        return answers

    for last_name in ("Clarke", "Reed"):
        answer_all(client, "family", another_family(last_name))
        assert send(client, "family").status_code == 302
    answer_all(client, "family", another_family("Howes"))
    response = send(client, "family")
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "Too many requests from your connection" in response.content.decode()
    assert Referral.objects.count() == 2
    # Another address is not held back by this one.
    other = Client(REMOTE_ADDR="192.0.2.7")
    answer_all(other, "family", family_answers(cast.team))
    assert send(other, "family").status_code == 302


def test_question_pages_are_rate_limited_per_address(client, cast, settings):
    settings.FRONTDOOR_RATE_LIMIT = "3/h"
    data = family_answers(cast.team)["children"]
    for _ in range(3):
        assert client.post(question_url("family", "children"), data).status_code == 302
    response = client.post(question_url("family", "children"), data)
    assert response.status_code == 429
    assert "govuk-exit-this-page" in response.content.decode()


def test_a_post_without_the_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(question_url("family", "children"), family_answers(cast.team)["children"])
    assert response.status_code == 403
    client.get(question_url("family", "children"))
    token = client.cookies["csrftoken"].value
    data = {**family_answers(cast.team)["children"], "csrfmiddlewaretoken": token}
    assert client.post(question_url("family", "children"), data).status_code == 302


def test_an_unknown_route_or_page_is_404(client):
    assert client.get("/request-support/someone/children/").status_code == 404
    assert client.get(question_url("family", "urgency")).status_code == 404
