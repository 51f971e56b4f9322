"""Reads of the county structure: districts, bases, teams and staff."""

from django.db.models import Count, Prefetch, Q, QuerySet

from ecfs.roles import Role, group_name, has_role

from .models import Base, District, Locality, StaffProfile, Team


def district_list() -> QuerySet[District]:
    return District.objects.annotate(
        base_count=Count("bases", distinct=True), venue_count=Count("venues", distinct=True)
    ).order_by("name")


def base_list() -> QuerySet[Base]:
    return Base.objects.select_related("district", "venue").order_by("district__name", "name")


def locality_list_by_need() -> QuerySet[Locality]:
    return Locality.objects.select_related("district").order_by("-need_index", "name")


def _managed_bases(user) -> list[tuple[int, int]]:
    """(base, district) of each base whose teams ``user`` leads, read once per request (kept on the user)."""
    if not has_role(user, Role.MANAGER):
        return []
    cached = getattr(user, "_ecfs_managed_bases", None)
    if cached is None:
        cached = list(user.managed_teams.order_by().values_list("base_id", "base__district_id").distinct())
        user._ecfs_managed_bases = cached
    return cached


def managed_base_ids(user) -> list[int]:
    """The bases whose teams ``user`` leads as a team manager; empty for anyone who is not one."""
    return sorted({base for base, _ in _managed_bases(user)})


def managed_district_ids(user) -> list[int]:
    """The districts of those bases (a fund application's second approval may come from any of them)."""
    return sorted({district for _, district in _managed_bases(user)})


def manages_base(user, base: Base | int | None) -> bool:
    """``user`` is a team manager of one of this base's teams."""
    base_id = base.pk if isinstance(base, Base) else base
    return base_id is not None and base_id in managed_base_ids(user)


def teams_managed_by(*, user) -> QuerySet[Team]:
    """The teams a team manager leads, with their workers."""
    workers = StaffProfile.objects.select_related("user").filter(
        user__is_active=True, user__groups__name=group_name(Role.WORKER)
    )
    return (
        Team.objects.filter(manager=user)
        .select_related("base__district", "base__venue")
        .prefetch_related(Prefetch("members", queryset=workers, to_attr="workers"))
        .order_by("name")
    )


def staff_profile_of(*, user) -> StaffProfile | None:
    return StaffProfile.objects.select_related("team__base__district", "team__manager").filter(user=user).first()


def team_colleagues(*, profile: StaffProfile) -> QuerySet[StaffProfile]:
    if profile.team_id is None:
        return StaffProfile.objects.none()
    return (
        StaffProfile.objects.filter(team_id=profile.team_id, user__is_active=True)
        .exclude(pk=profile.pk)
        .select_related("user")
    )


def staff_counts() -> dict:
    profiles = StaffProfile.objects.filter(user__is_active=True)
    return profiles.aggregate(
        workers=Count("pk", filter=Q(user__groups__name=group_name(Role.WORKER))),
        managers=Count("pk", filter=Q(user__groups__name=group_name(Role.MANAGER))),
    )
