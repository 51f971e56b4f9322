"""A real SMTP server on 127.0.0.1 (aiosmtpd), started per test; the emails it received are read back."""

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.received.append(
            {"to": envelope.rcpt_tos, "subject": message["subject"], "body": message.get_content(), "raw": message}
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[dict]:
        return [mail for mail in self.received if address in mail["to"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Email goes to a real SMTP server this test started; ``smtp.received`` is what arrived."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    inbox.port = port
    inbox.controller = controller
    yield inbox
    controller.stop()


@pytest.fixture
def texts(settings, tmp_path):
    """Text messages written by the file backend into this test's own folder."""
    settings.SMS_BACKEND = "file"
    settings.MESSAGES_DIR = tmp_path
    folder = tmp_path / "texts"

    def read() -> list[str]:
        return [path.read_text() for path in sorted(folder.glob("*.txt"))] if folder.exists() else []

    return read
