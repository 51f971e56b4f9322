from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "ecfs.privacy"
    label = "privacy"
    verbose_name = "Data protection"
