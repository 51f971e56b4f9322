"""Find a family (families/search.py): pg_trgm and unaccent, and the indexes the search reads, on PostgreSQL only.

- GIN trigram indexes on the people's name keys: similarity (``%``), word similarity (``<%``) and LIKE;
- the expected date of birth (an unborn child is found by it, as a child by ``person_dob_idx``);
- the postcode for "starts with" (``NR30 ``): the btree ``family_postcode_idx`` serves equality; with the C
  collation it serves LIKE too, ``varchar_pattern_ops`` whatever the collation.

SQLite (the embedded default) gets none of them: its search matches names exactly or by their start.
They are not in the models' Meta, so the model state (and ``makemigrations --check``) is the same everywhere.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

INDEXES = {
    "person_first_name_key_trgm": "families_person USING gin (first_name_key gin_trgm_ops)",
    "person_last_name_key_trgm": "families_person USING gin (last_name_key gin_trgm_ops)",
    "person_expected_date_idx": "families_person (expected_date) WHERE expected_date IS NOT NULL",
    "family_postcode_prefix_idx": "families_family (postcode varchar_pattern_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0011_planaction_uuid_unique"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
