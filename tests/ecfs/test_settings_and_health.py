import os
import subprocess
import sys

import pytest
from django.urls import reverse

from ecfs.settings.base import BASE_DIR

REAL_KEY = "k3v9-" + "x" * 60


def _run_production(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(DJANGO_SETTINGS_MODULE="ecfs.settings.production", ALLOWED_HOSTS="ecfs.example.org", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_debug():
    result = _run_production("check", DEBUG="True", SECRET_KEY=REAL_KEY)
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_production_refuses_the_demo_secret_key():
    result = _run_production("check")
    assert result.returncode != 0
    assert "SECRET_KEY is the public demo key" in result.stderr


def test_check_deploy_is_clean_with_a_real_secret():
    result = _run_production("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=REAL_KEY)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_embedded_default_is_sqlite_with_celery_in_process():
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment["DJANGO_SETTINGS_MODULE"] = "ecfs.settings.local"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["django.db.backends.sqlite3", "True", "False"]


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_stopped_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens here: a stopped Redis
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "down": ["redis"]}


@pytest.mark.django_db
def test_healthz_checks_a_running_redis_when_configured(client):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no Redis configured in the embedded default (CI sets it)")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
