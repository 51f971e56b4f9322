"""Celery jobs: send one message, the sweep for messages whose job never ran, the 07:00 digests and the
families' reminders of tomorrow."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .models import Message
from .services import digest_queue, digest_recipients, message_deliver, messages_waiting, reminders_queue

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


@shared_task(bind=True, **RETRY)
def send_message(self, message_id: int) -> str:
    """Send one message; a failed delivery is tried again with a growing delay (the row counts the attempts,
    and marks the message failed at the limit). Run in-process (no broker), a failure waits for the sweep."""
    message = message_deliver(message_id=message_id)
    if message.status == Message.Status.QUEUED and not self.request.is_eager:
        raise self.retry(countdown=min(60 * 2**message.attempts, 3600), max_retries=None)
    return message.status


@shared_task(**RETRY)
def send_waiting_messages() -> int:
    """Every ten minutes: messages queued but never sent (the broker was away when their change committed)."""
    waiting = messages_waiting()
    for message_id in waiting:
        send_message.delay(message_id)
    return len(waiting)


@shared_task(**RETRY)
def send_daily_digests() -> int:
    """At 07:00: each manager's and worker's digest of what is overdue, and what they asked to have held."""
    today = timezone.localdate()
    sent = 0
    for user in digest_recipients():
        if digest_queue(user=user, today=today) is not None:
            sent += 1
    logger.info("digests queued: %s", sent)
    return sent


@shared_task(**RETRY)
def send_reminders() -> int:
    """Daily: reminders to families of tomorrow's visits and group sessions."""
    queued = reminders_queue(today=timezone.localdate())
    logger.info("reminders queued: %s", len(queued))
    return len(queued)
