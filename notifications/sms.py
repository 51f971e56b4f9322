"""Text messages: one small interface, a GOV.UK Notify implementation and the embedded default (files).

``SMS_BACKEND`` chooses: ``notify`` (``NOTIFY_API_KEY``, and ``NOTIFY_SMS_TEMPLATE_ID`` naming a Notify text
template whose whole body is ``((message))``), ``file`` (each text written under ``MESSAGES_DIR/texts/``) or
``console`` (logged)."""

import logging
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


class TextNotSent(Exception):
    """The text could not be handed over (the caller tries again later)."""


class TextBackend(Protocol):
    def send(self, *, to: str, body: str, reference: str) -> None: ...


class NotifyTextBackend:
    def __init__(self, *, api_key: str, template_id: str):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)
        self.template_id = template_id

    def send(self, *, to: str, body: str, reference: str) -> None:
        from notifications_python_client.errors import APIError
        from requests import RequestException

        try:
            self.client.send_sms_notification(
                phone_number=to, template_id=self.template_id, personalisation={"message": body}, reference=reference
            )
        except (APIError, RequestException) as error:
            raise TextNotSent(str(error)[:200]) from error


class FileTextBackend:
    """Writes each text to its own file, as Django's file email backend does for emails."""

    def __init__(self, *, folder: Path):
        self.folder = Path(folder)

    def send(self, *, to: str, body: str, reference: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        (self.folder / f"{stamp}-{reference}.txt").write_text(f"To: {to}\nReference: {reference}\n\n{body}\n")


class ConsoleTextBackend:
    def send(self, *, to: str, body: str, reference: str) -> None:
        logger.info("text message reference=%s to=%s\n%s", reference, to, body)


def text_backend() -> TextBackend:
    if settings.SMS_BACKEND == "notify":
        return NotifyTextBackend(api_key=settings.NOTIFY_API_KEY, template_id=settings.NOTIFY_SMS_TEMPLATE_ID)
    if settings.SMS_BACKEND == "console":
        return ConsoleTextBackend()
    return FileTextBackend(folder=Path(settings.MESSAGES_DIR) / "texts")
