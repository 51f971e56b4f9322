"""Who may change the community groups register and the grants (reads are open to every member of staff)."""

from bases.selectors import managed_district_ids
from ecfs.roles import Role, has_role


def can_add_group(user) -> bool:
    """Team managers (for their districts) and the service admin keep the register."""
    return has_role(user, Role.ADMIN) or bool(managed_district_ids(user))


def can_edit_group(user, group) -> bool:
    return has_role(user, Role.ADMIN) or group.district_id in managed_district_ids(user)


def group_districts_for(user) -> list[int] | None:
    """The districts ``user`` may add groups in; None means every district (the service admin)."""
    if has_role(user, Role.ADMIN):
        return None
    return managed_district_ids(user)


def can_manage_grants(user) -> bool:
    """Grants are run by the team managers (each district's early help lead) and the service admin."""
    return has_role(user, Role.ADMIN) or has_role(user, Role.MANAGER)
