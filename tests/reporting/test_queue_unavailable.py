"""Asking for a return while the job queue (Redis) is away: refused with a message, not a 500 or a job that
never runs. The fault tests (tests/faults) show the same through a real server with Redis stopped."""

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reporting import services, tasks
from reporting.models import ReturnRequest
from reporting.periods import MONTHLY, last_complete

pytestmark = pytest.mark.django_db


def test_a_return_asked_for_while_the_queue_is_away_fails_with_a_message(
    client, cast, monkeypatch, django_capture_on_commit_callbacks
):
    def queue_away(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.generate_requested_return, "delay", queue_away)
    client.force_login(cast.manager)
    month = last_complete(MONTHLY, timezone.localdate()).label
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("return-list"), {"kind": "monthly", "monthly_period": month})
    assert response.status_code == 302
    job = ReturnRequest.objects.get()
    assert (job.state, job.error) == (ReturnRequest.State.FAILED, services.QUEUE_UNAVAILABLE)
    page = client.get(response.url).content.decode()
    assert "The return could not be generated" in page and "job queue is not available" in page
