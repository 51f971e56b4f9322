"""PostgreSQL stops for ten seconds under a running web server, then comes back."""

import time

import pytest

pytestmark = pytest.mark.faults

OUTAGE_SECONDS = 10
ERROR_PAGE = "Sorry, there is a problem with the service"


def test_database_outage_answers_the_error_page_quickly_and_the_service_recovers_by_itself(services):
    base_url = services.start_web(workers=2)
    gunicorn = services.processes[-1]
    worker = services.browser(base_url, "worker")
    probe = services.browser(base_url)  # a load balancer's health check: no session cookie
    for _ in range(4):  # both gunicorn workers hold a persistent connection to the database
        assert worker.get("/").status == 200
    before = gunicorn.children()

    services.postgres.stop("fast")
    stopped = time.monotonic()
    health_seen = pages_seen = 0
    while time.monotonic() - stopped < OUTAGE_SECONDS:
        health = probe.get("/healthz")
        assert health.status == 503, health.body
        assert health.json() == {"status": "unavailable", "down": ["database"]}
        # A monitor that carries a session cookie is answered before the session is read: 503 too.
        signed_in_health = worker.get("/healthz")
        assert signed_in_health.status == 503, signed_in_health.body[:300]
        page = worker.get("/families/")
        assert page.status == 500 and ERROR_PAGE in page.body, page.body[:500]
        assert max(health.seconds, page.seconds) < 5, "a request waited on the stopped database"
        health_seen, pages_seen = health_seen + 1, pages_seen + 1
        time.sleep(0.5)
    services.postgres.start()

    assert health_seen >= 3 and pages_seen >= 3
    # Nothing restarted: the same gunicorn workers, the same signed-in session, every request answered.
    for path in ("/healthz", "/", "/families/", "/my-week/", "/healthz", "/", "/families/", "/my-week/"):
        answer = worker.get(path)
        assert answer.status == 200, f"{path} after the restart: {answer.status} {answer.body[:300]}"
    assert gunicorn.children() == before
    assert probe.get("/healthz").json() == {"status": "ok"}


def test_a_database_restart_between_requests_goes_unnoticed(services):
    """Every gunicorn worker holds a persistent connection the restart has broken, and no request saw the
    outage: the connection is checked before reuse (``CONN_HEALTH_CHECKS``) and replaced, so no request fails."""
    base_url = services.start_web(workers=2)
    worker = services.browser(base_url, "worker")
    for _ in range(6):
        assert worker.get("/families/").status == 200
    services.postgres.stop("fast")
    services.postgres.start()
    for _ in range(6):
        answer = worker.get("/families/")
        assert answer.status == 200, f"after the restart: {answer.status} {answer.body[:300]}"
