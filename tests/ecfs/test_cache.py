"""The Redis cache degrades to misses while Redis is away (ecfs/cache.py); the fault tests prove it on a server."""

import os
import socket
import subprocess
import sys

import pytest

from ecfs.cache import TolerantRedisCache
from ecfs.settings.base import BASE_DIR


@pytest.fixture
def stopped_redis_cache():
    with socket.socket() as probe:  # a port nothing listens on: a stopped Redis
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return TolerantRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    )


def test_a_stopped_redis_is_a_cache_miss_not_an_error(stopped_redis_cache):
    cache = stopped_redis_cache
    cache.set("throttle", [1, 2])
    assert cache.get("throttle") is None
    assert cache.get("throttle", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.has_key("a") is False
    assert cache.get_or_set("a", 3) == 3
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("a") is False
    cache.delete_many(["a", "b"])
    assert cache.touch("a") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("a")


def test_the_server_uses_the_tolerant_cache_with_short_timeouts_when_redis_is_configured():
    code = (
        "import django; django.setup(); from django.conf import settings as s; c = s.CACHES['default']; "
        "print(c['BACKEND'], c['OPTIONS']['socket_timeout'], s.DATABASES['default']['OPTIONS']['connect_timeout'], "
        "s.SESSION_ENGINE, s.AXES_HANDLER)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_CONNECT_TIMEOUT"}
    environment.update(
        DJANGO_SETTINGS_MODULE="ecfs.settings.local",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "ecfs.cache.TolerantRedisCache",
        "1",
        "5",
        "django.contrib.sessions.backends.db",
        "axes.handlers.database.AxesDatabaseHandler",
    ]
