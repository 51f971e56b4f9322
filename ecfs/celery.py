"""The Celery app. The fixed schedule lives in ``CELERY_BEAT_SCHEDULE`` (settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecfs.settings.local")

app = Celery("ecfs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
