"""Let the append-only guard accept one change: redacting the free text of an anonymised family's events.

Who acted, when, on what and how stay untouchable; the summary and changes may only be replaced by the
redaction marker, and only for a family whose ``anonymised_at`` is already set.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.summary = 'Redacted: the family''s records were anonymised'
       AND NEW.changes = '{}'::jsonb
       AND NEW.id = OLD.id
       AND NEW.occurred_at = OLD.occurred_at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.action = OLD.action
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id
       AND NEW.family_id IS NOT DISTINCT FROM OLD.family_id
       AND EXISTS (SELECT 1 FROM families_family f WHERE f.id = OLD.family_id AND f.anonymised_at IS NOT NULL)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
STRICT = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def allow_redaction(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def strict(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_guard"), ("families", "0005_restricted_withheld_retention")]

    operations = [migrations.RunPython(allow_redaction, strict)]
