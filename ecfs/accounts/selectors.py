"""Reads about a user's two-factor authentication (django-otp devices)."""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ecfs.roles import roles_of


def two_factor_required(user) -> bool:
    """Whether the user must use two-factor: a role in ``ECFS_MFA_REQUIRED_ROLES``, or access to the admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    required = set(settings.ECFS_MFA_REQUIRED_ROLES)
    return any(role.value in required for role in roles_of(user))


def totp_device_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def two_factor_enabled(user) -> bool:
    """Whether the user has set up an authenticator app, so every sign-in asks for a code (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_device_of(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
