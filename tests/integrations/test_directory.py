"""The public community directory feed: open-access and universal courses only, no personal data."""

import json
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.venues.factories import course, family_of, group_plan, outreach_venue, parent_of
from venues import services
from venues.directory import ECFS_SERVICE_ID, location_id
from venues.models import GroupCourse

pytestmark = pytest.mark.django_db

FEEDS = ("directory-services", "directory-locations", "directory-sessions")


@pytest.fixture
def hall(cast):
    venue = outreach_venue(cast.team.base.district)
    venue.address = "St Edmund's Hall\nChurch Lane\nAcle"
    venue.postcode = "NR13 3DY"
    venue.step_free_access = True
    venue.baby_changing = False
    venue.save()
    return venue


@pytest.fixture
def universal(cast, hall):
    """A universal course at the hall, starting next week."""
    return course(
        cast=cast,
        offer_type=GroupCourse.OfferType.UNIVERSAL,
        venue=hall,
        start_date=timezone.localdate() + timedelta(days=7),
    )


@pytest.fixture
def targeted(cast):
    """A targeted-by-referral course at a venue no other course uses, with a family enrolled."""
    venue = outreach_venue(cast.team.base.district)
    venue.name = "Secret Family Room"
    venue.save()
    the_course = course(cast=cast, offer_type=GroupCourse.OfferType.TARGETED_REFERRAL, venue=venue)
    family = family_of(cast)
    group_plan(family, worker=cast.worker)
    services.enrolment_create(course=the_course, person=parent_of(family), actor=cast.worker)
    return the_course


def get_json(client, name, *args, **params):
    response = client.get(reverse(name, args=args or None), params)
    return response, json.loads(response.content)


def test_a_universal_course_appears_with_its_schedule_and_location(client, universal, hall):
    response, page = get_json(client, "directory-services")

    assert response.status_code == 200
    # ECFS's own service first (tests/frontdoor/test_directory.py), then the course.
    assert page["total_items"] == 2 and page["first_page"] and page["last_page"] and not page["empty"]
    service = page["contents"][1]
    assert service["id"] == str(universal.uuid)
    assert service["name"] == universal.programme.name
    assert service["organization"]["name"] == "Norfolk Early Childhood and Family Service"
    assert service["fees"] == "free"
    assert service["eligibilitys"][0]["eligibility"] == universal.programme.target_group
    assert [s["location_id"] for s in service["service_at_locations"]] == [location_id(hall)]
    [schedule] = service["regular_schedules"]
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[universal.start_date.weekday()]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY",
        weekday,
        "10:00",
        "11:30",
    )
    assert schedule["valid_from"] == universal.start_date.isoformat()

    _, locations = get_json(client, "directory-locations")
    [location] = locations["contents"]
    assert location["id"] == location_id(hall) == "village-hall-" + hall.name.rsplit(" ", 1)[1]
    assert location["physical_addresses"][0]["postal_code"] == "NR13 3DY"
    assert location["physical_addresses"][0]["city"] == "Acle"
    assert {(a["accessibility"], a["details"]) for a in location["accessibility_for_disabilities"]} == {
        ("Step-free access", "Yes"),
        ("Baby changing", "No"),
    }

    _, detail = get_json(client, "directory-service", str(universal.uuid))
    assert detail == service


def test_a_targeted_by_referral_course_never_appears(client, universal, targeted):
    for name in FEEDS:
        _, page = get_json(client, name)
        text = json.dumps(page)
        assert str(targeted.uuid) not in text, name
        assert "Secret Family Room" not in text and "secret-family-room" not in text, name
        assert not any(session.uuid and str(session.uuid) in text for session in targeted.sessions.all()), name

    response, body = get_json(client, "directory-service", str(targeted.uuid))
    assert response.status_code == 404
    assert body["detail"] == "No such service."


def test_a_closed_course_and_cancelled_or_past_sessions_are_left_out(client, cast, universal):
    first, second = universal.sessions.order_by("number")[:2]
    services.session_cancel(session=first, actor=cast.worker, reason="Hall flooded")
    finished = course(cast=cast, offer_type=GroupCourse.OfferType.TARGETED_OPEN)  # started five weeks ago
    finished.status = GroupCourse.Status.CLOSED
    finished.save()

    _, page = get_json(client, "directory-sessions")

    ids = [session["id"] for session in page["contents"]]
    assert str(first.uuid) not in ids and ids[0] == str(second.uuid)
    assert all(session["service_id"] == str(universal.uuid) for session in page["contents"])
    assert page["contents"][0]["start"] < page["contents"][0]["end"]
    _, services_page = get_json(client, "directory-services")
    assert [s["id"] for s in services_page["contents"]] == [str(ECFS_SERVICE_ID), str(universal.uuid)]


def test_no_user_names_anywhere_in_the_feed(client, cast, universal, targeted):
    User = get_user_model()
    for n, user in enumerate(User.objects.all()):
        user.first_name, user.last_name = f"Zebedee{n}", f"Quillfeather{n}"
        user.save()
    universal.facilitators.set([cast.worker, cast.colleague])

    for name in FEEDS:
        text = get_json(client, name)[1]
        text = json.dumps(text)
        assert "Zebedee" not in text and "Quillfeather" not in text and "@example.org" not in text, name
    detail = json.dumps(get_json(client, "directory-service", str(universal.uuid))[1])
    assert "Zebedee" not in detail and "@" not in detail


@pytest.mark.parametrize("name", FEEDS)
def test_anyone_may_read_the_feed_and_caches_may_keep_it(client, universal, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}


def test_an_unknown_or_malformed_id_is_a_json_404(client, universal):
    for value in (str(uuid.uuid4()), "not-a-uuid"):
        response, body = get_json(client, "directory-service", value)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert body == {"status": 404, "detail": "No such service."}


def test_pages_follow_the_open_referral_shape(client, cast, hall):
    for _ in range(3):
        course(cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL, venue=hall)

    _, page = get_json(client, "directory-services", page=2, per_page=2)

    assert {k: v for k, v in page.items() if k != "contents"} == {
        "total_items": 4,  # ECFS's own service and the three courses
        "total_pages": 2,
        "page_number": 2,
        "size": 2,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }
    assert len(page["contents"]) == 2
    _, beyond = get_json(client, "directory-services", page=9, per_page=2)
    assert beyond["empty"] and beyond["contents"] == []
    response, body = get_json(client, "directory-services", per_page=1000)
    assert response.status_code == 400 and "per_page" in body["detail"]


def test_the_feeds_take_a_fixed_number_of_queries(client, cast, hall, django_assert_num_queries):
    for _ in range(3):
        course(cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL, venue=hall, start_date=timezone.localdate())

    # count; count of community groups (community.directory: none here, so no page of them); the page of courses
    # with programme, venue and district; their sessions with venues
    with django_assert_num_queries(4):
        client.get(reverse("directory-services"))
    # count; count of community groups' meeting places (none here); the page of venues with districts
    with django_assert_num_queries(3):
        client.get(reverse("directory-locations"))
    # count; the page of sessions with course, programme and venue
    with django_assert_num_queries(2):
        client.get(reverse("directory-sessions"))
