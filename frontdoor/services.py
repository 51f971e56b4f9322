"""The one write of the public request for support: the referral, through the same intake as staff entry."""

import logging

from django.db import transaction
from django.utils import timezone

from referrals.models import Referral
from referrals.services import referral_create

logger = logging.getLogger(__name__)


@transaction.atomic
def support_request_submit(*, route: str, people: list[dict], reasons: list, **fields) -> Referral:
    """Record a request sent through the online form as a referral: received now via the web form, recorded by
    no one, routed by place after the duplicate check, with working-day due dates (``referral_create``, which
    also audits it). It is in the triage queue as soon as this transaction commits."""
    referral = referral_create(
        actor=None,
        people=people,
        reasons=reasons,
        received_at=timezone.now(),
        received_via=Referral.ReceivedVia.WEB_FORM,
        **fields,
    )
    logger.info("request for support %s received online (%s route)", referral.reference, route)
    return referral
