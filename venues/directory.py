"""The community directory feed: public, read-only JSON shaped after the Open Referral UK data standard.

What is published: group courses that are *targeted open access* or *universal* and open, as ORUK services;
the venues they meet at, as locations; their upcoming sessions that are not cancelled. Nothing else: no
facilitators, enrolments, registers or attendance, no targeted-by-referral course and no venue used only by
one. Every query starts from ``public_courses()``, so nothing reaches the feed by another path.

Documented in docs/directory-feed.md.
"""

import functools
import math
import uuid
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .models import GroupCourse, GroupSession, Venue

PUBLIC_OFFER_TYPES = (GroupCourse.OfferType.TARGETED_OPEN, GroupCourse.OfferType.UNIVERSAL)
ORGANIZATION_NAME = "Norfolk Early Childhood and Family Service"
# A fixed id for the provider: ORUK asks for a UUID and the organisation has no row of its own.
ORGANIZATION_ID = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ecfs-case:organization:norfolk-ecfs")
ORGANIZATION = {
    "id": str(ORGANIZATION_ID),
    "name": ORGANIZATION_NAME,
    "description": "Early help for families with children from pre-birth to age 5 across Norfolk.",
}
# ECFS's own targeted family support: not a course, so it has no row; its contact route is the public request for
# support (frontdoor), published so that partners' directories send people to it.
ECFS_SERVICE_ID = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ecfs-case:service:targeted-family-support")
CACHE_SECONDS = 300
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
# The venue self-assessment published as ORUK accessibility: (field, what it says). The private room for
# one-to-one work is about staff use, not access, and is left out.
ACCESSIBILITY = (
    ("step_free_access", "Step-free access"),
    ("accessible_toilet", "Accessible toilet"),
    ("baby_changing", "Baby changing"),
    ("parking", "Parking"),
    ("near_public_transport", "Near public transport"),
    ("hearing_loop", "Hearing loop"),
    ("breastfeeding_space", "Breastfeeding space"),
)


class BadRequest(Exception):
    pass


# Reads ------------------------------------------------------------------------------------------


def public_courses() -> QuerySet[GroupCourse]:
    """Open courses whose offer is open access or universal: the only courses the feed knows about."""
    return GroupCourse.objects.filter(offer_type__in=PUBLIC_OFFER_TYPES, status=GroupCourse.Status.OPEN)


def public_sessions() -> QuerySet[GroupSession]:
    """Sessions of public courses that are not cancelled."""
    return GroupSession.objects.filter(course__in=public_courses(), status=GroupSession.Status.SCHEDULED)


def public_venues() -> QuerySet[Venue]:
    """Venues a public course is set at, or one of its sessions has been moved to."""
    return Venue.objects.filter(
        Q(group_courses__in=public_courses()) | Q(group_sessions__in=public_sessions())
    ).distinct()


def _services_queryset() -> QuerySet[GroupCourse]:
    sessions = GroupSession.objects.filter(status=GroupSession.Status.SCHEDULED).select_related("venue")
    return (
        public_courses()
        .select_related("programme", "venue__district")
        .prefetch_related(Prefetch("sessions", queryset=sessions.order_by("starts_at"), to_attr="held_sessions"))
        .order_by("start_date", "programme__name", "uuid")
    )


# Shapes -----------------------------------------------------------------------------------------


def location_id(venue: Venue) -> str:
    """Venues have no UUID: a slug of the (unique) name, stable while the name is."""
    return slugify(venue.name)


def _child_id(parent, *parts) -> str:
    """A stable UUID for a nested ORUK object, derived from its parent's id."""
    return str(uuid.uuid5(uuid.UUID(str(parent)), ":".join(str(part) for part in parts)))


