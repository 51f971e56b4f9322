"""Referrals sent by partner systems through the API."""

from django.db import transaction
from django.utils import timezone

from ecfs.api.models import PartnerReferral, PartnerSystem
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record

from .models import Referral
from .services import referral_create


@transaction.atomic
def partner_referral_create(*, partner: PartnerSystem, **fields) -> Referral:
    """A referral sent by a partner system: routed like any other, recorded by no one, linked to the partner."""
    referral = referral_create(
        actor=None,
        received_at=timezone.now(),
        received_via=Referral.ReceivedVia.PARTNER_SYSTEM,
        **fields,
    )
    PartnerReferral.objects.create(partner=partner, referral=referral)
    audit_record(
        actor=None,
        action=AuditAction.REFERRAL_PARTNER_RECEIVED,
        obj=referral,
        summary=f"Referral {referral.reference} sent by {partner.name}",
    )
    return referral
