"""Redis stops under a running web server and Celery worker, then comes back."""

import pytest
from django.utils import timezone

from reporting.periods import QUARTERLY, last_complete

from .stack import PARTNER_TOKEN, Browser, wait_until

pytestmark = pytest.mark.faults

QUEUE_DOWN = "The job queue is not available at the moment, so the return was not started."


def request_state(services, period: str) -> list[str]:
    rows = services.query("SELECT state FROM reporting_returnrequest WHERE period = %s ORDER BY id", (period,))
    return [state for (state,) in rows]


def test_redis_outage_keeps_signed_in_pages_working_and_refuses_a_return_with_a_message(services):
    base_url = services.start_web(workers=1)
    services.start_worker()
    worker = services.browser(base_url, "worker")
    manager = services.browser(base_url, "manager1")
    partner = Browser(base_url)
    partner.headers["Authorization"] = f"Bearer {PARTNER_TOKEN}"
    assert partner.get("/api/partner/referrals/").status == 200  # rate-limited: counts requests in the cache
    quarter = last_complete(QUARTERLY, timezone.localdate()).label

    services.redis.stop()

    # The cache misses; sessions and sign-in lockouts are in the database.
    for path in ("/", "/families/", "/my-week/"):
        page = worker.get(path)
        assert page.status == 200 and page.seconds < 5, f"{path}: {page.status} in {page.seconds:.1f}s"
    assert partner.get("/api/partner/referrals/").status == 200
    assert services.browser(base_url, "worker").get("/my-week/").status == 200  # a new sign-in works
    health = Browser(base_url).get("/healthz")
    assert (health.status, health.json()["down"]) == (503, ["redis"])

    # A return cannot be queued: the manager is told so, straight away.
    refused = manager.post_form("/returns/", {"kind": "quarterly", "quarterly_period": quarter})
    assert refused.status == 200 and refused.seconds < 10, f"{refused.status} in {refused.seconds:.1f}s"
    assert QUEUE_DOWN in refused.body
    assert request_state(services, quarter) == ["failed"]

    services.redis.start()  # empty, on the same port; nothing else is restarted

    accepted = manager.post_form("/returns/", {"kind": "quarterly", "quarterly_period": quarter})
    assert accepted.status == 200 and QUEUE_DOWN not in accepted.body
    wait_until(
        lambda: request_state(services, quarter) == ["failed", "done"],
        timeout=60,
        what="the worker to reconnect and generate the return",
    )
    drafts = services.query("SELECT count(*) FROM reporting_return WHERE period = %s AND status = 'draft'", (quarter,))
    assert drafts == [(1,)]
