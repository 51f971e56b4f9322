"""The Open Referral UK feed (mounted at ``directory/``): ECFS's open courses (``venues.directory``) and the
community groups in the register, each published as a service of the organisation that runs it.

ORUK 3.0 asks for a root endpoint describing the API and a ``taxonomies`` endpoint; services carry a ``url``
and ``schedules``. The courses' own shapes come from ``venues.directory`` and gain those fields here; the
feed's paging, caching and JSON errors are venues.directory's too. Nothing about a family is ever published:
a group's contact is the contact the group gave for the public. Documented in docs/directory-feed.md.
"""

import uuid

from django.http import JsonResponse
from django.urls import reverse

from venues import directory as courses
from venues.directory import (  # the ORUK feed's envelope, errors and caching
    error_json,
    oruk_feed,
    oruk_page,
    public_json,
)

from .models import CommunityGroup

ORUK_VERSION = "3.0"
ORUK_PROFILE = "https://openreferraluk.org/"
ORUK_OPENAPI = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
TAXONOMY_ID = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ecfs-case:taxonomy:family-activities")
TAXONOMY = {
    "id": str(TAXONOMY_ID),
    "name": "ECFS Case: activities for families with young children",
    "description": "The kinds of group and course for families with children from pre-birth to age 5 in Norfolk.",
    "version": "1",
}
COURSE_TERM = ("ecfs_course", "Early Childhood and Family Service group course")
PUBLISHED = (CommunityGroup.Status.ACTIVE, CommunityGroup.Status.PAUSED, CommunityGroup.Status.STARTING)
BYDAY = courses.BYDAY


def _uuid5(*parts) -> str:
    return str(uuid.uuid5(TAXONOMY_ID, ":".join(str(part) for part in parts)))


def _terms() -> list[tuple[str, str]]:
    return [*CommunityGroup.Kind.choices, COURSE_TERM]


def taxonomy_term_json(code: str, label: str) -> dict:
    return {"id": _uuid5("term", code), "term": label, "taxonomy": TAXONOMY["name"], "taxonomy_id": TAXONOMY["id"]}


def _attribute(service_id: str, code: str, label: str) -> dict:
    term = taxonomy_term_json(code, label)
    return {
        "id": _uuid5("attribute", service_id, code),
        "link_id": service_id,
        "link_type": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def _service_url(request, service_id: str) -> str:
    return request.build_absolute_uri(reverse("directory-service", args=[service_id]))


# Community groups -------------------------------------------------------------------------------------


def published_groups():
    """Groups in the register that are running, paused or starting (closed ones leave the feed)."""
    return CommunityGroup.objects.filter(status__in=PUBLISHED).select_related("district", "locality")


def group_organization(group: CommunityGroup) -> dict:
    """The group's own organisation (not ECFS): one stable id per organisation name."""
    organization = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:ecfs-case:organization:{group.organisation.strip().lower()}")),
        "name": group.organisation,
        "description": f"A community or voluntary organisation running {group.get_kind_display().lower()} "
        f"sessions in {group.district.name}.",
    }
    if group.organisation_website:
        organization["website"] = group.organisation_website
    return organization


def group_location_id(group: CommunityGroup) -> str:
    return _uuid5("location", group.uuid)


def group_location_json(group: CommunityGroup) -> dict:
    location_id = group_location_id(group)
    location = {
        "id": location_id,
        "location_type": "physical",
        "name": group.venue_name,
        "description": group.venue_name,
        "district": group.district.name,
        "physical_addresses": [
            {
                "id": _uuid5("address", group.uuid),
                "location_id": location_id,
                "address_1": group.venue_address,
                "city": "" if group.locality.is_other else group.locality.name,
                "state_province": "Norfolk",
                "postal_code": group.venue_postcode,
                "country": "GB",
            }
        ],
        "accessibility": [],
    }
    if group.accessibility_notes:
        location["accessibility"].append(
            {
                "id": _uuid5("accessibility", group.uuid),
                "location_id": location_id,
                "details": group.accessibility_notes,
            }
        )
    return location


def _group_schedule(group: CommunityGroup) -> dict:
    service_id = str(group.uuid)
    monthly = group.frequency == CommunityGroup.Frequency.MONTHLY
    return {
        "id": _uuid5("schedule", group.uuid),
        "service_id": service_id,
        "freq": "MONTHLY" if monthly else "WEEKLY",
        "interval": 2 if group.frequency == CommunityGroup.Frequency.FORTNIGHTLY else 1,
        "byday": BYDAY[group.weekday],
        "opens_at": f"{group.starts_at:%H:%M}",
        "closes_at": f"{group.ends_at:%H:%M}",
        "description": f"{group.get_frequency_display()} on {group.day_name}s, "
        f"{group.starts_at:%H:%M} to {group.ends_at:%H:%M}",
    }


def group_service_json(request, group: CommunityGroup) -> dict:
    service_id = str(group.uuid)
    service = {
        "id": service_id,
        "name": group.name,
        "description": group.description or group.get_kind_display(),
        "url": group.organisation_website or _service_url(request, service_id),
        "status": CommunityGroup.ORUK_STATUS[group.status],
        "organization": group_organization(group),
        "minimum_age": round(group.min_age_months / 12, 2),
        "maximum_age": round(group.max_age_months / 12, 2),
        "assured_date": group.last_checked_on.isoformat(),
        "attending_type": "In person",
        "cost_options": [
            {
                "id": _uuid5("cost", group.uuid),
                "service_id": service_id,
                "currency": "GBP",
                "amount": float(group.cost),
                "amount_description": group.cost_notes or ("Free" if group.is_free else f"£{group.cost} a session"),
            }
        ],
        "schedules": [_group_schedule(group)],
        "service_at_locations": [
            {
                "id": _uuid5("at", group.uuid),
                "service_id": service_id,
                "location_id": group_location_id(group),
            }
        ],
        "attributes": [_attribute(service_id, group.kind, group.get_kind_display())],
        "contacts": [],
    }
    if group.contact_email:
        service["email"] = group.contact_email
    if group.contact_name or group.contact_phone or group.contact_email:
        contact = {"id": _uuid5("contact", group.uuid), "service_id": service_id, "name": group.contact_name}
        if group.contact_email:
            contact["email"] = group.contact_email
        if group.contact_phone:
            contact["phones"] = [{"id": _uuid5("phone", group.uuid), "number": group.contact_phone}]
        service["contacts"].append(contact)
    return service


