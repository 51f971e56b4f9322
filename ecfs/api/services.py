"""Writes for partner systems: their tokens. (The referrals they send: ``referrals.partner``.)"""

import secrets

from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError

from .models import PartnerSystem, token_hash

TOKEN_PREFIX = "ecfsp_"  # noqa: S105 (a label that makes leaked tokens recognisable, not a secret)


@transaction.atomic
def partner_system_create(*, name: str) -> tuple[PartnerSystem, str]:
    """Register a partner system; returns it and its token, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError("Give the partner system a name.")
    if PartnerSystem.objects.filter(name__iexact=name).exists():
        raise ApplicationError(f"A partner system called {name} already exists.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    partner = PartnerSystem.objects.create(name=name, token_hash=token_hash(token))
    audit_record(
        actor=None, action=AuditAction.API_PARTNER_CREATED, obj=partner, summary=f"Partner system {name} registered"
    )
    return partner, token


@transaction.atomic
def partner_system_revoke(*, partner: PartnerSystem) -> PartnerSystem:
    partner = PartnerSystem.objects.select_for_update().get(pk=partner.pk)
    if partner.is_active:
        partner.is_active = False
        partner.revoked_at = timezone.now()
        partner.save(update_fields=["is_active", "revoked_at"])
        audit_record(
            actor=None, action=AuditAction.API_PARTNER_REVOKED, obj=partner, summary=f"Token of {partner} revoked"
        )
    return partner
