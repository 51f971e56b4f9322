"""The Open Referral UK feed: community groups as services of their own organisations, the root and taxonomies
endpoints, and every endpoint validated against the schema written from the ORUK specification."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from community.models import CommunityGroup
from tests.venues.factories import course, outreach_venue
from venues.directory import ECFS_SERVICE_ID, ORGANIZATION_NAME
from venues.models import GroupCourse

from .factories import community_group

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "community" / "oruk_schema.json").read_text())


def check(instance, definition: str) -> None:
    """Validate against one of the schema's definitions, formats (uuid, date, email, uri) checked."""
    schema = {**SCHEMA, "$ref": f"#/$defs/{definition}"}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda error: error.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def get_json(client, name, *args, **params):
    response = client.get(reverse(name, args=args or None), params)
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


@pytest.fixture
def feed(cast):
    venue = outreach_venue(cast.team.base.district)
    venue.address = "Village Hall\nAcle"
    venue.postcode = "NR13 3DY"
    venue.save()
    a_course = course(
        cast=cast,
        offer_type=GroupCourse.OfferType.UNIVERSAL,
        venue=venue,
        start_date=timezone.localdate() + timedelta(days=3),
    )
    running = community_group(cast)
    paused = community_group(cast, name="Bumps and Babies", status="paused", organisation_website="", contact_email="")
    closed = community_group(cast, name="Old Club", status="closed")
    return a_course, running, paused, closed


def test_the_root_says_which_version_and_profile_it_follows(client):
    response, body = get_json(client, "directory-root")

    assert response.status_code == 200
    check(body, "api_info")
    assert body["version"] == "3.0"
    assert body["endpoints"]["directory-taxonomies"].endswith("/directory/taxonomies/")


def test_community_groups_are_services_of_their_own_organisations(client, feed):
    a_course, running, paused, closed = feed
    _, page = get_json(client, "directory-services")

    check(page, "page")
    by_id = {service["id"]: service for service in page["contents"]}
    for service in page["contents"]:
        check(service, "service")
    assert set(by_id) == {str(ECFS_SERVICE_ID), str(a_course.uuid), str(running.uuid), str(paused.uuid)}
    group = by_id[str(running.uuid)]
    assert group["organization"]["name"] == "St Edmund's Church" != ORGANIZATION_NAME
    assert group["status"] == "active" and by_id[str(paused.uuid)]["status"] == "temporarily closed"
    assert group["schedules"][0]["byday"] == "TU" and group["schedules"][0]["opens_at"] == "09:30"
    assert group["cost_options"][0]["amount"] == 1.0
    assert group["assured_date"] == running.last_checked_on.isoformat()
    assert group["attributes"][0]["taxonomy_term"]["term"] == "Stay and play"
    assert by_id[str(a_course.uuid)]["organization"]["name"] == ORGANIZATION_NAME


def test_a_group_and_a_course_each_validate_on_their_own_page(client, feed):
    a_course, running, _, closed = feed
    for thing in (a_course, running):
        response, body = get_json(client, "directory-service", str(thing.uuid))
        assert response.status_code == 200
        check(body, "service")
    response, body = get_json(client, "directory-service", str(closed.uuid))
    assert response.status_code == 404 and body == {"status": 404, "detail": "No such service."}


def test_locations_hold_the_venues_and_where_groups_meet(client, feed):
    _, page = get_json(client, "directory-locations")

    check(page, "page")
    for location in page["contents"]:
        check(location, "location")
    names = {location["name"] for location in page["contents"]}
    assert "St Edmund's Hall" in names and len(page["contents"]) == 3  # the venue and two open groups


def test_taxonomies_and_their_terms(client, feed):
    response, page = get_json(client, "directory-taxonomies")
    assert response.status_code == 200
    check(page, "page")
    taxonomy = page["contents"][0]
    check(taxonomy, "taxonomy")
    _, detail = get_json(client, "directory-taxonomy", taxonomy["id"])
    check(detail, "taxonomy")
    terms = {term["term"] for term in detail["taxonomy_terms"]}
    assert {"Stay and play", "Baby bank", "Library rhyme time"} <= terms
    _, term_page = get_json(client, "directory-taxonomy-terms")
    for term in term_page["contents"]:
        check(term, "taxonomy_term")
    response, _ = get_json(client, "directory-taxonomy-term", term_page["contents"][0]["id"])
    assert response.status_code == 200
    response, body = get_json(client, "directory-taxonomy", "nope")
    assert response.status_code == 404


def test_paging_runs_across_courses_and_groups(client, feed):
    _, first = get_json(client, "directory-services", per_page=2)
    _, second = get_json(client, "directory-services", per_page=2, page=2)

    assert first["total_items"] == second["total_items"] == 4  # ECFS's own service, the course, two groups
    ids = [s["id"] for s in first["contents"]] + [s["id"] for s in second["contents"]]
    assert len(set(ids)) == 4


def test_the_schema_catches_a_service_without_its_required_fields():
    with pytest.raises(AssertionError, match="'url' is a required property"):
        check({"id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892", "name": "x", "status": "active"}, "service")
    with pytest.raises(AssertionError, match="is not one of"):
        check(
            {"id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892", "name": "x", "status": "open", "url": "https://a.b"},
            "service",
        )


def test_no_member_of_staff_is_named_in_the_feed(client, cast, feed):
    body = client.get(reverse("directory-services")).content.decode()
    for user in (cast.manager, cast.worker, cast.admin):
        assert user.last_name not in body and user.email not in body


def test_the_feed_takes_a_fixed_number_of_queries(client, cast, feed, django_assert_num_queries):
    for number in range(4):
        community_group(cast, name=f"Group {number}")
    # count courses; count groups; the page of courses; their sessions; the page of groups with district, locality
    with django_assert_num_queries(5):
        client.get(reverse("directory-services"))
    # count venues; count groups; the page of venues; the page of groups
    with django_assert_num_queries(4):
        client.get(reverse("directory-locations"))


def test_a_closed_group_leaves_the_feed(client, cast, feed):
    _, running, _, _ = feed
    running.status = CommunityGroup.Status.CLOSED
    running.save()
    _, page = get_json(client, "directory-services")
    assert str(running.uuid) not in {s["id"] for s in page["contents"]}