# ECFS's courses, in ORUK 3.0's terms ------------------------------------------------------------------


def course_service_json(request, course) -> dict:
    service = courses.service_json(course)
    service["url"] = _service_url(request, service["id"])
    # ORUK 3.0 names them schedules; regular_schedules stays for the feed's existing readers.
    service["schedules"] = [{**schedule} for schedule in service["regular_schedules"]]
    service["attributes"] = [_attribute(service["id"], *COURSE_TERM)]
    return service


def venue_location_json(venue) -> dict:
    return {**courses.location_json(venue), "location_type": "physical"}


class _Chain:
    """Two querysets paged as one list (courses first, then groups), each sliced in the database."""

    def __init__(self, first, first_count, second, second_count, shape_first, shape_second):
        self.first, self.first_count, self.second, self.second_count = first, first_count, second, second_count
        self.shape_first, self.shape_second = shape_first, shape_second

    def __getitem__(self, window: slice):
        start, stop = window.start, window.stop
        items = []
        if start < self.first_count:
            items += [self.shape_first(item) for item in self.first[start : min(stop, self.first_count)]]
        if stop > self.first_count and self.second_count:
            from_second = max(0, start - self.first_count)
            items += [self.shape_second(item) for item in self.second[from_second : stop - self.first_count]]
        return items


# Endpoints --------------------------------------------------------------------------------------------


@oruk_feed
def root(request):
    """ORUK's API description: the HSDS version, the profile followed and the OpenAPI file that defines it."""
    return public_json(
        JsonResponse(
            {
                "version": ORUK_VERSION,
                "profile": ORUK_PROFILE,
                "openapi_url": ORUK_OPENAPI,
                "name": "Norfolk Early Childhood and Family Service: groups for families with young children",
                "endpoints": {
                    name: request.build_absolute_uri(reverse(name))
                    for name in (
                        "directory-services",
                        "directory-locations",
                        "directory-sessions",
                        "directory-taxonomies",
                        "directory-taxonomy-terms",
                    )
                },
            }
        )
    )


@oruk_feed
def service_list(request):
    """ORUK services: ECFS's own service, its open-access and universal courses, then the community groups (query:
    page, per_page)."""
    course_list = courses._services_queryset()
    groups = published_groups().order_by("name", "uuid")
    course_count, group_count = course_list.count(), groups.count()
    chain = _Chain(
        course_list,
        course_count,
        groups,
        group_count,
        lambda course: course_service_json(request, course),
        lambda group: group_service_json(request, group),
    )
    # ECFS's own service (its contact route is the online request for support) comes first.
    with_own = _Chain([ecfs_service_json(request)], 1, chain, course_count + group_count, _same, _same)
    return oruk_page(request, with_own, 1 + course_count + group_count, _same)


def _same(shaped: dict) -> dict:
    return shaped


def ecfs_service_json(request) -> dict:
    service = courses.ecfs_service_json(request)
    service["schedules"] = []
    service["attributes"] = []
    return service


@oruk_feed
def service_detail(request, id):
    try:
        wanted = uuid.UUID(id)
    except ValueError:
        return error_json(404, "No such service.")
    if wanted == courses.ECFS_SERVICE_ID:
        return public_json(JsonResponse(ecfs_service_json(request)))
    course = courses._services_queryset().filter(uuid=wanted).first()
    if course is not None:
        return public_json(JsonResponse(course_service_json(request, course)))
    group = published_groups().filter(uuid=wanted).first()
    if group is not None:
        return public_json(JsonResponse(group_service_json(request, group)))
    return error_json(404, "No such service.")


@oruk_feed
def location_list(request):
    """ORUK locations: the courses' venues, then the places the community groups meet (query: page, per_page)."""
    venues = (
        courses.Venue.objects.filter(pk__in=courses.public_venues().values("pk"))
        .select_related("district")
        .order_by("name")
    )
    groups = published_groups().order_by("venue_name", "uuid")
    venue_count, group_count = venues.count(), groups.count()
    chain = _Chain(venues, venue_count, groups, group_count, venue_location_json, group_location_json)
    return oruk_page(request, chain, venue_count + group_count, lambda shaped: shaped)


@oruk_feed
def taxonomy_list(request):
    return oruk_page(request, [TAXONOMY], 1, lambda taxonomy: taxonomy)


@oruk_feed
def taxonomy_detail(request, id):
    if id != TAXONOMY["id"]:
        return error_json(404, "No such taxonomy.")
    return public_json(JsonResponse({**TAXONOMY, "taxonomy_terms": [taxonomy_term_json(*term) for term in _terms()]}))


@oruk_feed
def taxonomy_term_list(request):
    terms = [taxonomy_term_json(*term) for term in _terms()]
    return oruk_page(request, terms, len(terms), lambda term: term)


@oruk_feed
def taxonomy_term_detail(request, id):
    for term in _terms():
        shaped = taxonomy_term_json(*term)
        if shaped["id"] == id:
            return public_json(JsonResponse(shaped))
    return error_json(404, "No such taxonomy term.")
