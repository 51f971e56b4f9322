from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Installed by the local and test settings only: ``seed_demo`` and ``bench`` live here, not in production."""

    name = "devdata"
    verbose_name = "Demo and benchmark data (development and test only)"
