"""Liveness of what the service depends on, for load balancers and monitoring."""

import redis
from django.conf import settings
from django.db import connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def redis_ok(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def components_down() -> list[str]:
    down = []
    if not database_ok():
        down.append("database")
    if settings.REDIS_URL and not redis_ok(settings.REDIS_URL):
        down.append("redis")
    return down
