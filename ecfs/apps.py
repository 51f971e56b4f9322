from django.apps import AppConfig


class EcfsConfig(AppConfig):
    name = "ecfs"
    verbose_name = "ECFS Case"
