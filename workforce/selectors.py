"""Reads of the workforce records, scoped to who may see them.

- The service admin sees every member of staff and every vacancy.
- A team manager sees the members of the teams they lead (themselves included) and the vacancies in those teams'
  districts.
- A worker sees only their own supervision, training and DBS check; a commissioner none (the return's protected
  figures only).
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from bases.models import StaffProfile
from bases.selectors import managed_district_ids
from ecfs.roles import Role, group_name, has_role

from .models import BackgroundCheck, StaffRole, SupervisionSession, TrainingRecord, Vacancy
from .rules import (
    SUPERVISION_INTERVAL,
    TRAINING_WARNING,
    Course,
    dbs_current,
    dbs_renewal_due,
    supervised_within,
)

STAFF_ROLES = (group_name(Role.WORKER), group_name(Role.MANAGER))


def _in_group(role: Role) -> Exists:
    User = get_user_model()
    return Exists(User.groups.through.objects.filter(user_id=OuterRef("user_id"), group__name=group_name(role)))


def staff_in_post() -> QuerySet[StaffProfile]:
    """Staff in post: active users in a team who hold the worker or the manager role (one row each). Their role is
    the manager's when they hold both; their district is their team's base's."""
    return (
        StaffProfile.objects.filter(user__is_active=True, team__isnull=False)
        .filter(
            Exists(
                get_user_model().groups.through.objects.filter(user_id=OuterRef("user_id"), group__name__in=STAFF_ROLES)
            )
        )
        .annotate(is_manager=_in_group(Role.MANAGER))
    )


def workers_in_post() -> QuerySet[StaffProfile]:
    """Family support workers in post (active, in a team, holding the worker role and not the manager's)."""
    return staff_in_post().filter(is_manager=False)


def with_status(profiles: QuerySet[StaffProfile], *, on: date) -> QuerySet[StaffProfile]:
    """Each profile with, as things stood on ``on``: its last supervision, each course's latest expiry (of courses
    completed by then) and its latest DBS check — one query, however many members."""
    user = OuterRef("user_id")
    annotations = {
        "last_supervision": Subquery(
            SupervisionSession.objects.filter(worker_id=user, held_on__lte=on)
            .order_by("-held_on")
            .values("held_on")[:1]
        ),
        "last_dbs": Subquery(
            BackgroundCheck.objects.filter(staff_id=user, checked_on__lte=on)
            .order_by("-checked_on")
            .values("checked_on")[:1]
        ),
    }
    for course in Course:
        annotations[f"expires_{course.value}"] = Subquery(
            TrainingRecord.objects.filter(staff_id=user, course=course, completed_on__lte=on)
            .order_by("-expires_on")
            .values("expires_on")[:1]
        )
    return profiles.annotate(**annotations)


@dataclass
class TrainingStatus:
    course: str
    label: str
    expires_on: date | None
    state: str  # current | expiring | expired | missing

    @property
    def current(self) -> bool:
        return self.state in ("current", "expiring")


@dataclass
class MemberStatus:
    """A member of staff's supervision, training and DBS check as they stood on a day, and what needs attention."""

    profile: StaffProfile
    on: date
    role: str
    last_supervision: date | None
    training: list[TrainingStatus]
    last_dbs: date | None
    flags: list[str] = field(default_factory=list)

    @property
    def user(self):
        return self.profile.user

    @property
    def supervised(self) -> bool:
        return supervised_within(self.last_supervision, self.on)

    @property
    def training_current(self) -> bool:
        return all(item.current for item in self.training)

    @property
    def dbs_current(self) -> bool:
        return dbs_current(self.last_dbs, self.on)

    @property
    def dbs_renewal_due(self) -> date | None:
        return dbs_renewal_due(self.last_dbs) if self.last_dbs else None


def status_of(profile: StaffProfile, *, on: date) -> MemberStatus:
    """A profile read through ``with_status`` (and ``staff_in_post`` for its role) as a ``MemberStatus``."""
    training = []
    for course in Course:
        expires = getattr(profile, f"expires_{course.value}")
        if expires is None:
            state = "missing"
        elif expires <= on:
            state = "expired"
        elif expires <= on + TRAINING_WARNING:
            state = "expiring"
        else:
            state = "current"
        training.append(TrainingStatus(course.value, course.label, expires, state))
    is_manager = getattr(profile, "is_manager", False)
    status = MemberStatus(
        profile=profile,
        on=on,
        role=StaffRole.MANAGER.label if is_manager else StaffRole.WORKER.label,
        last_supervision=profile.last_supervision,
        training=training,
        last_dbs=profile.last_dbs,
    )
    if not is_manager:
        if status.last_supervision is None:
            status.flags.append("No supervision recorded")
        elif status.last_supervision < on - SUPERVISION_INTERVAL:
            status.flags.append(f"Last supervision {status.last_supervision:%-d %B %Y}: over six weeks ago")
    for item in training:
        if item.state == "missing":
            status.flags.append(f"{item.label}: no training recorded")
        elif item.state == "expired":
            status.flags.append(f"{item.label}: expired {item.expires_on:%-d %B %Y}")
        elif item.state == "expiring":
            status.flags.append(f"{item.label}: expires {item.expires_on:%-d %B %Y}")
    return status


