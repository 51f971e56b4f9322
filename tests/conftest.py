"""The fixed cast every permission test runs over, the county's reference data, and two-factor sign-in.

Two-factor: ``Client.force_login`` signs in *and* passes two-factor for a user who needs it (a role in
``ECFS_MFA_REQUIRED_ROLES``, or an app already set up), with a real confirmed TOTP device, as if they had
entered a code. Tests of two-factor itself opt out with ``@pytest.mark.real_two_factor``.
"""

import time
from datetime import date, datetime
from datetime import time as clock_time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bases.models import Base, StaffProfile
from ecfs.accounts.selectors import two_factor_enabled, two_factor_required
from ecfs.roles import Role
from reference.services import reference_data_load

from .factories import TeamFactory, UserFactory, staff_member


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="YYYY-MM-DD",
        help="run as if today were this day: the clock starts at 10:00 London time on it and ticks from there",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "real_two_factor: client.force_login signs in with the password only (no two-factor shortcut)"
    )
    day = config.getoption("--clock")
    if day:
        start = datetime.combine(date.fromisoformat(day), clock_time(10), tzinfo=ZoneInfo("Europe/London"))
        config.clock_traveller = time_machine.travel(start, tick=True)
        config.clock_traveller.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    day = config.getoption("--clock")
    return f"clock: today is {day} (time-machine)" if day else None


def needs_two_factor(user) -> bool:
    """Whether signing in as ``user`` asks for a code (read from a fresh copy: roles are cached per object)."""
    fresh = get_user_model().objects.get(pk=user.pk)
    return two_factor_required(fresh) or two_factor_enabled(fresh)


def authenticator_of(user) -> TOTPDevice:
    """The user's confirmed authenticator app, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one if now's was already used (waiting if need be).

    The server accepts a code one step either side of now but never one at or before ``last_t``.
    """
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    step = max(now, device.last_t + 1)
    if step > now + device.tolerance:
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
        return totp_code(device)
    return str(hotp(device.bin_key, step, digits=device.digits)).zfill(device.digits)


def pass_two_factor(client: Client, user) -> None:
    """Mark the client's session as having passed two-factor with the user's app (what django_otp.login does)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(request, monkeypatch):
    if request.node.get_closest_marker("real_two_factor"):
        return
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if needs_two_factor(user):
            pass_two_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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
def deputy(cast):
    """A second team manager at the same base: sees the base's families unless a record is restricted."""
    deputy = UserFactory(role=Role.MANAGER, email="deputy@example.org", first_name="Dee", last_name="Puty")
    team = TeamFactory(name="Team A2", base=cast.team.base, manager=deputy)
    StaffProfile.objects.create(user=deputy, team=team, job_title="Team manager")
    return deputy


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL to run it (CI does)")
