"""The nightly retention job."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .services import referral_retention_run, retention_run

logger = logging.getLogger(__name__)


@shared_task(
    name="ecfs.privacy.tasks.apply_retention",  # the name it was registered under before the app moved
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=6,
    acks_late=True,
)
def apply_retention() -> dict:
    """Nightly at 02:30: anonymise every family past its retention date, then every referral never linked to a
    family that is past its own. Idempotent: a family already anonymised, or put on legal hold in the meantime,
    is left alone, and so is a referral already anonymised or linked to a family since."""
    today = timezone.localdate()
    done = [r.family for r in retention_run(today=today) if r.anonymised]
    referrals = [r.referral for r in referral_retention_run(today=today) if r.anonymised]
    logger.info("retention: %s families and %s referrals anonymised", len(done), len(referrals))
    return {"anonymised": done, "referrals_anonymised": referrals}
