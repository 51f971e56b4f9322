"""The session page's refusals sit on the field they are about (GOV.UK error message and summary link), in the
service's words: a date too far ahead, an over-long reason."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from venues.models import Attendance, GroupSession

from .factories import course, enrolled, family_of, parent_of, past_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def session(cast):
    return course(cast=cast, start_date=timezone.localdate() + timedelta(days=1)).sessions.get(number=1)


def _field_errors(page: str) -> list[str]:
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", message)).replace("Error:", "").strip())
        for message in re.findall(r'class="govuk-error-message">(.*?)</p>', page, re.S)
    ]


def test_a_move_too_far_ahead_is_shown_on_the_date(client, cast, session):
    far = timezone.localdate() + timedelta(days=3 * 366)
    client.force_login(cast.manager)
    response = client.post(
        reverse("group-session-detail", args=[session.uuid]),
        {
            "action": "move",
            "move-date_day": far.day,
            "move-date_month": far.month,
            "move-date_year": far.year,
            "move-start_time": "14:00",
            "move-venue": str(session.venue_id),
        },
    )
    assert response.status_code == 400
    [message] = _field_errors(response.content.decode())
    assert message.startswith("The session's date must be no more than 2 years ahead")
    assert 'href="#id_move-date' in response.content.decode()
    assert GroupSession.objects.get(pk=session.pk).starts_at == session.starts_at


def test_an_over_long_cancelling_reason_says_the_limit(client, cast, session):
    client.force_login(cast.manager)
    response = client.post(
        reverse("group-session-detail", args=[session.uuid]), {"action": "cancel", "cancel-reason": "x" * 501}
    )
    assert response.status_code == 400
    assert _field_errors(response.content.decode()) == ["The reason must be 500 characters or fewer"]
    assert GroupSession.objects.get(pk=session.pk).status != GroupSession.Status.CANCELLED


def test_a_register_ticking_someone_not_on_it_says_to_reload(client, cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    enrolled(the_course, [parent_of(family)], actor=cast.worker)
    session = past_sessions(the_course)[0]
    client.force_login(cast.manager)
    response = client.post(
        reverse("group-session-register", args=[session.uuid]), {"attended": ["00000000-0000-0000-0000-000000000000"]}
    )
    assert response.status_code == 400
    assert _field_errors(response.content.decode()) == [
        "Tick people on the register: reload the page to see who is on it"
    ]
    assert not Attendance.objects.exists()
