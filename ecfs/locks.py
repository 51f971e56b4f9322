"""A lock on a name for the length of a transaction, for a check that must see the writes of another one doing
the same (two copies of one referral sent at once)."""

import hashlib

from django.db import connection


def lock_for_transaction(name: str) -> None:
    """Wait until no other transaction holds ``name``, then hold it until this one ends: a PostgreSQL advisory
    lock, so nothing else (no row, no table) is locked. Elsewhere nothing: SQLite writes one transaction at a
    time."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
