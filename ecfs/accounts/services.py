"""Writes for two-factor authentication: enrolment, verification, recovery codes and reset.

Each writes its own audit event. A refused code raises ``ApplicationError`` *after* its transaction has
committed, so the throttling counter and the audit row of a failure are kept.
"""

import math
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"[0-9]{6}")  # ASCII digits only (\d would match other scripts' digits)
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token(): 8 base32 characters, lower case

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

WRONG_TOTP = "The code is not correct. Enter the code your authenticator app shows now"
REUSED_TOTP = "That code has already been used. Wait for your authenticator app to show a new code, then enter it"
WRONG_RECOVERY = "That recovery code is not correct, or it has already been used"
NO_APP = "You have not set up an authenticator app. Set one up first"
NO_RECOVERY = "You have no recovery codes left. Enter the code from your authenticator app instead"
BAD_FORMAT = "Enter the 6-digit code from your authenticator app, or a recovery code"


def code_normalise(raw: str) -> str:
    """A code as typed, without spaces or hyphens, in lower case."""
    return re.sub(r"[\s\-]+", "", raw or "").lower()


def code_kind(code: str) -> str | None:
    """``"totp"``, ``"recovery"`` or None for a normalised code."""
    if TOTP_CODE.fullmatch(code):
        return "totp"
    if RECOVERY_CODE.fullmatch(code):
        return "recovery"
    return None


def recovery_code_display(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


@dataclass(frozen=True)
class Refusal:
    """Why a code was refused: ``reason`` for the audit trail, ``message`` for the person."""

    reason: str  # wrong, reused, throttled; or format, expired, no_device (not audited: no code was checked)
    message: str


def _throttled(info: dict | None) -> Refusal:
    locked_until = (info or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    if seconds < 120:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minutes" if minutes < 120 else f"{math.ceil(minutes / 60)} hours"
    return Refusal(
        "throttled",
        f"You have entered too many wrong codes. Wait {wait} and try again. If you still cannot sign in, "
        "ask a service admin to reset your two-factor authentication",
    )


def _code_was_used_before(device: TOTPDevice, token: int) -> bool:
    """Whether a refused TOTP code is right for the time but was already accepted once (``last_t``)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.verify(token, device.tolerance)


def _check_totp(device: TOTPDevice, code: str) -> Refusal | None:
    """None when the code is accepted (the device is saved), otherwise why it was refused."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return _throttled(info)
    if device.verify_token(code):  # refuses a code at or before last_t, and counts failures for throttling
        return None
    if _code_was_used_before(device, int(code)):
        return Refusal("reused", REUSED_TOTP)
    return Refusal("wrong", WRONG_TOTP)


def _check_recovery(device: StaticDevice, code: str) -> Refusal | None:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return _throttled(info)
    if device.verify_token(code):  # deletes the code it matched: a recovery code works once
        return None
    return Refusal("wrong", WRONG_RECOVERY)


def _audit_refused(*, user, stage: str, kind: str, refusal: Refusal) -> None:
    audit_record(
        actor=user,
        action=AuditAction.TWO_FACTOR_VERIFY_FAILED,
        obj=user,
        summary=f"Two-factor code refused at {stage} ({kind}, {refusal.reason})",
        changes={"stage": stage, "kind": kind, "reason": refusal.reason},
    )


def _raise(refusal: Refusal):
    raise ApplicationError(refusal.message, extra={"code": "two_factor_refused", "reason": refusal.reason})


# Enrolment --------------------------------------------------------------------------------------


@transaction.atomic
def two_factor_enrol_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator app the user is setting up: the one already started, or a new key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def _recovery_codes_replace(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    tokens: set[str] = set()
    while len(tokens) < RECOVERY_CODE_COUNT:
        tokens.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in sorted(tokens))
    return [recovery_code_display(token) for token in sorted(tokens)]


def two_factor_enrol_confirm(*, user, device: TOTPDevice, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with a code from it; returns the device and 10 new recovery codes.

    Replaces any app and recovery codes the user had before. A wrong code raises ``ApplicationError``.
    """
    code = code_normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None:
            refused = Refusal("expired", "This setup key has already been used. Start again")
        elif not TOTP_CODE.fullmatch(code):
            refused = Refusal("format", "Enter the 6-digit code from your authenticator app")
        else:
            refused = _check_totp(device, code)
            if refused:
                _audit_refused(user=user, stage="enrolment", kind="totp", refusal=refused)
        if refused is None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user=user)
            audit_record(
                actor=user,
                action=AuditAction.TWO_FACTOR_ENROLLED,
                obj=user,
                summary="Set up two-factor authentication with an authenticator app",
                changes={"recovery_codes": len(codes)},
            )
    if refused:
        _raise(refused)
    return device, codes


# Verification -----------------------------------------------------------------------------------


def two_factor_verify(*, user, code: str) -> Device:
    """Check a code at sign-in: a 6-digit code from the app, or a recovery code (which then stops working).

    Returns the device that accepted it (for ``django_otp.login``). A refused code is audited, counts
    towards throttling and raises ``ApplicationError`` with a message for the user.
    """
    code = code_normalise(code)
    kind = code_kind(code)
    if kind is None:
        _raise(Refusal("format", BAD_FORMAT))
    model = TOTPDevice if kind == "totp" else StaticDevice
    with transaction.atomic():
        # Locked, so two requests with the same code cannot both pass (last_t, a recovery code's deletion).
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        if device is None:
            refused = Refusal("no_device", NO_APP if kind == "totp" else NO_RECOVERY)
        else:
            refused = _check_totp(device, code) if kind == "totp" else _check_recovery(device, code)
            if refused:
                _audit_refused(user=user, stage="sign-in", kind=kind, refusal=refused)
    if refused:
        _raise(refused)
    return device


# Recovery codes and reset -----------------------------------------------------------------------


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """New recovery codes for a user who has set up an app; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError(NO_APP)
    codes = _recovery_codes_replace(user=user)
    audit_record(
        actor=user,
        action=AuditAction.TWO_FACTOR_RECOVERY_CODES_REPLACED,
        obj=user,
        summary="Generated new two-factor recovery codes",
        changes={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def two_factor_reset(*, user, actor) -> int:
    """Remove a user's authenticator app and recovery codes (a lost phone). Returns how many devices went.

    Their sessions stop counting as verified on the next request; if their role needs two-factor, they
    set up a new app at their next sign-in.
    """
    totp = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    static = StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    audit_record(
        actor=actor,
        action=AuditAction.TWO_FACTOR_RESET,
        obj=user,
        summary=f"Reset the two-factor authentication of {user.email}",
        changes={"authenticator_apps": totp, "recovery_code_sets": static},
    )
    return totp + static
