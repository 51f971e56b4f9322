"""The one write of the public request for support: the referral, through the same intake as staff entry."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals.models import Referral
from referrals.services import referral_create

logger = logging.getLogger(__name__)


@transaction.atomic
def support_request_submit(
    *, route: str, people: list[dict], reasons: list, send_key: str | None = None, **fields
) -> Referral:
    """Record a request sent through the online form as a referral: received now via the web form, recorded by
    no one, routed by place after the duplicate check, with working-day due dates (``referral_create``, which
    also audits it). It is in the triage queue as soon as this transaction commits.

    ``send_key`` names this browser's answers (``journey.send_key``): *Send* pressed twice, the second press
    reading the answers before the first had finished, makes one referral, and both answer with it."""
    earlier = Referral.objects.filter(online_send_key=send_key).first() if send_key else None
    if earlier is not None:
        logger.info("request for support %s sent again from the same browser: not recorded twice", earlier.reference)
        return earlier
    try:
        with transaction.atomic():
            referral = referral_create(
                actor=None,
                people=people,
                reasons=reasons,
                received_at=timezone.now(),
                received_via=Referral.ReceivedVia.WEB_FORM,
                online_send_key=send_key,
                **fields,
            )
    except IntegrityError:
        # The other press got there first (the unique key waited for it to commit).
        earlier = Referral.objects.filter(online_send_key=send_key).first() if send_key else None
        if earlier is None:
            raise
        logger.info("request for support %s sent twice at once: not recorded twice", earlier.reference)
        return earlier
    logger.info("request for support %s received online (%s route)", referral.reference, route)
    return referral
