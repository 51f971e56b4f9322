"""Reads of referrals, scoped: managers see referrals routed to their bases' teams,
workers see the referrals of families allocated to them, nobody else sees any."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404

from bases.models import Team
from bases.selectors import managed_base_ids
from ecfs.roles import Role, has_role
from families.access import allocated_filter, restriction_filter

from .models import Referral

Status = Referral.Status
AWAITING_TRIAGE = (Status.RECEIVED,)
# Referrals a manager still has to act on: to triage, to allocate, or allocated with no first contact yet.
NEEDS_ACTION = Q(status__in=[Status.RECEIVED, Status.ACCEPTED]) | Q(
    status=Status.ALLOCATED, first_contact_at__isnull=True
)
AWAITING_ALLOCATION = (Status.ACCEPTED,)


def referral_list(*, user) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Referral.objects.none()
    visible = Q(pk__in=[])
    if has_role(user, Role.MANAGER):
        teams = Team.objects.filter(base_id__in=managed_base_ids(user)).values_list("pk", flat=True)
        visible |= Q(routed_team_id__in=list(teams))
    if has_role(user, Role.WORKER):
        visible |= allocated_filter(user, "family")
    return Referral.objects.filter(visible & (Q(family__isnull=True) | restriction_filter(user, "family")))


def referral_get(*, user, uuid) -> Referral:
    referral = (
        referral_list(user=user)
        .select_related("routed_team__base", "district", "locality", "family", "recorded_by")
        .prefetch_related("reasons", "people", "decisions__decided_by")
        .filter(uuid=uuid)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def triage_overdue_q(today: date) -> Q:
    return Q(status=Status.RECEIVED, triage_due__lt=today)


def first_contact_overdue_q(today: date) -> Q:
    return Q(status__in=[Status.ACCEPTED, Status.ALLOCATED], first_contact_at__isnull=True, first_contact_due__lt=today)


def with_overdue(referrals: QuerySet[Referral], *, today: date) -> QuerySet[Referral]:
    return referrals.annotate(
        triage_overdue=Case(When(triage_overdue_q(today), then=Value(True)), default=Value(False)),
        first_contact_overdue=Case(When(first_contact_overdue_q(today), then=Value(True)), default=Value(False)),
    )


QUEUE_SORTS = {
    "received": ("received_at",),
    "-received": ("-received_at",),
    "due": ("triage_due", "received_at"),
    "-due": ("-triage_due", "-received_at"),
    "urgency": ("-urgency", "triage_due"),  # "urgent" sorts after "routine": descending puts it first
    "status": ("status", "triage_due"),
}


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"
    district: str = ""
    base: str = ""
    source: str = ""
    urgency: str = ""
    overdue: bool = False
    sort: str = "due"


def triage_queue(*, user, filters: QueueFilters, today: date) -> QuerySet[Referral]:
    referrals = (
        with_overdue(referral_list(user=user), today=today)
        .select_related("routed_team__base", "district", "family")
        .prefetch_related("people")  # the names on the referral, shown beside its reference
    )
    if filters.status == "open":
        referrals = referrals.filter(NEEDS_ACTION)
    elif filters.status in Status.values:
        referrals = referrals.filter(status=filters.status)
    if filters.district:
        referrals = referrals.filter(district__slug=filters.district)
    if filters.base:
        referrals = referrals.filter(routed_team__base__name=filters.base)
    if filters.source:
        referrals = referrals.filter(source=filters.source)
    if filters.urgency:
        referrals = referrals.filter(urgency=filters.urgency)
    if filters.overdue:
        referrals = referrals.filter(triage_overdue_q(today) | first_contact_overdue_q(today))
    return referrals.order_by(*QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["due"]), "pk")


def manager_overview(*, user, today: date) -> dict:
    """Counts for the manager's landing page, in one query."""
    return (
        referral_list(user=user)
        .filter(NEEDS_ACTION)
        .aggregate(
            awaiting_triage=Count("pk", filter=Q(status__in=AWAITING_TRIAGE)),
            triage_overdue=Count("pk", filter=triage_overdue_q(today)),
            awaiting_allocation=Count("pk", filter=Q(status__in=AWAITING_ALLOCATION)),
            first_contact_overdue=Count("pk", filter=first_contact_overdue_q(today)),
        )
    )


def referral_for_correction(*, user, uuid) -> Referral:
    """A referral the user may open to correct: one they may see, or one they recorded that still awaits triage
    (a worker who took the call corrects what they wrote before any family is linked, without seeing more)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404("No such referral")
    recorded = Referral.objects.filter(recorded_by=user, status=Status.RECEIVED, family__isnull=True)
    referral = (
        (referral_list(user=user) | recorded)
        .select_related("routed_team__base", "district", "locality", "family", "recorded_by")
        .prefetch_related("reasons", "people", "decisions")
        .filter(uuid=uuid)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral
