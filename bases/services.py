"""Staff accounts managed by the service admin: add a member of staff on one page, deactivate one.

Each write is one transaction with its audit event. The new account has no usable password: the admin
sends the member of staff a one-time set-password link (``set_password_link``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.roles import Role, group_name

from .models import StaffProfile, Team

# Workers and managers belong to a team: the team decides which families they see.
ROLES_IN_A_TEAM = (Role.WORKER, Role.MANAGER)


@transaction.atomic
def staff_add(*, actor, first_name: str, last_name: str, email: str, role: str, team: Team | None, job_title: str = ""):
    """Add a member of staff with their role and team; returns the new user (without a usable password).

    A team manager becomes their team's manager, so the team must not have one already. Raises
    ``ValidationError`` (keyed by field) for a duplicate email, a missing team or a managed team.
    """
    User = get_user_model()
    role = Role(role)
    email = User.objects.normalize_email(email.strip()).lower()
    errors = {}
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = "There is already an account with this email address"
    if role in ROLES_IN_A_TEAM and team is None:
        errors["team"] = f"Select the team the {role.label.lower()} works in"
    if role == Role.MANAGER and team is not None:
        team = Team.objects.select_for_update().get(pk=team.pk)  # two admins cannot both give it a manager
        if team.manager_id is not None:
            errors["team"] = (
                f"{team.name} already has a team manager, {team.manager.get_full_name()}. "
                "Choose a team without a manager"
            )
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        email=email, password=None, first_name=first_name.strip(), last_name=last_name.strip()
    )
    user.groups.add(Group.objects.get_or_create(name=group_name(role))[0])
    StaffProfile.objects.create(user=user, team=team, job_title=job_title or role.label)
    if role == Role.MANAGER:
        team.manager = user
        team.save(update_fields=["manager", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_ADDED,
        obj=user,
        summary=f"Added {email} as {role.label.lower()}" + (f" in {team.name}" if team else ""),
        changes={"role": role.value, "team": team.name if team else None, "manages_team": role == Role.MANAGER},
    )
    return user


def set_password_link(*, actor, user, request=None) -> str:
    """A one-time link for ``user`` to choose a password; it stops working once used or after
    ``PASSWORD_RESET_TIMEOUT``. Audited (the link itself is not stored)."""
    path = reverse(
        "set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_SET_PASSWORD_LINK,
        obj=user,
        summary=f"Made a set-password link for {user.email}",
        changes={"valid_for_seconds": settings.PASSWORD_RESET_TIMEOUT},
    )
    return request.build_absolute_uri(path) if request is not None else path


@transaction.atomic
def staff_deactivate(*, actor, user, reason: str):
    """Stop a member of staff signing in. Their allocations stay open for their manager to reallocate;
    a team they managed keeps them as its manager until the admin changes it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this member of staff is being deactivated"})
    if user.pk == actor.pk:
        raise ValidationError({"reason": "You cannot deactivate your own account"})
    if not user.is_active:
        raise ValidationError({"reason": f"{user.get_full_name()} is already deactivated"})
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_DEACTIVATED,
        obj=user,
        summary=f"Deactivated {user.email}",
        changes={"reason": reason},
    )
    return user
