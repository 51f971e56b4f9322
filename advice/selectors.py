"""Reads of the advice log, scoped to what the user may see.

A worker sees their team's entries; a team manager the entries of the bases whose teams they lead; nobody else
sees an entry (a commissioner sees the returns' protected counts only). A family named on an entry shows only
to those who may see the family.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from bases.models import StaffProfile, Team
from bases.selectors import managed_base_ids
from ecfs.roles import Role, has_role
from families.access import family_scope
from families.models import Family

from .models import AdviceEntry


def recorder_team(user) -> Team | None:
    """The team an entry by ``user`` belongs to: their own team, else (a manager without one) the first they lead."""
    if not (has_role(user, Role.WORKER) or has_role(user, Role.MANAGER)):
        return None
    team = Team.objects.select_related("base").filter(members__user=user).first()
    if team is None and has_role(user, Role.MANAGER):
        team = Team.objects.select_related("base").filter(manager=user).order_by("name").first()
    return team


def advice_scope(user) -> Q:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Q(pk__in=[])
    visible = Q(pk__in=[])
    if has_role(user, Role.MANAGER):
        visible |= Q(base_id__in=managed_base_ids(user))
    if has_role(user, Role.WORKER):
        visible |= Q(team_id__in=StaffProfile.objects.filter(user=user, team__isnull=False).values("team_id"))
    return visible


def advice_list(*, user) -> QuerySet[AdviceEntry]:
    return AdviceEntry.objects.filter(advice_scope(user))


@dataclass(frozen=True)
class LogFilters:
    date_from: date | None = None
    date_to: date | None = None
    channel: str = ""
    topic: object = None  # a Determinant


def _with_details(entries: QuerySet[AdviceEntry], user) -> QuerySet[AdviceEntry]:
    """What a list or an entry shows, in a fixed number of queries; ``family_visible`` says whether the user
    may see the family named on it (otherwise the page says only that a known family was advised)."""
    return (
        entries.select_related("district", "locality", "team", "created_by", "family", "referral")
        .prefetch_related("topics")
        .annotate(family_visible=Exists(Family.objects.filter(family_scope(user), pk=OuterRef("family_id"))))
    )


def advice_log(*, user, filters: LogFilters) -> QuerySet[AdviceEntry]:
    entries = advice_list(user=user)
    if filters.date_from:
        entries = entries.filter(given_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(given_on__lte=filters.date_to)
    if filters.channel:
        entries = entries.filter(channel=filters.channel)
    if filters.topic is not None:
        entries = entries.filter(topics=filters.topic)
    return _with_details(entries, user).order_by("-given_on", "-created_at", "-pk")


def advice_get(*, user, uuid) -> AdviceEntry:
    """The entry, or 404 when it does not exist *or* the user may not see it."""
    entry = _with_details(advice_list(user=user), user).filter(uuid=uuid).first()
    if entry is None:
        raise Http404("No such advice entry")
    return entry


def last_entry_of(*, user) -> AdviceEntry | None:
    """The user's latest entry: a worker at a drop-in records several in a row from the same place."""
    return AdviceEntry.objects.filter(created_by=user).order_by("-created_at", "-pk").first()
