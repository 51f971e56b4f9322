"""Protecting a family's record: restriction to named users, a withheld address, a legal hold."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bases.models import StaffProfile, Team
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role

from ..models import Family
from .households import _check_manages


def _locked(family: Family) -> Family:
    return Family.objects.select_for_update().get(pk=family.pk)


def restriction_candidates(family: Family):
    """Who may be named on a restricted family: the staff and managers of its base's teams."""
    from django.contrib.auth import get_user_model

    teams = Team.objects.filter(base_id=family.base_id)
    staff = StaffProfile.objects.filter(team__in=teams).values("user_id")
    managers = teams.values("manager_id")
    return get_user_model().objects.filter(Q(pk__in=staff) | Q(pk__in=managers), is_active=True)


@transaction.atomic
def family_restrict(*, family: Family, actor, named: list, reason: str) -> Family:
    """Restrict the family to ``named`` users; the manager doing it and the allocated workers are always named."""
    family = _locked(family)
    _check_manages(actor, family)
    if not reason.strip():
        raise ApplicationError("Give the reason the family's record is restricted.")
    allowed = {user.pk for user in restriction_candidates(family)}
    outsiders = [user for user in named if user.pk not in allowed]
    if outsiders:
        raise ApplicationError(
            f"{', '.join(u.get_full_name() or u.email for u in outsiders)} does not work in this family's base."
        )
    allocated = [a.worker for a in family.allocations.filter(ended_at__isnull=True).select_related("worker")]
    users = {user.pk: user for user in [actor, *named, *allocated]}
    family.restricted = True
    family.save(update_fields=["restricted", "modified_at"])
    family.restricted_to.set(users.values())
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_RESTRICTED,
        obj=family,
        family=family,
        summary="Record restricted to named staff",
        changes={"named": sorted(user.email for user in users.values()), "reason": reason},
    )
    return family


@transaction.atomic
def family_unrestrict(*, family: Family, actor, reason: str) -> Family:
    family = _locked(family)
    _check_manages(actor, family)
    if not family.restricted:
        raise ApplicationError("This family's record is not restricted.")
    if not reason.strip():
        raise ApplicationError("Give the reason the restriction is lifted.")
    family.restricted = False
    family.save(update_fields=["restricted", "modified_at"])
    family.restricted_to.clear()
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_UNRESTRICTED,
        obj=family,
        family=family,
        summary="Restriction lifted",
        changes={"reason": reason},
    )
    return family


@transaction.atomic
def address_withhold(*, family: Family, actor, withheld: bool, reason: str) -> Family:
    """Mark the household's address withheld (or no longer); anyone who may see the family can."""
    family = _locked(family)
    if family.address_withheld == withheld:
        raise ApplicationError("The address is already withheld." if withheld else "The address is not withheld.")
    if not reason.strip():
        raise ApplicationError("Give the reason for the change.")
    family.address_withheld = withheld
    family.save(update_fields=["address_withheld", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_ADDRESS_WITHHELD if withheld else AuditAction.FAMILY_ADDRESS_RELEASED,
        obj=family,
        family=family,
        summary="Address withheld" if withheld else "Address no longer withheld",
        changes={"reason": reason},
    )
    return family


def _check_may_hold(actor, family: Family) -> None:
    if has_role(actor, Role.ADMIN) or actor.is_superuser:
        return
    _check_manages(actor, family)


@transaction.atomic
def legal_hold_place(*, family: Family, actor, reason: str) -> Family:
    family = _locked(family)
    _check_may_hold(actor, family)
    if family.anonymised_at:
        raise ApplicationError("This family's record has already been anonymised.")
    if not reason.strip():
        raise ApplicationError("Give the reason for the legal hold, for example the case or request it is for.")
    family.legal_hold = True
    family.legal_hold_reason = reason.strip()[:300]
    family.save(update_fields=["legal_hold", "legal_hold_reason", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_LEGAL_HOLD,
        obj=family,
        family=family,
        summary="Legal hold placed",
        changes={"reason": family.legal_hold_reason, "at": timezone.now().isoformat()},
    )
    return family


@transaction.atomic
def legal_hold_release(*, family: Family, actor, reason: str) -> Family:
    family = _locked(family)
    _check_may_hold(actor, family)
    if not family.legal_hold:
        raise ApplicationError("This family is not on legal hold.")
    if not reason.strip():
        raise ApplicationError("Give the reason the legal hold is released.")
    family.legal_hold = False
    family.legal_hold_reason = ""
    family.save(update_fields=["legal_hold", "legal_hold_reason", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_LEGAL_HOLD_RELEASED,
        obj=family,
        family=family,
        summary="Legal hold released",
        changes={"reason": reason},
    )
    return family
