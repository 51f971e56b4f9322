"""Messages through the real stack: the change commits, the job goes through Redis to a Celery worker, the
worker sends by SMTP (a real server this test starts); the same job delivered twice sends one email."""

import email
import time
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from .stack import free_port, wait_until

pytestmark = pytest.mark.faults

QUEUE_AND_REDELIVER = """
from django.db import transaction
from notifications import content, services, tasks
with transaction.atomic():
    message = services.message_queue(
        key="faults:referral-outcome", kind="referral_outcome", channel="email",
        text=content.referral_outcome(reference="REF-000001", status="signposted", reason_label="", contact="us"),
        recipient_address="referrer@faults.example",
    )
tasks.send_message.delay(message.pk)  # the same job again, as a broker redelivering it would
"""


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def test_a_message_goes_through_redis_and_a_worker_once(services):
    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        mail = {"EMAIL_URL": f"smtp://127.0.0.1:{port}"}
        services.start_worker(**mail)
        services.manage("shell", "-c", QUEUE_AND_REDELIVER, **mail)
        wait_until(lambda: inbox.received, timeout=60, what="the email to reach the SMTP server")
        wait_until(
            lambda: services.query("SELECT count(*) FROM audit_auditevent WHERE action = 'message.sent'")[0][0] == 1,
            timeout=30,
            what="the send to be audited",
        )
        time.sleep(3)  # the second delivery of the job has run by now: it found the message sent
        assert len(inbox.received) == 1
        assert inbox.received[0]["To"] == "referrer@faults.example"
        assert services.query("SELECT status, attempts FROM notifications_message") == [("sent", 1)]
    finally:
        smtp.stop()
