"""Reads of returns: commissioners see submitted returns only; managers and admins see drafts too."""

from django.db.models import OuterRef, Subquery
from django.http import Http404

from ecfs.roles import Role, has_role

from .models import Return


def can_see_returns(user) -> bool:
    return any(has_role(user, role) for role in (Role.MANAGER, Role.ADMIN, Role.COMMISSIONER))


def return_list(*, user):
    """Returns ``user`` may see, each with ``replaced_by_version``: the submitted version that corrected it."""
    replacement = Return.objects.filter(replaces=OuterRef("pk"), status=Return.Status.SUBMITTED).values("version")
    returns = Return.objects.annotate(replaced_by_version=Subquery(replacement[:1]))
    if has_role(user, Role.MANAGER) or has_role(user, Role.ADMIN):
        return returns
    if has_role(user, Role.COMMISSIONER):
        return returns.filter(status=Return.Status.SUBMITTED)
    return Return.objects.none()


def return_get(*, user, uuid) -> Return:
    found = return_list(user=user).select_related("generated_by", "submitted_by", "replaces").filter(uuid=uuid).first()
    if found is None:
        raise Http404("No such return")
    return found


def latest_submitted(kind: str) -> Return | None:
    return (
        Return.objects.filter(kind=kind, status=Return.Status.SUBMITTED).order_by("-period_start", "-version").first()
    )
