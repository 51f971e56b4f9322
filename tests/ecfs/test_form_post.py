"""The form pages' one POST loop (``ecfs.view_helpers.form_post``): a POST is always validated.

A POST with an empty body used to leave the form unbound (``request.POST or None`` is falsy), so the page
answered 400 with no message at all; now it shows the required-field messages, and saves nothing.
"""

import re

import pytest
from django.db.models import Max
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from families.models import Contact, Family, Review
from referrals.models import Referral
from reporting.models import ReturnRequest
from support_fund.models import Application
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral
from tests.support_fund.factories import family_in_support
from venues.models import GroupCourse

pytestmark = pytest.mark.django_db


def _family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _plan(cast):
    return active_plan(family=_family(cast), worker=cast.worker, manager=cast.manager)


# page → (who posts, the URL's arguments built from the cast)
PAGES = {
    "referral-new": ("worker", lambda cast: []),
    "family-edit": ("worker", lambda cast: [_family(cast).reference]),
    "plan-review": ("worker", lambda cast: [_plan(cast).uuid]),
    "contact-new": ("worker", lambda cast: [_family(cast).reference]),
    "fund-apply": ("worker", lambda cast: [family_in_support(cast).reference]),
    "group-course-new": ("worker", lambda cast: []),
    "return-list": ("manager", lambda cast: []),
}


def _saved():
    """What a successful POST on any of these pages would change."""
    return (
        Referral.objects.count(),
        Family.objects.aggregate(Max("modified_at")),
        Review.objects.count(),
        Contact.objects.count(),
        Application.objects.count(),
        GroupCourse.objects.count(),
        ReturnRequest.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", PAGES)
def test_an_empty_post_shows_the_required_field_messages_and_saves_nothing(client, cast, name):
    who, args = PAGES[name]
    url = reverse(name, args=args(cast))
    client.force_login(getattr(cast, who))
    before = _saved()
    response = client.post(url, {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert summary and "<li>" in summary.group(1), "the error summary lists no message"
    assert _saved() == before


def test_an_invalid_referral_intake_answers_400_like_every_other_form(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("referral-new"), {"child_first_name": "Ava"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
