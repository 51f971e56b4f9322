"""A Celery worker is killed (SIGKILL) in the middle of a return job: the job runs again, one draft results.

The job is held at a known point in the middle: the test locks the audit table, so the job marks the request
running, computes the figures, writes the PDF and CSV, inserts the draft and then waits to write the draft's
audit event, in the draft's still open transaction. (Not the returns table: asking for a return inserts a
request row whose foreign key to it takes a share lock.)
"""

import os
import signal
import time

import pytest
from django.utils import timezone

from reporting.periods import MONTHLY, last_complete

from .stack import wait_until

pytestmark = pytest.mark.faults

VISIBILITY_TIMEOUT = 5  # seconds before Redis hands an unacknowledged job to another worker (an hour in production)


def job_waits_for_the_audit_table(services) -> bool:
    rows = services.query(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = 'audit_auditevent' AND NOT l.granted"
    )
    return rows[0][0] > 0


def states(services, period: str) -> list[str]:
    rows = services.query("SELECT state FROM reporting_returnrequest WHERE period = %s ORDER BY id", (period,))
    return [state for (state,) in rows]


@pytest.mark.parametrize(
    ("victim", "manager", "months_back"),
    [("worker", "manager2", 1), ("pool process", "manager3", 2)],
    ids=["whole-worker-killed-another-worker-takes-the-job", "pool-process-killed-the-worker-requeues-the-job"],
)
def test_killed_worker_mid_return_the_job_runs_again_and_one_draft_results(services, victim, manager, months_back):
    base_url = services.start_web(workers=1)
    settings = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    celery = services.start_worker(**settings)
    boss = services.browser(base_url, manager)
    period = last_complete(MONTHLY, timezone.localdate()).previous(months_back - 1).label

    lock = services.postgres.connect()
    try:
        lock.cursor().execute("LOCK TABLE audit_auditevent IN EXCLUSIVE MODE")  # held until the rollback below
        asked = boss.post_form("/returns/", {"kind": "monthly", "monthly_period": period})
        assert asked.status == 200, asked.body[:500]
        wait_until(lambda: job_waits_for_the_audit_table(services), timeout=60, what="the job to reach its audit event")
        assert states(services, period) == ["running"]
        if victim == "worker":
            celery.kill()  # the main process and its pool: nothing is left to acknowledge or requeue the job
            killed = time.monotonic()
        else:
            (pool_process,) = celery.children()
            os.kill(pool_process, signal.SIGKILL)  # the main process sees it go and puts the job back
    finally:
        lock.rollback()
        lock.close()

    if victim == "worker":
        assert not celery.alive()
        # Redis hands the unacknowledged job out again once its visibility timeout has run out.
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed)))
        services.start_worker(**settings)
    else:
        assert celery.alive()
    wait_until(lambda: states(services, period) == ["done"], timeout=90, what="the job to run again and finish")

    drafts = services.query(
        "SELECT id, status, version FROM reporting_return WHERE kind = 'monthly' AND period = %s", (period,)
    )
    assert [(status, version) for _, status, version in drafts] == [("draft", 1)]
    assert services.query("SELECT result_id FROM reporting_returnrequest WHERE period = %s", (period,)) == [
        (drafts[0][0],)
    ]
    generated = services.query(
        "SELECT count(*) FROM audit_auditevent WHERE action = 'return.generated' AND summary LIKE %s",
        (f"% {period} %",),
    )
    assert generated == [(1,)]  # the killed attempt left no trace: its transaction never committed
