"""Test settings: the same stack as production, a fast password hasher, Celery eager."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# The demo, the county-scale generator and the benchmark: the suite tests them (production does not install them).
INSTALLED_APPS = [*INSTALLED_APPS, "devdata"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
# The test suite empties the database between transactional tests, the append-only audit table included
# (ecfs/management/commands/flush.py); no other settings allow it.
AUDIT_FLUSH_ALLOWED = True
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Private documents (documents/): out of the working tree; tests/documents use a fresh directory per test.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(tempfile.gettempdir()) / "ecfs-test-documents"},
    },
}
# What tests write (the generated returns' files): out of the working tree, so a run leaves ./media as it found it.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "ecfs-test-media"))
# Serve static files from the finders: tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The reach dashboard works its figures out on every request in tests (each test's data differs; the cache
# would outlive it): tests/reporting/test_reach.py turns the cache on where it tests it.
REACH_DASHBOARD_CACHE_SECONDS = 0
