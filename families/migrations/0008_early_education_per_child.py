"""Funded early education is recorded per child, once (issue #16, definition 6).

The household flag ``Family.eligible_funded_2yo`` ("eligible for funded 2-year-old childcare") was never read by
the return, whose take-up figure reads each child's ``funded_education_eligible`` and
``funded_education_started_on``. Before the flag goes, it is carried over: in a family with the flag set, each
child (kind child) aged 2 on the day the migration runs is marked eligible for a funded 2-year-old place; other
children are left as they are. Each child also gets the name of its funded early education setting.
"""

from dateutil.relativedelta import relativedelta
from django.db import migrations, models
from django.utils import timezone


def carry_over(apps, schema_editor):
    Family = apps.get_model("families", "Family")
    Person = apps.get_model("families", "Person")
    today = timezone.localdate()
    aged_two = {
        # Born after the third birthday's cut-off and on or before the second's: aged 2 today.
        "date_of_birth__gt": today - relativedelta(years=3),
        "date_of_birth__lte": today - relativedelta(years=2),
    }
    Person.objects.filter(
        kind="child",
        family__in=Family.objects.filter(eligible_funded_2yo=True).values("pk"),
        funded_education_eligible=False,
        **aged_two,
    ).update(funded_education_eligible=True)


class Migration(migrations.Migration):
    dependencies = [("families", "0007_end_allocations_of_closed_families")]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(model_name="family", name="eligible_funded_2yo"),
        migrations.AddField(
            model_name="person",
            name="funded_education_setting",
            field=models.CharField(blank=True, max_length=200, verbose_name="funded early education setting"),
        ),
    ]
