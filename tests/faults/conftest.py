"""Fault tests: real servers, stopped and killed. Not part of the default run; select them with ``-m faults``.

Each session builds one private stack (PostgreSQL from ``initdb`` in a temporary folder, Redis, both on their
own loopback ports) and every test starts its own gunicorn and Celery workers against it.
"""

from pathlib import Path

import pytest

from .stack import Stack, postgres_bindir

HERE = Path(__file__).resolve().parent


def _asked_for(config) -> bool:
    """``-m`` names the marker, or a path inside tests/faults was given."""
    if "faults" in (config.option.markexpr or ""):
        return True
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_collection_modifyitems(config, items):
    if _asked_for(config):
        return
    deselected = [item for item in items if item.get_closest_marker("faults")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("faults")]


@pytest.fixture(scope="session")
def stack():
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed on this machine")
    built = Stack(bindir)
    try:
        built.build()
        yield built
    finally:
        built.destroy()


@pytest.fixture
def services(stack):
    """The stack for one test: its processes are stopped afterwards, and PostgreSQL and Redis left running."""
    try:
        yield stack
    finally:
        print(stack.report())  # shown when the test fails
        stack.stop_processes()
        if not stack.postgres.running():
            stack.postgres.start()
        if stack.redis.process is None:
            stack.redis.start()
