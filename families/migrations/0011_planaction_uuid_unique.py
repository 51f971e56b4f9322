"""Step two: a plan action's uuid is unique and filled in for new ones; a worker's action names its worker."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0010_planaction_uuid_owner_worker"),
    ]

    operations = [
        migrations.AlterField(
            model_name="planaction",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddConstraint(
            model_name="planaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("owner", "worker"), _negated=True) | models.Q(("owner_worker__isnull", False)),
                name="action_worker_owner_named",
            ),
        ),
    ]
