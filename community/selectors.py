"""Reads: the community groups register, families' connections, follow-ups due, grants and the gaps view."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404

from bases.models import Locality
from families.access import family_scope
from families.models import Family

from .models import CommunityGroup, Connection, GrantApplication, GrantBudget

# Groups families can still be sent to ("starting soon" ones are listed too, marked as such).
OPEN_STATUSES = (CommunityGroup.Status.ACTIVE, CommunityGroup.Status.STARTING, CommunityGroup.Status.PAUSED)


@dataclass(frozen=True)
class GroupFilters:
    text: str = ""
    district: str = ""  # district slug
    locality: str = ""  # locality name
    weekday: int | None = None
    kind: str = ""
    include_closed: bool = False


def group_list(*, filters: GroupFilters | None = None) -> QuerySet[CommunityGroup]:
    """The register, searchable by place, day, kind and words in the name, organisation or venue."""
    filters = filters or GroupFilters()
    groups = CommunityGroup.objects.select_related("district", "locality")
    if not filters.include_closed:
        groups = groups.exclude(status=CommunityGroup.Status.CLOSED)
    if filters.text:
        words = Q()
        for word in filters.text.split():
            words &= (
                Q(name__icontains=word)
                | Q(organisation__icontains=word)
                | Q(venue_name__icontains=word)
                | Q(venue_address__icontains=word)
            )
        groups = groups.filter(words)
    if filters.district:
        groups = groups.filter(district__slug=filters.district)
    if filters.locality:
        groups = groups.filter(locality__name=filters.locality)
    if filters.weekday is not None:
        groups = groups.filter(weekday=filters.weekday)
    if filters.kind:
        groups = groups.filter(kind=filters.kind)
    return groups.order_by("locality__name", "weekday", "starts_at", "name")


def group_get(*, uuid) -> CommunityGroup:
    group = CommunityGroup.objects.select_related("district", "locality", "last_checked_by").filter(uuid=uuid).first()
    if group is None:
        raise Http404("No such community group")
    return group


def groups_to_connect(*, family: Family) -> QuerySet[CommunityGroup]:
    """Groups a family can be sent to: running or starting, those in the family's district first."""
    # The family's own town first, then the rest of its district, then the rest of the county.
    nearness = Case(
        When(locality_id=family.locality_id, then=Value(0)),
        When(district_id=family.district_id, then=Value(1)),
        default=Value(2),
    )
    return (
        CommunityGroup.objects.filter(status__in=(CommunityGroup.Status.ACTIVE, CommunityGroup.Status.STARTING))
        .select_related("locality")
        .alias(nearness=nearness)
        .order_by("nearness", "name")
    )


# Connections ------------------------------------------------------------------------------------------


def connections_of(*, user, family: Family) -> QuerySet[Connection]:
    """A family's connections (the family was fetched through the user's scope: a connection has no other)."""
    return (
        Connection.objects.filter(family=family)
        .filter(family_scope(user, via="family"))
        .select_related("group", "connected_by", "outcome_recorded_by")
    )


def connection_get(*, user, uuid) -> Connection:
    """The connection, or 404 when it does not exist *or* its family is not one the user may see."""
    connection = (
        Connection.objects.filter(uuid=uuid)
        .filter(family_scope(user, via="family"))
        .select_related("family", "group", "connected_by")
        .first()
    )
    if connection is None:
        raise Http404("No such connection")
    return connection


def follow_ups_due(*, user, today: date) -> QuerySet[Connection]:
    """'Did they go, and is it helping?': the user's allocated families' connections four weeks on, unanswered.

    Mine lists follow the current allocation (DESIGN §2), not who made the connection.
    """
    return (
        Connection.objects.filter(
            outcome=Connection.Outcome.PENDING,
            follow_up_due__lte=today,
            family__allocations__worker=user,
            family__allocations__ended_at__isnull=True,
        )
        .filter(family_scope(user, via="family"))
        .select_related("family", "group")
        .distinct()
        .order_by("follow_up_due", "pk")
    )


# Grants -----------------------------------------------------------------------------------------------


def grant_list(*, status: str = "") -> QuerySet[GrantApplication]:
    applications = GrantApplication.objects.select_related("district", "locality")
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("-received_on", "-pk")


def grant_get(*, uuid) -> GrantApplication:
    application = (
        GrantApplication.objects.select_related(
            "district", "locality", "group", "budget", "assessed_by", "decided_by", "created_by"
        )
        .filter(uuid=uuid)
        .first()
    )
    if application is None:
        raise Http404("No such grant application")
    return application


def grant_budgets() -> QuerySet[GrantBudget]:
    return GrantBudget.objects.order_by("-financial_year")


def grant_budget_for(*, financial_year: int) -> GrantBudget | None:
    return GrantBudget.objects.filter(financial_year=financial_year).first()


@dataclass(frozen=True)
class PlaceNeed:
    locality: Locality
    active_groups: int
    groups_per_1000: float
    grants_approved: int


def localities_by_gap() -> list[PlaceNeed]:
    """Each market town's need beside its running groups (per 1,000 under-5s): the gaps view, highest need first."""
    localities = (
        Locality.objects.select_related("district")
        .annotate(
            active_groups=Count(
                "community_groups",
                filter=Q(community_groups__status=CommunityGroup.Status.ACTIVE),
                distinct=True,
            ),
            grants_approved=Count(
                "grant_applications",
                filter=Q(
                    grant_applications__status__in=(GrantApplication.Status.APPROVED, GrantApplication.Status.PAID)
                ),
                distinct=True,
            ),
        )
        .order_by("-need_index", "name")
    )
    return [
        PlaceNeed(
            locality=locality,
            active_groups=locality.active_groups,
            groups_per_1000=round(1000 * locality.active_groups / locality.under_5, 1) if locality.under_5 else 0.0,
            grants_approved=locality.grants_approved,
        )
        for locality in localities
    ]
