from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from django.db.models.signals import post_save

        from ecfs.audit.models import AuditEvent

        from .events import on_audit_event

        # The domain services already record every event in the audit trail, in the transaction of the change;
        # listening there turns an event into outbox rows in that same transaction, and no domain app below
        # this one needs to know that messages exist (README "Architecture").
        post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="notifications.on_audit_event")
