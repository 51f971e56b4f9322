"""The four roles of DESIGN §2, held as Django groups.

A role decides the landing page and the navigation. What a user may *see* is
decided in each app's selectors, never by the group alone.
"""

from django.db import models


class Role(models.TextChoices):
    WORKER = "worker", "Family support worker"
    MANAGER = "manager", "Team manager"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMIN = "admin", "Service admin"


# When a user holds several roles, the first of these decides their landing page.
ROLE_PRECEDENCE = (Role.MANAGER, Role.WORKER, Role.COMMISSIONER, Role.ADMIN)

# Configuration a service admin may manage in the admin screens (no case records).
ADMIN_MANAGED_MODELS = {
    "accounts": ["user"],
    "bases": ["district", "base", "team", "staffprofile", "locality"],
    "venues": ["venue", "groupprogramme"],
    "support_fund": ["fundlimits", "fundsource"],
    "reporting": ["kpitarget", "budgetactual", "contractbudgetline"],
    "imports": ["importbatch"],
}


def group_name(role: Role) -> str:
    return role.label


def roles_of(user) -> set[Role]:
    """The roles a user holds, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_ecfs_roles", None)
    if cached is None:
        by_label = {role.label: role for role in Role}
        names = user.groups.values_list("name", flat=True)
        cached = {by_label[name] for name in names if name in by_label}
        user._ecfs_roles = cached
    return cached


def primary_role(user) -> Role | None:
    held = roles_of(user)
    return next((role for role in ROLE_PRECEDENCE if role in held), None)


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)


def role_groups_ensure() -> None:
    """Create the role groups and give the admin group its configuration rights.

    Idempotent. Called by the data migration (groups only: permissions do not
    exist yet while migrating) and by ``load_reference_data``.
    """
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        Group.objects.get_or_create(name=group_name(role))
    admin_group = Group.objects.get(name=group_name(Role.ADMIN))
    wanted = Permission.objects.filter(
        models.Q(
            *[
                models.Q(content_type__app_label=app, content_type__model__in=names)
                for app, names in ADMIN_MANAGED_MODELS.items()
            ],
            _connector=models.Q.OR,
        )
    )
    admin_group.permissions.add(*wanted)
