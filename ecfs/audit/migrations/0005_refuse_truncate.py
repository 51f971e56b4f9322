"""The append-only guard covers TRUNCATE too: a statement-level trigger refuses to empty the audit table.

Row-level UPDATE/DELETE triggers (0003, 0004) do not fire for TRUNCATE, so without this one
``TRUNCATE audit_auditevent`` (or a ``TRUNCATE families_family CASCADE`` reaching it) would wipe the trail.

Like every ordinary trigger, it does not fire while ``session_replication_role`` is ``replica``, which only a
PostgreSQL superuser (or a role granted ``SET`` on it) may set. The project's ``flush`` command
(``ecfs/management/commands/flush.py``) does exactly that for its one TRUNCATE statement, so the test
suite can empty the database between transactional tests; nobody else can.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE is not allowed';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
"""
REMOVE = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_no_truncate();
"""


def add_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def remove_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_allow_redaction_of_anonymised_families")]

    operations = [migrations.RunPython(add_guard, remove_guard)]
