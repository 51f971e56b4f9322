"""An answer the page did not offer (a stale page, a tampered form) gets the field's own message, never Django's
"Select a valid choice. … is not one of the available choices."."""

import pytest
from django.urls import reverse

from venues.models import GroupCourse

pytestmark = pytest.mark.django_db

DJANGO_DEFAULT = "is not one of the available choices"


def test_course_form_answers_not_offered(client, cast):
    client.force_login(cast.worker)
    response = client.post(
        reverse("group-course-new"),
        {"programme": "nope", "team": "x", "venue": "y", "offer_type": "zz", "facilitators": ["999999"]},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert DJANGO_DEFAULT not in page
    for message in (
        "Select the programme",
        "Select the team",
        "Select the venue",
        "Select the type of offer",
        "Select facilitators from the staff listed",
    ):
        assert message in page
    assert not GroupCourse.objects.exists()
