"""*Send* pressed twice on the public request for support makes one referral, and both presses end on its
confirmation."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from referrals.models import Referral

from .journeys import answer_all, check_url, family_answers, professional_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _session_as_it_was(client, saved: dict) -> None:
    """Put the session back as it was before a Send: the second of two presses read it before the first saved."""
    session = client.session
    session.clear()
    session.update(saved)
    session.save()


@pytest.mark.parametrize("route", ["professional", "family"])
def test_two_sends_read_before_either_finished_make_one_referral(client, cast, route):
    answers = professional_answers(cast.team) if route == "professional" else family_answers(cast.team)
    answer_all(client, route, answers)
    before_send = dict(client.session.items())

    first = client.post(check_url(route))
    _session_as_it_was(client, before_send)
    second = client.post(check_url(route))

    referral = Referral.objects.get()
    sent = reverse("request-support-sent", args=[route])
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == sent
    assert referral.reference in client.get(sent).content.decode()


def test_a_send_after_the_first_has_finished_shows_its_confirmation(client, cast):
    answer_all(client, "professional", professional_answers(cast.team))
    client.post(check_url("professional"))
    reference = Referral.objects.get().reference

    again = client.post(check_url("professional"))
    assert again.status_code == 302 and again.url == reverse("request-support-sent", args=["professional"])
    assert reference in client.get(again.url).content.decode()
    assert Referral.objects.count() == 1


def test_the_same_answers_from_another_browser_are_another_request(client, cast):
    """Two people can refer the same family: only one browser's double press is held to one referral."""
    from django.test import Client

    answers = professional_answers(cast.team)
    answer_all(client, "professional", answers)
    client.post(check_url("professional"))
    other = Client()
    answer_all(other, "professional", answers)
    assert other.post(check_url("professional")).status_code == 302
    assert Referral.objects.count() == 2


def test_a_new_referral_from_the_same_browser_after_sending_is_taken(client, cast):
    answer_all(client, "professional", professional_answers(cast.team))
    client.post(check_url("professional"))
    answer_all(client, "professional", professional_answers(cast.team, last_name="Reed"))
    assert client.post(check_url("professional")).status_code == 302
    assert Referral.objects.count() == 2
