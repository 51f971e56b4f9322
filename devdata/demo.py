"""Demo data for a new user to click through: staff for every role at every base.

Idempotent: accounts are keyed by a stable email address derived from their
base and role, so running it again changes nothing. Later features add
families, plans and money to the same seed.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from bases.models import Base, StaffProfile, Team
from ecfs.errors import ApplicationError
from ecfs.roles import Role, group_name
from reference.services import reference_data_load

DEMO_PASSWORD = "ecfs-demo-2026"
DEMO_EMAIL_DOMAIN = "ecfs.example"
WORKERS_PER_BASE = 3

FIRST_NAMES = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Emily",
    "Sophie",
    "Grace",
    "Lily",
    "Chloe",
    "Ella",
    "Jack",
    "Oliver",
    "Harry",
    "George",
    "Noah",
    "Charlie",
    "Jacob",
    "Thomas",
    "Oscar",
    "William",
    "Priya",
    "Aisha",
    "Zofia",
    "Kasia",
    "Fatima",
    "Tomasz",
    "Mohammed",
    "Ravi",
    "Niamh",
    "Siobhan",
    "Hannah",
    "Rachel",
    "Joanne",
    "Claire",
    "Helen",
    "Sarah",
    "Mark",
    "Paul",
    "David",
    "Stephen",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Nowak",
    "Kowalski",
    "Ahmed",
    "Murphy",
    "O'Brien",
    "Howes",
    "Gotts",
    "Softley",
    "Buckenham",
    "Thrower",
    "Loveday",
    "Rix",
    "Bunn",
    "Self",
    "Utting",
    "Brundle",
    "Mace",
    "Pegg",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    where: str


def _ensure_user(*, email: str, rng: random.Random, password_hash: str, role: Role, is_staff=False):
    User = get_user_model()
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "password": password_hash, "is_staff": is_staff},
    )
    user.groups.add(Group.objects.get(name=group_name(role)))
    return user


def refuse_unless_demo_key() -> None:
    """Demo data only where the demo key (or DEBUG) says this is not a real installation."""
    if settings.SECRET_KEY != settings.DEMO_SECRET_KEY and not settings.DEBUG:
        raise ApplicationError(
            "Refusing to create demo accounts with a known password on what looks like a production "
            "installation (SECRET_KEY is not the demo key)."
        )


@transaction.atomic
def demo_staff_seed() -> list[DemoLogin]:
    refuse_unless_demo_key()
    reference_data_load()
    rng = random.Random(2019)  # the service started in October 2019
    password_hash = make_password(DEMO_PASSWORD)  # hash once: hashing is deliberately slow
    logins: list[DemoLogin] = []

    for base in Base.objects.select_related("district").order_by("district__name", "name"):
        slug = slugify(base.name)
        manager = _ensure_user(
            email=f"manager.{slug}@{DEMO_EMAIL_DOMAIN}", rng=rng, password_hash=password_hash, role=Role.MANAGER
        )
        team, _ = Team.objects.get_or_create(name=f"{base.name} team", defaults={"base": base, "manager": manager})
        StaffProfile.objects.get_or_create(user=manager, defaults={"team": team, "job_title": "Team manager"})
        where = f"{base.name} ({base.district.name})"
        logins.append(DemoLogin(Role.MANAGER.label, manager.get_full_name(), manager.email, where))
        for n in range(1, WORKERS_PER_BASE + 1):
            worker = _ensure_user(
                email=f"worker{n}.{slug}@{DEMO_EMAIL_DOMAIN}", rng=rng, password_hash=password_hash, role=Role.WORKER
            )
            StaffProfile.objects.get_or_create(
                user=worker, defaults={"team": team, "job_title": "Family support worker"}
            )
            logins.append(DemoLogin(Role.WORKER.label, worker.get_full_name(), worker.email, where))

    for n in (1, 2):
        commissioner = _ensure_user(
            email=f"commissioner{n}@{DEMO_EMAIL_DOMAIN}", rng=rng, password_hash=password_hash, role=Role.COMMISSIONER
        )
        logins.append(
            DemoLogin(
                Role.COMMISSIONER.label, commissioner.get_full_name(), commissioner.email, "Norfolk County Council"
            )
        )
    admin = _ensure_user(
        email=f"admin@{DEMO_EMAIL_DOMAIN}", rng=rng, password_hash=password_hash, role=Role.ADMIN, is_staff=True
    )
    logins.append(DemoLogin(Role.ADMIN.label, admin.get_full_name(), admin.email, "County"))
    return logins


def demo_seed() -> tuple[list[DemoLogin], dict, dict]:
    """What ``seed_demo`` makes: the staff, then families and referrals in every state for them to work with,
    then their support: plans, contacts, group courses, the fund and the returns."""
    from devdata.demo_families import demo_families_seed  # here: those modules build on this one
    from devdata.demo_support import demo_support_seed

    logins = demo_staff_seed()
    families = demo_families_seed()
    return logins, families, demo_support_seed()
