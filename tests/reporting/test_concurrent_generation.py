"""Two jobs generating the same return at the same moment, for real: two threads, two PostgreSQL connections.

A new period has no row for ``select_for_update`` to lock, so both jobs reach the insert. To make them meet
there every time (not just when the scheduler is unlucky), a third connection holds the return table in
SHARE mode: reads and row locks pass, inserts wait. Once both jobs are waiting, it lets go.
"""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from ecfs.audit.models import AuditEvent
from reporting import services
from reporting.models import Return
from reporting.periods import parse_period
from tests.conftest import build_cast

PERIOD = parse_period("2026-06")  # a fixed, complete month: nothing here depends on today's date

WAITING_JOBS = """
    SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> pg_backend_pid()
"""


def _wait_for_both_jobs_to_block(cursor, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute(WAITING_JOBS)
        if cursor.fetchone()[0] >= 2:
            return
        time.sleep(0.05)
    pytest.fail("the two jobs never both reached the insert")


def _generate_twice_at_once(actor):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def job():
        close_old_connections()
        try:
            barrier.wait(timeout=20)
            results.append(services.return_generate(period=PERIOD, actor=actor))
        except Exception as error:  # noqa: BLE001 - a crash is what the test looks for
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE reporting_return IN SHARE MODE")
        for thread in threads:
            thread.start()
        _wait_for_both_jobs_to_block(cursor)
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def _files_on_disk(media_root):
    folder = media_root / "returns"
    return sorted(f"returns/{path.name}" for path in folder.iterdir()) if folder.exists() else []


@pytest.mark.django_db(transaction=True)
def test_two_jobs_generating_the_same_new_period_share_one_draft(on_postgres, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cast = build_cast()

    results, errors = _generate_twice_at_once(cast.manager)

    assert errors == []
    first, second = results
    assert first.pk == second.pk and first.uuid == second.uuid
    draft = Return.objects.get(kind=PERIOD.kind, period=PERIOD.label)
    assert (draft.pk, draft.status, draft.version) == (first.pk, Return.Status.DRAFT, 1)
    assert AuditEvent.objects.filter(action="return.generated", object_id=str(draft.uuid)).count() == 1
    # The loser's files are gone; the winner's are the draft's.
    assert _files_on_disk(tmp_path) == sorted([draft.pdf.name, draft.csv.name, draft.definitions_csv.name])


@pytest.mark.django_db(transaction=True)
def test_two_jobs_correcting_a_submitted_return_share_one_new_version(on_postgres, reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cast = build_cast()
    submitted = services.return_submit(a_return=services.return_generate(period=PERIOD), actor=cast.manager)

    results, errors = _generate_twice_at_once(cast.manager)

    assert errors == []
    first, second = results
    assert first.pk == second.pk
    rows = {r.version: r for r in Return.objects.filter(kind=PERIOD.kind, period=PERIOD.label)}
    assert sorted(rows) == [1, 2]
    assert rows[1].status == Return.Status.SUBMITTED and rows[1].figures_sha256 == submitted.figures_sha256
    assert (rows[2].pk, rows[2].status, rows[2].replaces_id) == (first.pk, Return.Status.DRAFT, submitted.pk)