def _address(venue: Venue) -> dict:
    lines = [line.strip() for line in venue.address.replace("\r", "").split("\n") if line.strip()]
    return {
        "id": _child_id(ORGANIZATION_ID, "address", location_id(venue)),
        "location_id": location_id(venue),
        "address_1": ", ".join(lines[:-1]) if len(lines) > 1 else (lines[0] if lines else ""),
        "city": lines[-1] if len(lines) > 1 else "",
        "state_province": "Norfolk",
        "postal_code": venue.postcode,
        "country": "GB",
    }


def location_json(venue: Venue) -> dict:
    return {
        "id": location_id(venue),
        "name": venue.name,
        "description": venue.get_kind_display(),
        "district": venue.district.name,
        "physical_addresses": [_address(venue)],
        "accessibility_for_disabilities": [
            {
                "id": _child_id(ORGANIZATION_ID, "accessibility", location_id(venue), field),
                "location_id": location_id(venue),
                "accessibility": label,
                "details": "Yes" if getattr(venue, field) else "No",
            }
            for field, label in ACCESSIBILITY
            if getattr(venue, field) is not None
        ],
    }


def _hhmm(moment) -> str:
    return f"{moment:%H:%M}"


def _regular_schedules(course: GroupCourse) -> list[dict]:
    """One weekly schedule per (weekday, opening, closing) among the course's sessions that are not cancelled."""
    groups: dict[tuple, list] = defaultdict(list)
    for session in course.held_sessions:
        starts = timezone.localtime(session.starts_at)
        ends = starts + timedelta(minutes=session.duration_minutes)
        groups[(starts.weekday(), _hhmm(starts), _hhmm(ends))].append(starts.date())
    schedules = []
    for (weekday, opens_at, closes_at), days in sorted(groups.items(), key=lambda item: min(item[1])):
        first, last = min(days), max(days)
        schedules.append(
            {
                "id": _child_id(course.uuid, "schedule", weekday, opens_at, closes_at),
                "service_id": str(course.uuid),
                "description": f"Weekly on {DAY_NAMES[weekday]}, {opens_at} to {closes_at}",
                "freq": "WEEKLY",
                "interval": 1,
                "byday": BYDAY[weekday],
                "opens_at": opens_at,
                "closes_at": closes_at,
                "dtstart": first.isoformat(),
                "valid_from": first.isoformat(),
                "valid_to": last.isoformat(),
            }
        )
    return schedules


def _course_venues(course: GroupCourse) -> list[Venue]:
    venues = {course.venue.pk: course.venue}
    for session in course.held_sessions:
        venues.setdefault(session.venue.pk, session.venue)
    return sorted(venues.values(), key=lambda venue: venue.name)


def service_json(course: GroupCourse) -> dict:
    programme = course.programme
    description = programme.description or programme.name
    if course.creche:
        description = f"{description}\n\nA crèche is offered."
    return {
        "id": str(course.uuid),
        "name": programme.name,
        "description": description,
        "status": "active",
        "organization": ORGANIZATION,
        "offer_type": course.offer_type,
        "attending_type": "In person",
        "fees": "free",
        "cost_options": [
            {
                "id": _child_id(course.uuid, "cost"),
                "service_id": str(course.uuid),
                "amount": 0,
                "amount_description": "free",
            }
        ],
        "eligibilitys": [
            {
                "id": _child_id(course.uuid, "eligibility"),
                "service_id": str(course.uuid),
                "eligibility": programme.target_group,
            }
        ],
        "service_at_locations": [
            {
                "id": _child_id(course.uuid, "at", location_id(venue)),
                "service_id": str(course.uuid),
                "location_id": location_id(venue),
            }
            for venue in _course_venues(course)
        ],
        "regular_schedules": _regular_schedules(course),
    }


