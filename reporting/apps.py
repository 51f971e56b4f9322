from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        # The advice log's figures (#19) and the child development evidence for impact 1 (#20 item 5, the
        # "development" section) live in their own modules; importing them registers them after kpis.py's.
        from . import (
            advice_figures,  # noqa: F401
            development_figures,  # noqa: F401
        )