def visible_staff(*, user) -> QuerySet[StaffProfile]:
    """The staff in post whose workforce records ``user`` may see: everyone for the service admin, the teams they
    lead for a team manager, nobody else (a worker reaches only their own record, through ``member_get``)."""
    profiles = staff_in_post().select_related("user", "team__base__district")
    if has_role(user, Role.ADMIN):
        return profiles
    if has_role(user, Role.MANAGER):
        return profiles.filter(team__manager=user)
    return profiles.none()


def staff_overview(*, user, today: date) -> list[MemberStatus]:
    """The workforce page's list: each visible member of staff with their status today, by team then name."""
    profiles = with_status(visible_staff(user=user), on=today).order_by(
        "team__name", "user__last_name", "user__first_name"
    )
    return [status_of(profile, on=today) for profile in profiles]


def in_post_table(members: list[MemberStatus]) -> list[dict]:
    """Staff in post by district and role, from the members already read (no query)."""
    table: dict[str, dict[str, int]] = {}
    for member in members:
        district = member.profile.team.base.district.name
        row = table.setdefault(district, {StaffRole.WORKER.label: 0, StaffRole.MANAGER.label: 0})
        row[member.role] += 1
    return [
        {"district": name, "workers": row[StaffRole.WORKER.label], "managers": row[StaffRole.MANAGER.label]}
        for name, row in sorted(table.items())
    ]


def flagged_workers(*, manager, today: date) -> list[MemberStatus]:
    """For a team manager's landing page: the workers in the teams they lead whose supervision is over six weeks
    old (or none), or whose mandatory training is missing, expired or expires within 30 days. One query."""
    profiles = with_status(
        workers_in_post().filter(team__manager=manager).select_related("user", "team"),
        on=today,
    ).order_by("user__last_name", "user__first_name")
    statuses = [status_of(profile, on=today) for profile in profiles]
    return [status for status in statuses if status.flags]


def member_get(*, user, pk: int) -> StaffProfile:
    """A member of staff's profile, if ``user`` may see their workforce records (themselves, the service admin,
    the manager of their team); 404 otherwise, exactly as when there is no such member."""
    profiles = StaffProfile.objects.select_related("user", "team__base__district", "team__manager").annotate(
        is_manager=_in_group(Role.MANAGER)
    )
    scope = Q(user=user)
    if has_role(user, Role.ADMIN):
        scope = Q()
    elif has_role(user, Role.MANAGER):
        scope |= Q(team__manager=user)
    profile = profiles.filter(scope, user_id=pk).first()
    if profile is None:
        raise Http404("No such member of staff.")
    return profile


def manages_member(user, profile: StaffProfile) -> bool:
    """``user`` leads the member's team (and is not the member)."""
    return (
        has_role(user, Role.MANAGER)
        and profile.team is not None
        and profile.team.manager_id == user.pk
        and profile.user_id != user.pk
    )


def can_record_supervision(user, profile: StaffProfile) -> bool:
    """The worker's team manager records their supervision (a manager's own is recorded by whoever leads them)."""
    is_manager = getattr(profile, "is_manager", None)
    if is_manager is None:  # a profile not read through these selectors
        is_manager = has_role(profile.user, Role.MANAGER)
    return manages_member(user, profile) and not is_manager and profile.user.is_active


def can_record_training(user, profile: StaffProfile) -> bool:
    """Training and DBS checks: the service admin, or the member's team manager."""
    return profile.user.is_active and (has_role(user, Role.ADMIN) or manages_member(user, profile))


def member_status(*, profile: StaffProfile, today: date) -> MemberStatus:
    """One member's status today (one query)."""
    annotated = with_status(
        StaffProfile.objects.filter(pk=profile.pk).annotate(is_manager=_in_group(Role.MANAGER)), on=today
    ).get()
    annotated.user, annotated.team = profile.user, profile.team
    return status_of(annotated, on=today)


def member_records(*, profile: StaffProfile) -> dict:
    """A member's own records, newest first."""
    user_id = profile.user_id
    return {
        "sessions": list(
            SupervisionSession.objects.filter(worker_id=user_id).select_related("supervisor").order_by("-held_on")
        ),
        "training": list(TrainingRecord.objects.filter(staff_id=user_id).order_by("course", "-completed_on")),
        "checks": list(BackgroundCheck.objects.filter(staff_id=user_id).order_by("-checked_on")),
    }


def vacancy_list(*, user) -> QuerySet[Vacancy]:
    """Vacancies: all for the service admin; those in the districts of a manager's teams; none for anyone else."""
    vacancies = Vacancy.objects.select_related("district", "base").order_by("filled_on", "-open_since", "pk")
    if has_role(user, Role.ADMIN):
        return vacancies
    if has_role(user, Role.MANAGER):
        return vacancies.filter(district_id__in=managed_district_ids(user))
    return vacancies.none()


def open_at(vacancies: QuerySet[Vacancy], on: date) -> QuerySet[Vacancy]:
    """Open on a day: open since it or before, and not filled by then (a post filled on the day is filled)."""
    return vacancies.filter(Q(filled_on__isnull=True) | Q(filled_on__gt=on), open_since__lte=on)


def supervisors(*, exclude=None) -> QuerySet:
    """Who may be named as a supervisor: active team managers."""
    users = get_user_model().objects.filter(is_active=True, groups__name=group_name(Role.MANAGER)).distinct()
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("last_name", "first_name")
