"""Plan actions get a uuid (the API never exposes integer ids) and the worker who owns them (issue #17 item 5).

Step one: the fields, nullable, then every existing action gets its uuid and, when the worker owns it, the plan's
worker as its owner. The next migration makes the uuid unique and adds the constraint (in its own transaction:
PostgreSQL will not alter a table with pending deferred-constraint checks from the updates here)."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    PlanAction = apps.get_model("families", "PlanAction")
    for action in PlanAction.objects.select_related("plan").only("pk", "owner", "plan__worker_id").iterator():
        action.uuid = uuid.uuid4()
        action.owner_worker_id = action.plan.worker_id if action.owner == "worker" else None
        action.save(update_fields=["uuid", "owner_worker"])


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0009_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="planaction",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="planaction",
            name="owner_worker",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalplanaction",
            name="owner_worker",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalplanaction",
            name="uuid",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
