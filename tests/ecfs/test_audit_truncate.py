"""On PostgreSQL the audit table refuses TRUNCATE as well as UPDATE and DELETE (ecfs/audit/migrations/0005).

The one way round it is ``manage.py flush`` run by a superuser, which is how the test suite empties the
database between transactional tests (ecfs/management/commands/flush.py).
"""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ecfs.audit.models import AuditEvent
from ecfs.audit.services import _write_event as audit_record  # made-up "test." actions, outside the vocabulary
from tests.conftest import build_cast
from tests.referrals.factories import allocated_referral


def _truncate(statement):
    with transaction.atomic(), connection.cursor() as cursor:
        # The test's own rows are still in its transaction: run their deferred foreign-key checks first, or
        # PostgreSQL refuses the TRUNCATE for that reason before the guard is asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)


def _replication_role():
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_audit_table_refuses_truncate(on_postgres, cast):
    allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    before = AuditEvent.objects.count()
    assert before > 0
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE is not allowed"):
        _truncate("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_truncating_families_in_cascade_cannot_empty_the_audit_table(on_postgres, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    before = AuditEvent.objects.filter(family=family).count()
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE is not allowed"):
        _truncate("TRUNCATE families_family CASCADE")
    assert AuditEvent.objects.filter(family=family).count() == before


@pytest.mark.django_db
def test_only_a_superuser_may_lift_the_guard(on_postgres, cast):
    """What flush does for its TRUNCATE is refused to an ordinary database role, such as a service's."""
    role = f"ecfs_audit_probe_{uuid.uuid4().hex[:8]}"
    with (
        pytest.raises(DatabaseError, match="permission denied to set parameter"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")  # rolled back with the transaction
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute("SET LOCAL session_replication_role = replica")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] != role
    assert _replication_role() == "origin"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_table_and_leaves_the_guard_in_force(on_postgres, reference_data):
    cast = build_cast()
    audit_record(actor=cast.admin, action="test.flush", obj=cast.team, summary="A row to flush")
    assert AuditEvent.objects.exists()

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()
    # Every table is emptied (by DELETE under the lifted triggers, so the foreign keys' order does not matter).
    assert not type(cast.team).objects.exists() and not type(cast.admin).objects.exists()
    assert _replication_role() == "origin"
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE is not allowed"):
        _truncate("TRUNCATE audit_auditevent")
    audit_record(actor=None, action="test.flush", obj=cast.team, summary="A row after the flush")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(action="test.flush").exists()


@pytest.mark.django_db(transaction=True)
def test_flush_outside_the_test_settings_leaves_the_audit_trail(on_postgres, reference_data, settings):
    settings.AUDIT_FLUSH_ALLOWED = False
    cast = build_cast()
    audit_record(actor=cast.admin, action="test.flush", obj=cast.team, summary="A row that stays")

    with pytest.raises(CommandError, match="couldn't be flushed") as refused:
        call_command("flush", interactive=False, verbosity=0)
    assert "append-only: TRUNCATE is not allowed" in str(refused.value.__cause__)

    assert AuditEvent.objects.filter(action="test.flush").exists()
    settings.AUDIT_FLUSH_ALLOWED = True  # the test's own teardown flush empties the database again
