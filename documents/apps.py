from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents on the family record"

    def ready(self):
        from . import checks, storage  # noqa: F401  (registers the system check and the settings listener)
