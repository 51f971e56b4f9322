"""Who may see a family and who manages it: the one place these rules are written (DESIGN §2).

Workers see the families they are allocated to, through their per-family guardian grants (a direct join on
``FamilyUserObjectPermission``); team managers see every family of the bases whose teams they lead; a
restricted family shows only to the people named on it; nobody else sees any family. Every selector, service,
view and API endpoint asks these functions instead of restating the rules.

A family registered lightly at a universal session or a drop-in (``Family.registered_team``, #19) is also seen
by the workers of the team whose worker registered it for as long as it has never been allocated: once a referral
brings it into targeted support, it is seen like any family in support (its allocated workers and its base's
managers). The family's base is its place's (the locality's base), usually the registering team's own; managers
see it, as every family, when it is of a base they manage.

``via`` names the relation from the model being filtered to its family (``"family"``, ``"plan__family"``); an
empty ``via`` filters Family itself.
"""

from django.db.models import Exists, OuterRef, Q

from bases.models import StaffProfile, Team
from bases.selectors import managed_base_ids, manages_base
from ecfs.roles import Role, has_role

from .models import Allocation, Family, FamilyUserObjectPermission


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def allocated_filter(user, via: str = "") -> Q:
    """The families ``user`` holds a grant for as their allocated worker (lead or co-worker)."""
    granted = FamilyUserObjectPermission.objects.filter(
        content_object=OuterRef(f"{via}_id" if via else "pk"), user=user, permission__codename="view_family"
    )
    return Q(Exists(granted))


def registering_teams(user):
    """The teams whose registered families ``user`` sees: a worker's own team, the teams a manager leads. A
    subquery, so scoping costs no extra query."""
    teams = Q(pk__in=[])
    if has_role(user, Role.WORKER):
        teams |= Q(pk__in=StaffProfile.objects.filter(user=user, team__isnull=False).values("team_id"))
    if has_role(user, Role.MANAGER):
        teams |= Q(manager=user)
    return Team.objects.filter(teams).values("pk")


def registered_filter(user) -> Q:
    """Families registered by one of the user's teams (``registering_teams``) that were never allocated."""
    return Q(registered_team_id__in=registering_teams(user)) & ~Q(
        Exists(Allocation.objects.filter(family=OuterRef("pk")))
    )


def _visible_ids(user):
    """The ids of the families a worker holds a grant for or their team registered, as one subquery (a UNION
    ALL). One ``id IN (…)`` lets PostgreSQL probe the family index; the two rules ORed as separate conditions made
    it test every family (at county scale a worker's family search went from 15 ms to 660 ms)."""
    grants = FamilyUserObjectPermission.objects.filter(user=user, permission__codename="view_family")
    registered = Family.objects.filter(registered_filter(user)).order_by().values("pk")
    return grants.order_by().values("content_object_id").union(registered, all=True)


def restriction_filter(user, via: str = "") -> Q:
    """Keep restricted families only for their named users.

    Through a relation (``via``) it is ``family_id NOT IN (the restricted families the user is not named on)``:
    the few restricted families come from ``family_restricted_idx``, so a list of referrals or applications does
    not join every family to read its flag (at county scale that join was a hash of 50,000 families on every
    triage queue, landing page and API referral list). A null family is kept.
    """
    named = Family.restricted_to.through.objects.filter(family_id=OuterRef("pk"), user_id=user.pk)
    if not via:
        return Q(restricted=False) | Q(Exists(named))
    hidden = Family.objects.filter(restricted=True).exclude(Exists(named)).values("pk")
    return ~Q(**{f"{via}_id__in": hidden})


def family_scope(user, via: str = "") -> Q:
    """The filter for "families this user may see", on Family or (``via``) on anything that points to one."""
    if not _active(user):
        return Q(pk__in=[])
    if via:
        return Q(**{f"{via}__in": Family.objects.filter(family_scope(user)).values("pk")})
    visible = Q(pk__in=[])
    if has_role(user, Role.MANAGER):
        visible |= Q(base_id__in=managed_base_ids(user))
    if has_role(user, Role.WORKER):
        visible |= Q(pk__in=_visible_ids(user))
    return visible & restriction_filter(user)


def manages_family(user, family: Family) -> bool:
    """A team manager of the family's base: they allocate, restrict, approve and decide for it."""
    return manages_base(user, family.base_id)


def is_allocated(user, family: Family) -> bool:
    """``user`` is the family's lead worker or a co-worker now."""
    return family.allocations.filter(worker_id=user.pk, ended_at__isnull=True).exists()


def address_visible(*, user, family: Family | None) -> bool:
    """A withheld address shows only to the family's allocated workers and the managers of its base."""
    if family is None or not family.address_withheld:
        return True
    return manages_family(user, family) or is_allocated(user, family)
