"""Let the guard's one allowed change (redacting the events of anonymised records) reach a referral never linked
to a family once the referral itself is anonymised (privacy.anonymise.referral_anonymise): its events carry no
family, so the guard finds it through the referral.

Who acted, when, on what and how stay untouchable, exactly as in 0004 and 0013.
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
                   SELECT 1 FROM referrals_referral r LEFT JOIN families_family f ON f.id = r.family_id
                   WHERE r.uuid::text = OLD.object_id
                     AND (f.anonymised_at IS NOT NULL OR (r.family_id IS NULL AND r.anonymised_at IS NOT NULL))
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


def back_to_0013(apps, schema_editor):
    from importlib import import_module

    previous = import_module("ecfs.audit.migrations.0013_redact_referral_events_from_before_triage")
    previous.allow(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0013_redact_referral_events_from_before_triage"),
        ("referrals", "0009_referral_retention"),
    ]

    operations = [migrations.RunPython(allow, back_to_0013)]
