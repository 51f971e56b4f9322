"""Let the guard's one allowed change (redacting an anonymised family's events) reach a referral's events from
before triage linked it to the family: they carry no family, so the guard finds it through the referral.

Who acted, when, on what and how stay untouchable, exactly as in 0004.
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
       AND (
           EXISTS (SELECT 1 FROM families_family f WHERE f.id = OLD.family_id AND f.anonymised_at IS NOT NULL)
           OR (
               OLD.family_id IS NULL
               AND OLD.object_type = 'referrals.referral'
               AND EXISTS (
                   SELECT 1 FROM referrals_referral r JOIN families_family f ON f.id = r.family_id
                   WHERE r.uuid::text = OLD.object_id AND f.anonymised_at IS NOT NULL
               )
           )
       )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def back_to_0004(apps, schema_editor):
    from importlib import import_module

    previous = import_module("ecfs.audit.migrations.0004_allow_redaction_of_anonymised_families")
    previous.allow_redaction(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0012_action_choices_out_of_migrations"), ("referrals", "0008_online_send_key")]

    operations = [migrations.RunPython(allow, back_to_0004)]
