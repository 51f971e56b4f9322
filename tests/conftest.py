"""The fixed cast every permission test runs over, and the county's reference data."""

from types import SimpleNamespace

import pytest
from django.db import connection

from bases.models import Base, StaffProfile
from bases.services import reference_data_load
from ecfs.roles import Role

from .factories import TeamFactory, UserFactory, staff_member


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once; each test's transaction rolls back to it."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def reference_data(db):
    """For tests whose database is flushed (transactional and live-server tests)."""
    reference_data_load()


def build_cast() -> SimpleNamespace:
    """A worker, a colleague in the same team, a worker in another team, their managers,
    a commissioner and a service admin."""
    base, other_base = Base.objects.order_by("name")[:2]
    # Fixed names: pages escape apostrophes, so random names would make text assertions flaky.
    manager = UserFactory(role=Role.MANAGER, email="manager@example.org", first_name="Rosie", last_name="Goodwin")
    other_manager = UserFactory(
        role=Role.MANAGER, email="other.manager@example.org", first_name="Graham", last_name="Pointer"
    )
    team = TeamFactory(name="Team A", base=base, manager=manager)
    other_team = TeamFactory(name="Team B", base=other_base, manager=other_manager)
    for user, its_team in ((manager, team), (other_manager, other_team)):
        StaffProfile.objects.create(user=user, team=its_team, job_title="Team manager")
    return SimpleNamespace(
        worker=staff_member(
            role=Role.WORKER, team=team, email="worker@example.org", first_name="Mandy", last_name="Robinson"
        ),
        colleague=staff_member(
            role=Role.WORKER, team=team, email="colleague@example.org", first_name="Graeme", last_name="Turner"
        ),
        other_worker=staff_member(
            role=Role.WORKER, team=other_team, email="other.worker@example.org", first_name="Priya", last_name="Shah"
        ),
        manager=manager,
        other_manager=other_manager,
        commissioner=UserFactory(
            role=Role.COMMISSIONER, email="commissioner@example.org", first_name="Helen", last_name="Brundle"
        ),
        admin=UserFactory(
            role=Role.ADMIN, email="admin@example.org", is_staff=True, first_name="Tom", last_name="Gotts"
        ),
        team=team,
        other_team=other_team,
    )


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL to run it (CI does)")
