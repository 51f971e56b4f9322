"""Support that ended before allocations ended with it: end them now (DESIGN §4, caseload).

A closed family's open allocations end at the moment the family closed, with the reason the services now
give; their workers lose sight of the family, except the lead worker where a six-month follow-up is still
to be recorded.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

REASON = "Support ended: before allocations ended with support (recorded later)"
PERMISSIONS = ("view_family", "change_family")


def end_allocations(apps, schema_editor):
    Allocation = apps.get_model("families", "Allocation")
    FollowUp = apps.get_model("families", "FollowUp")
    Grant = apps.get_model("families", "FamilyUserObjectPermission")
    pending = FollowUp.objects.filter(plan__family_id=OuterRef("family_id"), recorded_at__isnull=True)
    stale = (
        Allocation.objects.filter(ended_at__isnull=True, family__status="closed")
        .annotate(follow_up_due=Exists(pending))
        .select_related("family")
    )
    for allocation in stale.iterator():
        allocation.ended_at = allocation.family.closed_at or allocation.family.modified_at
        allocation.end_reason = REASON
        allocation.save(update_fields=["ended_at", "end_reason"])
        if allocation.role == "lead" and allocation.follow_up_due:
            continue
        still_allocated = Allocation.objects.filter(
            family_id=allocation.family_id, worker_id=allocation.worker_id, ended_at__isnull=True
        ).exists()
        if not still_allocated:
            Grant.objects.filter(
                content_object_id=allocation.family_id,
                user_id=allocation.worker_id,
                permission__codename__in=PERMISSIONS,
                permission__content_type__app_label="families",
            ).delete()


class Migration(migrations.Migration):
    dependencies = [("families", "0006_family_restricted_idx")]

    operations = [migrations.RunPython(end_allocations, migrations.RunPython.noop)]
