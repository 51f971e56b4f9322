from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        # The advice log's figures (#19) live in their own module; importing it registers them after kpis.py's.
        from . import advice_figures  # noqa: F401
