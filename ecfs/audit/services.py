from django.db import models

from .actions import AuditAction
from .models import AuditEvent


def audit_record(
    *,
    actor,
    action: AuditAction,
    obj: models.Model,
    family=None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Write an audit event; call it inside the transaction of the change it records.

    ``action`` must be one of the closed vocabulary (``AuditAction``): anything else raises ``ValueError``.
    """
    try:
        action = AuditAction(action)
    except ValueError:
        raise ValueError(f"{action!r} is not an audit action: add it to ecfs.audit.actions.AuditAction") from None
    return _write_event(actor=actor, action=action, obj=obj, family=family, summary=summary, changes=changes)


def _write_event(
    *, actor, action: str, obj: models.Model, family=None, summary: str = "", changes: dict | None = None
) -> AuditEvent:
    """The write itself, without the vocabulary check (tests use it for made-up actions)."""
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
    return audit_record(actor=actor, action=AuditAction.VIEWED, obj=obj, family=family, summary=f"Viewed {what}")
