"""Celery jobs: the scheduled returns, and returns asked for on the page."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .models import ReturnRequest
from .periods import MONTHLY, QUARTERLY, first_working_day, last_complete
from .services import return_generate

logger = logging.getLogger(__name__)

# Retry while the database is briefly away; delays stay well under Redis's visibility timeout (1 hour).
RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
    "acks_late": True,
}
QUARTER_END_MONTHS = (1, 4, 7, 10)  # the month after each financial quarter ends


@shared_task(**RETRY)
def generate_return(kind: str, label: str) -> str:
    from .periods import parse_period

    generated = return_generate(period=parse_period(label))
    logger.info("return generated kind=%s period=%s version=%s", kind, label, generated.version)
    return str(generated.uuid)


@shared_task(**RETRY)
def scheduled_returns() -> list[str]:
    """Daily at 06:00: on the first working day of a month, the previous month's return (and, after a
    financial quarter, the quarter's). Running it twice leaves one refreshed draft per period."""
    today = timezone.localdate()
    if today != first_working_day(today.year, today.month):
        return []
    done = [generate_return(MONTHLY, last_complete(MONTHLY, today).label)]
    if today.month in QUARTER_END_MONTHS:
        done.append(generate_return(QUARTERLY, last_complete(QUARTERLY, today).label))
    return done


@shared_task(**RETRY)
def generate_requested_return(request_id: int) -> None:
    request = ReturnRequest.objects.get(pk=request_id)
    ReturnRequest.objects.filter(pk=request_id).update(state=ReturnRequest.State.RUNNING)
    from .periods import parse_period

    try:
        result = return_generate(period=parse_period(request.period), actor=request.requested_by)
    except (OperationalError, InterfaceError):
        ReturnRequest.objects.filter(pk=request_id).update(state=ReturnRequest.State.QUEUED)
        raise
    except Exception as error:
        logger.exception("return generation failed for request %s", request_id)
        ReturnRequest.objects.filter(pk=request_id).update(
            state=ReturnRequest.State.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        return
    ReturnRequest.objects.filter(pk=request_id).update(
        state=ReturnRequest.State.DONE, result=result, finished_at=timezone.now()
    )