def ecfs_service_json(request) -> dict:
    """ECFS's own service, one-to-one and group support for families, with the online request as its contact
    route (``/request-support/``: professionals and parents)."""
    ask = request.build_absolute_uri(reverse("request-support"))
    service_id = str(ECFS_SERVICE_ID)
    return {
        "id": service_id,
        "name": "Early Childhood and Family Service: targeted family support",
        "description": "One-to-one and group support for families with children from pre-birth to age 5 who need "
        "extra help: parenting, play and learning, feeling low or alone, money, housing and staying safe at home. "
        "Professionals refer with the family's agreement; parents and carers can ask for themselves.",
        "status": "active",
        "url": ask,
        "application_process": f"Ask online at {ask}: a professional referring a family (with their agreement), "
        "or a parent or carer asking for help. A team manager looks at each request within 3 working days.",
        "organization": ORGANIZATION,
        "attending_type": "In person",
        "fees": "free",
        "cost_options": [
            {"id": _child_id(service_id, "cost"), "service_id": service_id, "amount": 0, "amount_description": "free"}
        ],
        "eligibilitys": [
            {
                "id": _child_id(service_id, "eligibility"),
                "service_id": service_id,
                "eligibility": "Families in Norfolk with a child under 5 or expecting a baby",
            }
        ],
        "contacts": [
            {
                "id": _child_id(service_id, "contact", "online"),
                "service_id": service_id,
                "name": "Ask for support online",
                "title": "Request for support",
                "url": ask,
            }
        ],
        "service_at_locations": [],
        "regular_schedules": [],
    }


def session_json(session: GroupSession) -> dict:
    starts = timezone.localtime(session.starts_at)
    return {
        "id": str(session.uuid),
        "service_id": str(session.course.uuid),
        "name": session.course.programme.name,
        "start": starts.isoformat(),
        "end": (starts + timedelta(minutes=session.duration_minutes)).isoformat(),
        "location_id": location_id(session.venue),
    }


# Responses --------------------------------------------------------------------------------------


def public_json(response: JsonResponse) -> JsonResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_json(status: int, message: str) -> JsonResponse:
    return public_json(JsonResponse({"status": status, "detail": message}, status=status))


def _whole_number(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def oruk_page(request, items, total: int, shape) -> JsonResponse:
    """An ORUK page of ``items`` (a queryset or list, sliced here); ``page`` from 1, ``per_page`` up to 200."""
    page = _whole_number(request, "page", 1, 1, 1_000_000)
    size = _whole_number(request, "per_page", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    total_pages = math.ceil(total / size) if total else 0
    start = (page - 1) * size
    contents = [shape(item) for item in items[start : start + size]] if start < total else []
    return public_json(
        JsonResponse(
            {
                "total_items": total,
                "total_pages": total_pages,
                "page_number": page,
                "size": size,
                "first_page": page == 1,
                "last_page": page >= total_pages,
                "empty": not contents,
                "contents": contents,
            }
        )
    )


def oruk_feed(view):
    """Public, GET only, errors as JSON."""

    @login_not_required
    @require_GET
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as error:
            return error_json(400, str(error))

    return wrapped


@oruk_feed
def service_list(request):
    """ORUK services: open-access and universal courses that are open (query: page, per_page)."""
    courses = _services_queryset()
    return oruk_page(request, courses, courses.count(), service_json)


@oruk_feed
def service_detail(request, id):
    try:
        wanted = uuid.UUID(id)
    except ValueError:
        return error_json(404, "No such service.")
    course = _services_queryset().filter(uuid=wanted).first()
    if course is None:
        return error_json(404, "No such service.")
    return public_json(JsonResponse(service_json(course)))


@oruk_feed
def location_list(request):
    """ORUK locations: the venues of the services (query: page, per_page)."""
    venues = Venue.objects.filter(pk__in=public_venues().values("pk")).select_related("district").order_by("name")
    return oruk_page(request, venues, venues.count(), location_json)


@oruk_feed
def session_list(request):
    """Upcoming sessions of the services that are not cancelled, soonest first (query: page, per_page)."""
    sessions = (
        public_sessions()
        .filter(starts_at__gte=timezone.now())
        .select_related("course__programme", "venue")
        .order_by("starts_at", "uuid")
    )
    return oruk_page(request, sessions, sessions.count(), session_json)
