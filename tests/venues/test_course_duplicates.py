"""A course set up twice (a double click on "Set up course", the form sent again) is set up once: the second is
refused, saying which course is already there. The same programme at another time or venue is a new course."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from venues import services
from venues.models import GroupCourse, GroupSession

from .factories import outreach_venue, programme

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _form(cast, the_programme, start):
    return {
        "programme": str(the_programme.uuid),
        "team": str(cast.team.pk),
        "venue": str(cast.team.base.venue.pk),
        "offer_type": "targeted_referral",
        "start_date_day": start.day,
        "start_date_month": start.month,
        "start_date_year": start.year,
        "start_time": "13:30",
        "duration_minutes": "120",
        "capacity": "12",
        "facilitators": [str(cast.worker.pk)],
    }


def test_the_same_course_sent_twice_is_set_up_once(client, cast):
    the_programme = programme(sessions_count=4)
    start = timezone.localdate() + timedelta(days=7)
    client.force_login(cast.worker)
    assert client.post(reverse("group-course-new"), _form(cast, the_programme, start)).status_code == 302
    again = client.post(reverse("group-course-new"), _form(cast, the_programme, start))
    assert again.status_code == 400
    page = again.content.decode()
    assert "govuk-error-summary" in page
    assert f"This course is already set up: {the_programme.name} at {cast.team.base.venue.name}" in page
    assert GroupCourse.objects.count() == 1 and GroupSession.objects.count() == 4


def _create(cast, the_programme, *, venue=None, start_time=time(10, 0), start=None):
    return services.course_create(
        actor=cast.worker,
        programme=the_programme,
        venue=venue or cast.team.base.venue,
        team=cast.team,
        offer_type=GroupCourse.OfferType.TARGETED_OPEN,
        start_date=start or timezone.localdate() + timedelta(days=7),
        start_time=start_time,
        duration_minutes=90,
        capacity=10,
    )


def test_the_same_programme_at_another_time_or_venue_is_a_new_course(cast):
    the_programme = programme(sessions_count=4)
    _create(cast, the_programme)
    _create(cast, the_programme, start_time=time(13, 0))
    _create(cast, the_programme, venue=outreach_venue(cast.team.base.district))
    _create(cast, the_programme, start=timezone.localdate() + timedelta(days=14))
    assert GroupCourse.objects.count() == 4
    with pytest.raises(ValidationError, match="already set up"):
        _create(cast, the_programme)
    assert GroupCourse.objects.count() == 4
