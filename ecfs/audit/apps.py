from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ecfs.audit"
    label = "audit"
    verbose_name = "Audit trail"
