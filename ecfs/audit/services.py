from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    family=None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Write an audit event; call it inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "uuid", None) or obj.pk),
        family=family,
        summary=summary[:300],
        changes=changes or {},
    )


def audit_view(*, actor, obj: models.Model, family, what: str) -> AuditEvent:
    """Record that someone looked at a personal record (DESIGN: who looked at a family's file)."""
    return audit_record(actor=actor, action="viewed", obj=obj, family=family, summary=f"Viewed {what}")
