"""County-scale data: ``scale_seed(factor=1)`` builds five years of a county's work for benchmarks.

At ``factor=1`` (``seed_demo --scale county``) it adds about 50,000 families,
150,000 people, 100,000 referrals, 40,000 support plans, 1,000,000 contacts,
20,000 group sessions with 300,000 attendances, 20,000 fund applications and
300 staff, spread over the districts, bases and localities in proportion to the
localities' under-5s, in every lifecycle state. ``factor=0.01`` builds 1% of it.

How it stays fast: the whole history is simulated in Python first (plain
tuples, foreign keys as ids in lists), with primary keys chosen here (after the
highest existing one), so rows are written in bulk without reading anything
back — PostgreSQL ``COPY`` on PostgreSQL, batched ``executemany`` elsewhere —
and the sequences are moved past them at the end. References (``ECFS-%06d``,
``REF-%06d``, ``FSF-%06d``) are the row's primary key, as the services make them.

It never goes through the services (that would take hours): it writes what the
services would have written, and the database's own constraints check it (one
open lead worker per family, budgets never overspent, one start and one close
score per plan…). Workers are granted their open families through guardian's
direct-foreign-key table, as ``families.services`` does on allocation.

Adds to whatever is there (run it on an empty, migrated database for clean
numbers); staff and teams reuse the demo's accounts (``manager.<base>@ecfs.example``)
when they exist.
"""

import bisect
import heapq
import io
import json
import math
import random
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from advice.models import AdviceEntry
from bases.models import Base, Locality, StaffProfile, Team
from devdata.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES, refuse_unless_demo_key
from ecfs.audit.models import AuditEvent
from ecfs.financial_year import financial_year_of
from ecfs.roles import Role, group_name
from ecfs.working_days import add_working_days
from families.models import (
    Allocation,
    Assessment,
    Contact,
    Determinant,
    Family,
    FamilyUserObjectPermission,
    FollowUp,
    Goal,
    OutcomeAssessment,
    OutcomeScore,
    ParentProgress,
    Person,
    Professional,
    RegistrationRoute,
    Review,
    SafeguardingAction,
    SupportPlan,
)
from families.rules import name_key
from reference.services import reference_data_load
from referrals.models import Referral, ReferralPerson, Source, TriageDecision
from support_fund.models import Application, ApplicationEvent, Budget, BudgetAdjustment, FundSource
from venues.models import Attendance, Enrolment, GroupCourse, GroupProgramme, GroupSession, ParentMeasure, Venue

# County counts (factor 1): the figures.
COUNTY = {
    "families": 50_000,
    "people": 150_000,
    "referrals": 100_000,
    "plans": 40_000,
    "contacts": 1_000_000,
    "sessions": 20_000,
    "attendances": 300_000,
    "applications": 20_000,
    # The advice log (#19): information, advice and signposting when families first ask, about 25,000 a year.
    "advice": 125_000,
    "staff": 300,
}
YEARS = 5
# The share of families first registered lightly, before any referral (#19), and their own random stream.
REGISTERED_SHARE = 0.3
REGISTRATION_SEED = 19
COMMISSIONERS = 5
ADMINS = 1
# Workers' open caseloads (lead or co-worker): about 14 each, 1.4 workers per open family.
CASELOAD = 14
WORKERS_PER_OPEN_FAMILY = 1.4
BATCH = 20_000

# What happens to a referral at triage (the rest of the intake is still awaiting triage).
TRIAGE_OUTCOMES = {
    Referral.Status.ALLOCATED: 55,
    Referral.Status.SIGNPOSTED: 18,
    Referral.Status.STEPPED_UP: 5,
    Referral.Status.NO_FURTHER_ACTION: 12,
    Referral.Status.DUPLICATE: 5,
    Referral.Status.WITHDRAWN: 5,
}
DECISION_FOR = {
    Referral.Status.ACCEPTED: TriageDecision.Decision.ACCEPT,
    Referral.Status.ALLOCATED: TriageDecision.Decision.ACCEPT,
    Referral.Status.SIGNPOSTED: TriageDecision.Decision.SIGNPOST,
    Referral.Status.STEPPED_UP: TriageDecision.Decision.STEP_UP,
    Referral.Status.NO_FURTHER_ACTION: TriageDecision.Decision.NO_FURTHER_ACTION,
    Referral.Status.DUPLICATE: TriageDecision.Decision.DUPLICATE,
    Referral.Status.WITHDRAWN: TriageDecision.Decision.WITHDRAW,
}
SOURCES = {
    Source.HEALTH_VISITOR: 30,
    Source.MIDWIFE: 10,
    Source.SCHOOL: 8,
    Source.NURSERY: 8,
    Source.GP: 7,
    Source.SOCIAL_CARE: 10,
    Source.POLICE: 3,
    Source.SINGLE_PHONE_LINE: 10,
    Source.SELF: 12,
    Source.OTHER: 2,
}
# The stage of each open family, newest referral first (about 800 active plans at county scale).
OPEN_STAGES = (
    (None, 0.38),  # allocated: first contact and the whole-family assessment, no plan yet
    (SupportPlan.Status.DRAFT, 0.16),
    (SupportPlan.Status.PENDING_ACTIVATION, 0.08),
    (SupportPlan.Status.ACTIVE, 0.30),
    (SupportPlan.Status.PENDING_CLOSURE, 0.08),
)
CLOSURE_REASONS = {
    SupportPlan.ClosureReason.NEEDS_MET: 45,
    SupportPlan.ClosureReason.STEPPED_DOWN: 15,
    SupportPlan.ClosureReason.DECLINED: 14,
    SupportPlan.ClosureReason.STEPPED_UP: 9,
    SupportPlan.ClosureReason.MOVED_AWAY: 7,
    SupportPlan.ClosureReason.OTHER: 10,
}
CONTACT_MODES = {
    Contact.Mode.HOME_VISIT: 45,
    Contact.Mode.COMMUNITY_VENUE: 14,
    Contact.Mode.BASE: 9,
    Contact.Mode.PHONE: 21,
    Contact.Mode.VIDEO: 5,
    Contact.Mode.MESSAGE: 6,
}
ADVICE_CHANNELS = {"phone_line": 35, "drop_in": 30, "outreach": 20, "online": 8, "email": 7}
ADVICE_GIVEN = {"information": 30, "advice": 35, "signposted": 30, "referral": 5}
ADVICE_SIGNPOSTED_TO = ("Citizens Advice", "Home-Start Norfolk", "Library bounce and rhyme", "Norfolk baby bank")
CONTACT_NOTES = (
    "Talked through the week's routines with mum; bedtime is settling.",
    "Home visit: the children were playing well; discussed the nursery place.",
    "Phone call to check on the housing appointment; follow up next week.",
    "Met at the library for the rhyme time session; dad joined.",
    "Reviewed the food and energy situation; fund application discussed.",
    "Sleep and feeding diary reviewed; health visitor to be updated.",
    "Mum feeling low this week; talked about the GP appointment and the support line.",
    "Played with the children to model praise and calm limits.",
)
COMMUNITY_VENUES = (
    ("Library", Venue.Kind.LIBRARY),
    ("Community Centre", Venue.Kind.COMMUNITY_CENTRE),
    ("Village Hall", Venue.Kind.CHURCH_OR_VILLAGE_HALL),
    ("Primary School", Venue.Kind.SCHOOL_OR_NURSERY),
)
# (name, sessions, offer types it runs as, target group, minutes)
PROGRAMMES = (
    ("Incredible Years (parents of toddlers)", 12, "targeted_referral", "Parents of children aged 1 to 3", 120),
    (
        "Freedom Programme (safe relationships)",
        12,
        "targeted_referral",
        "Women who have experienced domestic abuse",
        120,
    ),
    ("Solihull Approach: Understanding your child", 10, "targeted_open", "Parents of children from birth to 5", 120),
    ("Antenatal: Ready for baby", 6, "targeted_open", "Expectant parents", 90),
    ("Baby massage", 5, "universal", "Parents and carers of babies up to 12 months", 60),
    ("Stay and play", 10, "universal", "All families with children under 5", 90),
    ("Rhyme time and stories", 8, "universal", "Families with babies and toddlers", 60),
)
VILLAGES = ("Hingham", "Reepham", "Acle", "Brundall", "Mattishall", "Necton", "Feltwell", "Terrington St Clement")
POSTCODE_AREAS = {
    "King's Lynn and West Norfolk": ("PE", range(30, 39)),
    "Breckland": ("IP", range(24, 27)),
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


# Writing rows in bulk --------------------------------------------------------------------------------------------


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


_COPY_TEXT = {
    type(None): lambda v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    str: _escape,
    datetime: datetime.isoformat,
    date: date.isoformat,
    Decimal: str,
    uuid.UUID: str,
    clock: clock.isoformat,
    float: repr,
    dict: lambda v: _escape(json.dumps(v)),
}


def _copy_format(value):
    """The COPY text formatter for a subclass (a TextChoices member is a str): found once, then cached."""
    for kind in type(value).__mro__:
        if kind in _COPY_TEXT:
            _COPY_TEXT[type(value)] = _COPY_TEXT[kind] if kind is not str else (lambda v: _escape(str(v)))
            return _COPY_TEXT[type(value)]
    raise TypeError(f"No COPY format for {type(value).__name__}")


class _Progress:
    """A line of text per step: ``contacts  340,000/1,000,000  34%  12.3 s``."""

    def __init__(self, stdout, label: str, total: int):
        self.stdout, self.label, self.total = stdout, label, max(total, 1)
        self.started = self.last_print = time.monotonic()
        self.last_pct = -100

    def update(self, done: int, *, final: bool = False) -> None:
        if self.stdout is None:
            return
        now = time.monotonic()
        pct = min(100, int(100 * done / self.total))
        if final or pct >= self.last_pct + 20 or now - self.last_print >= 10:
            self.stdout.write(
                f"  {self.label:<22} {done:>10,}/{self.total:<10,} {pct:>3}%  {now - self.started:6.1f} s"
            )
            self.last_pct, self.last_print = pct, now


class _Table:
    """Rows for one table, written in batches: PostgreSQL COPY, or executemany on other databases."""

    def __init__(self, writer: "_Writer", model, fields: list[str], *, total: int = 0, label: str = ""):
        by_name = {}
        for field in model._meta.concrete_fields:
            by_name[field.name] = by_name[field.attname] = field
        self.writer, self.model = writer, model
        self.fields = [by_name[name] for name in fields]
        self.label = label or model._meta.verbose_name_plural
        self.rows: list[tuple] = []
        self.count = 0
        self.progress = _Progress(writer.stdout if total >= 50_000 else None, self.label, total)

    def add(self, *row) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the rows, after those of the tables opened before this one (the rows they point to)."""
        for table in self.writer.open_tables:
            if table is self:
                break
            table._write()
        self._write()

    def _write(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                text = _COPY_TEXT
                buffer.writelines(
                    "\t".join([(text.get(type(v)) or _copy_format(v))(v) for v in row]) + "\n" for row in self.rows
                )
                buffer.seek(0)
                cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN", buffer)
            else:
                preps = [f.get_db_prep_save for f in self.fields]
                prepared = [[prep(v, connection) for prep, v in zip(preps, row, strict=True)] for row in self.rows]
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    prepared,
                )
        self.count += len(self.rows)
        self.rows = []
        self.progress.update(self.count)

    def close(self) -> int:
        self.flush()
        self.writer.open_tables.remove(self)
        if self.count >= 50_000:
            self.progress.update(self.count, final=True)
        self.writer.written[self.model._meta.label] += self.count
        return self.count


class _Writer:
    def __init__(self, stdout):
        self.stdout = stdout
        self.written: Counter = Counter()
        self.models: set = set()
        self._next: dict = {}
        self.open_tables: list[_Table] = []

    def table(self, model, fields, *, total=0, label="") -> _Table:
        self.models.add(model)
        table = _Table(self, model, fields, total=total, label=label)
        self.open_tables.append(table)
        return table

    def ids(self, model) -> "_Ids":
        """Primary keys for new rows of ``model``: after the highest one there."""
        if model not in self._next:
            highest = model.objects.aggregate(m=Max("pk"))["m"] or 0
            self._next[model] = _Ids(highest + 1)
            self.models.add(model)
        return self._next[model]

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.models, key=lambda m: m._meta.label))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


class _Ids:
    def __init__(self, start: int):
        self.next = start

    def take(self) -> int:
        self.next += 1
        return self.next - 1


# The simulation ------------------------------------------------------------------------------------------------


class _Episode:
    """One accepted referral's time with the service: allocation, maybe a plan, closure (or still open)."""

    __slots__ = (
        "referral",
        "family",
        "base",
        "day",
        "alloc_day",
        "first_contact_day",
        "end",
        "lead",
        "previous_lead",
        "switch_day",
        "co_worker",
        "plans",
        "stage",
        "reasons",
    )

    def __init__(self, **kwargs):
        for name in self.__slots__:
            setattr(self, name, kwargs.get(name))


class _Plan:
    __slots__ = (
        "id",
        "family",
        "kind",
        "status",
        "worker",
        "created",
        "activated",
        "closure_requested",
        "closed",
        "reason",
        "interval",
        "goals",
        "reviews",
        "next_review_due",
        "episode",
    )

    def __init__(self, **kwargs):
        for name in self.__slots__:
            setattr(self, name, kwargs.get(name))


def _quota(total: int, weights: dict, rng: random.Random) -> list:
    """``total`` labels in proportion to ``weights``, at least one of each when there is room, shuffled."""
    keys = list(weights)
    whole = sum(weights.values())
    counts = {k: int(total * weights[k] / whole) for k in keys}
    if total >= len(keys):
        for k in keys:
            counts[k] = max(counts[k], 1)
    while sum(counts.values()) < total:
        counts[rng.choices(keys, weights=[weights[k] for k in keys])[0]] += 1
    while sum(counts.values()) > total:
        counts[max(counts, key=counts.get)] -= 1
    labels = [k for k in keys for _ in range(counts[k])]
    rng.shuffle(labels)
    return labels


class _Picker:
    """Fast weighted choice from a fixed list."""

    def __init__(self, items, weights, rng):
        self.items, self.rng = list(items), rng
        self.cum = list(accumulate(weights))

    def __call__(self):
        return self.items[bisect.bisect_right(self.cum, self.rng.random() * self.cum[-1])]


class ScaleSeed:
    def __init__(self, *, factor: float, stdout=None, seed: int = 2019):
        if factor <= 0:
            raise ValueError("The scale factor must be more than 0.")
        self.factor = factor
        self.stdout = stdout
        self.rng = random.Random(seed)  # noqa: S311 — demo data, not secrets
        self.today = timezone.localdate()
        self.start = self.today - timedelta(days=365 * YEARS + 1)
        self.days = (self.today - self.start).days  # day index of today
        self.base_dt = datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)
        self.counts = {key: max(1, round(value * factor)) for key, value in COUNTY.items()}
        self.w = _Writer(stdout)
        self.started = time.monotonic()
        self._due_cache: dict = {}
        self._family_index: dict = {}

    # Helpers ------------------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"{text} ({time.monotonic() - self.started:.1f} s)")

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: int, minute: int | None = None) -> datetime:
        """A moment on day ``day`` (0 is five years ago), in working hours unless ``minute`` is given."""
        if minute is None:
            minute = self.rng.randint(8 * 60 + 30, 17 * 60)
        return self.base_dt + timedelta(days=day, minutes=minute)

    def on(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def weekday(self, day: int) -> int:
        """The working day on or after ``day`` (Saturday and Sunday move to Monday)."""
        wd = (self.start.weekday() + day) % 7
        return day + (7 - wd if wd >= 5 else 0)

    def dues(self, day: int) -> tuple[date, date]:
        if day not in self._due_cache:
            received = self.on(day)
            self._due_cache[day] = (add_working_days(received, 3), add_working_days(received, 10))
        return self._due_cache[day]

    def postcode(self, district_name: str) -> str:
        area, numbers = POSTCODE_AREAS.get(district_name, ("NR", range(1, 36)))
        rng = self.rng
        inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        return f"{area}{rng.choice(numbers)} {inward}"

    # Reference data and staff -------------------------------------------------------------------------------

    def load_places(self) -> None:
        reference_data_load()
        rng = self.rng
        self.determinants = list(Determinant.objects.order_by("position").values_list("pk", "impact", "code"))
        self.det_ids = [d[0] for d in self.determinants]
        self.det_impact = {d[0]: d[1] for d in self.determinants}
        self.det_code = {d[0]: d[2] for d in self.determinants}
        self.bases = list(Base.objects.select_related("district", "venue").order_by("district__name", "name"))
        by_district = defaultdict(list)
        for i, base in enumerate(self.bases):
            by_district[base.district_id].append(i)
        self.bases_in_district = by_district
        districts = {base.district_id: base.district for base in self.bases}
        self.districts = districts
        # Where families live: each town with its under-5s; "Other" (the rest of the county) shared out evenly.
        places, weights = [], []
        for locality in Locality.objects.order_by("name"):
            if locality.district_id:
                places.append((locality.pk, locality.district_id, locality.name, float(locality.need_index)))
                weights.append(locality.under_5)
            else:
                for district_id in sorted(districts):
                    places.append((locality.pk, district_id, None, float(locality.need_index)))
                    weights.append(locality.under_5 / len(districts))
        self.place = _Picker(places, weights, rng)
        self.district_weight = Counter()
        for place, weight in zip(places, weights, strict=True):
            self.district_weight[place[1]] += weight
        # Community venues for outreach: the former centres plus a few halls and libraries per district.
        for district in districts.values():
            for suffix, kind in COMMUNITY_VENUES:
                Venue.objects.get_or_create(
                    name=f"{district.name} {suffix}",
                    defaults={
                        "kind": kind,
                        "role": Venue.Role.COMMUNITY_VENUE,
                        "district": district,
                        "address": f"High Street, {district.name}",
                        "postcode": self.postcode(district.name),
                        "step_free_access": True,
                        "baby_changing": True,
                    },
                )
        self.outreach_venues = defaultdict(list)
        base_venues = {base.venue_id for base in self.bases}
        for venue_id, district_id in Venue.objects.filter(status=Venue.Status.ACTIVE, has_building=True).values_list(
            "pk", "district_id"
        ):
            if venue_id not in base_venues:
                self.outreach_venues[district_id].append(venue_id)

    def make_staff(self) -> None:
        """A manager and a team per base, workers per base in proportion to need, commissioners, an admin."""
        User = get_user_model()
        rng = self.rng
        password = make_password(DEMO_PASSWORD)  # once: hashing is deliberately slow
        groups = {role: Group.objects.get(name=group_name(role)) for role in Role}
        staff_total = self.counts["staff"]
        commissioners = max(1, round(COMMISSIONERS * self.factor))
        workers_total = max(len(self.bases), staff_total - len(self.bases) - commissioners - ADMINS)
        share = [self.district_weight[b.district_id] / len(self.bases_in_district[b.district_id]) for b in self.bases]
        per_base = [max(1, int(workers_total * s / sum(share))) for s in share]
        while sum(per_base) < workers_total:
            per_base[rng.choices(range(len(self.bases)), weights=share)[0]] += 1

        wanted = []  # (email, role, base index or None, job title)
        for i, base in enumerate(self.bases):
            slug = slugify(base.name)
            wanted.append((f"manager.{slug}@{DEMO_EMAIL_DOMAIN}", Role.MANAGER, i, "Team manager"))
            for n in range(1, per_base[i] + 1):
                wanted.append((f"worker{n}.{slug}@{DEMO_EMAIL_DOMAIN}", Role.WORKER, i, "Family support worker"))
        for n in range(1, commissioners + 1):
            wanted.append((f"commissioner{n}@{DEMO_EMAIL_DOMAIN}", Role.COMMISSIONER, None, ""))
        wanted.append((f"admin@{DEMO_EMAIL_DOMAIN}", Role.ADMIN, None, ""))

        existing = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
        new_users = [
            User(
                email=email,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password=password,
                is_staff=role == Role.ADMIN,
                date_joined=self.at(0),
            )
            for email, role, _, _ in wanted
            if email not in existing
        ]
        with transaction.atomic():
            User.objects.bulk_create(new_users, batch_size=500)
            users = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
            Through = User.groups.through
            have = set(Through.objects.filter(user__in=users.values()).values_list("user_id", "group_id"))
            Through.objects.bulk_create(
                [
                    Through(user_id=users[email].pk, group_id=groups[role].pk)
                    for email, role, _, _ in wanted
                    if (users[email].pk, groups[role].pk) not in have
                ]
            )
            self.teams, self.managers = [], []
            for base in self.bases:
                manager = users[wanted_email(base, "manager")]
                team = Team.objects.filter(base=base).order_by("pk").first()
                if team is None:
                    team = Team.objects.create(name=f"{base.name} team", base=base, manager=manager)
                elif team.manager_id is None:
                    team.manager = manager
                    team.save(update_fields=["manager"])
                self.teams.append(team.pk)
                self.managers.append(team.manager_id)
            profiled = set(StaffProfile.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
            StaffProfile.objects.bulk_create(
                [
                    StaffProfile(user_id=users[email].pk, team_id=self.teams[i], job_title=title)
                    for email, role, i, title in wanted
                    if i is not None and users[email].pk not in profiled
                ]
            )
        self.workers = [[] for _ in self.bases]
        for email, role, i, _ in wanted:
            if role == Role.WORKER:
                self.workers[i].append(users[email].pk)
        self.all_workers = [w for ws in self.workers for w in ws]
        self.admin = users[f"admin@{DEMO_EMAIL_DOMAIN}"].pk
        self.w.written["accounts.User"] += len(new_users)

    # Referrals, families and episodes -----------------------------------------------------------------------

    def simulate_referrals(self) -> None:
        rng, days = self.rng, self.days
        n = self.counts["referrals"]
        received = sorted(rng.randint(0, days) for _ in range(n))
        statuses = []
        for day in received:
            if day > days - 4 or (day > days - 15 and rng.random() < 0.04):
                statuses.append(Referral.Status.RECEIVED)
            else:
                status = rng.choices(list(TRIAGE_OUTCOMES), weights=list(TRIAGE_OUTCOMES.values()))[0]
                if status == Referral.Status.ALLOCATED and day > days - 8 and rng.random() < 0.5:
                    status = Referral.Status.ACCEPTED
                statuses.append(status)
        # Every state at least once, even at tiny scales: take it from the commonest state.
        if n >= 2 * len(Referral.Status.values):
            have = Counter(statuses)
            for status in Referral.Status.values:
                if not have[status]:
                    donor = have.most_common(1)[0][0]
                    candidates = [i for i, s in enumerate(statuses) if s == donor and received[i] < days - 20]
                    i = rng.choice(candidates)
                    statuses[i] = status
                    have[status] += 1
                    have[donor] -= 1
        self.received, self.statuses = received, statuses

        allocated = [i for i, s in enumerate(statuses) if s == Referral.Status.ALLOCATED]
        workers = len(self.all_workers)
        open_families = min(round(workers * CASELOAD / WORKERS_PER_OPEN_FAMILY), round(0.4 * len(allocated)))
        open_set = set(allocated[len(allocated) - open_families :]) if open_families else set()
        family_creating = sum(1 for s in statuses if s in (Referral.Status.ACCEPTED, Referral.Status.ALLOCATED))
        rereferral_share = max(0.0, (family_creating - self.counts["families"]) / max(family_creating, 1))

        fam_ids = self.w.ids(Family)
        self.families = []  # (id, day created, place, base index)
        self.family_by_district = defaultdict(list)
        self.episodes: list[_Episode] = []
        self.referral_family = [None] * n
        self.referral_place = [None] * n
        self.referral_base = [None] * n
        self.referral_episode = [None] * n
        self.referral_previous_closure = [None] * n
        self.referral_reasons = []
        last_end = {}  # family id → day its last episode closed
        closed_heaps = defaultdict(list)  # district → heap of (closed day, family id)
        available = defaultdict(list)  # district → families closed before now
        load = Counter()

        for i, day in enumerate(received):
            status = statuses[i]
            place = self.place()
            district_id = place[1]
            base_i = rng.choice(self.bases_in_district[district_id])
            reasons = rng.sample(self.det_ids, rng.choice((1, 1, 2, 2, 2, 3)))
            self.referral_reasons.append(reasons)
            heap = closed_heaps[district_id]
            while heap and heap[0][0] < day:
                available[district_id].append(heapq.heappop(heap)[1])
            family = None
            if status in (Referral.Status.ACCEPTED, Referral.Status.ALLOCATED):
                pool = available[district_id]
                if pool and rng.random() < rereferral_share:
                    family = pool.pop(rng.randrange(len(pool)))
                    fam = self.families[self._family_index[family]]
                    place, base_i = fam[2], fam[3]
                    if day - last_end[family] <= 365:
                        self.referral_previous_closure[i] = last_end[family]
                else:
                    family = fam_ids.take()
                    self._family_index[family] = len(self.families)
                    self.families.append((family, day, place, base_i))
                    self.family_by_district[district_id].append(family)
            elif status == Referral.Status.DUPLICATE and self.family_by_district[district_id]:
                family = rng.choice(self.family_by_district[district_id])
                fam = self.families[self._family_index[family]]
                place, base_i = fam[2], fam[3]
            self.referral_family[i] = family
            self.referral_place[i] = place
            self.referral_base[i] = base_i

            if status != Referral.Status.ALLOCATED:
                if status == Referral.Status.ACCEPTED:
                    last_end[family] = None  # open, awaiting allocation
                continue
            triaged = min(days, self.weekday(day + rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 6))))
            alloc = min(days, triaged + rng.randint(0, 5))
            first_contact = alloc + rng.randint(1, 12)
            workers_here = self.workers[base_i]
            is_open = i in open_set
            lead = min(workers_here, key=lambda w: (load[w], rng.random())) if is_open else rng.choice(workers_here)
            episode = _Episode(
                referral=i,
                family=family,
                base=base_i,
                day=triaged,
                alloc_day=alloc,
                first_contact_day=first_contact if first_contact <= days else None,
                lead=lead,
                plans=[],
                reasons=reasons,
            )
            if is_open:
                episode.end = None
                last_end[family] = None
                load[lead] += 1
                if len(workers_here) > 1 and rng.random() < WORKERS_PER_OPEN_FAMILY - 1:
                    co = min((w for w in workers_here if w != lead), key=lambda w: (load[w], rng.random()))
                    episode.co_worker = co
                    load[co] += 1
            else:
                end = min(days - 1, alloc + rng.randint(6 * 7, 40 * 7))
                episode.end = max(end, alloc + 1)
                last_end[family] = episode.end
                heapq.heappush(closed_heaps[district_id], (episode.end, family))
                if len(workers_here) > 1 and rng.random() < 0.2:
                    episode.co_worker = rng.choice([w for w in workers_here if w != lead])
            if len(workers_here) > 1 and rng.random() < 0.08 and (episode.end or days) - alloc > 30:
                episode.previous_lead = rng.choice([w for w in workers_here if w != lead])
                episode.switch_day = alloc + rng.randint(7, (episode.end or days) - alloc - 7)
            self.referral_episode[i] = len(self.episodes)
            self.episodes.append(episode)
        self.last_end = last_end
        self.say(f"simulated {n:,} referrals, {len(self.families):,} families, {len(self.episodes):,} episodes")

    def simulate_plans(self) -> None:
        rng, days = self.rng, self.days
        plan_ids = self.w.ids(SupportPlan)
        open_eps = sorted((e for e in self.episodes if e.end is None), key=lambda e: -e.day)
        bounds = list(accumulate(share for _, share in OPEN_STAGES))
        for k, episode in enumerate(open_eps):
            position = (k + 0.5) / max(len(open_eps), 1)
            episode.stage = OPEN_STAGES[min(bisect.bisect_left(bounds, position), len(OPEN_STAGES) - 1)][0]
        # Every open stage at least once when there is room.
        if len(open_eps) >= 2 * len(OPEN_STAGES):
            have = Counter(e.stage for e in open_eps)
            for stage, _ in OPEN_STAGES:
                if not have[stage]:
                    donor = max((e for e in open_eps if have[e.stage] > 1), key=lambda e: have[e.stage], default=None)
                    if donor:
                        have[donor.stage] -= 1
                        donor.stage = stage
                        have[stage] += 1
        self.plans: list[_Plan] = []
        for episode in open_eps:
            if episode.stage is None:
                continue
            if episode.first_contact_day is None:
                episode.first_contact_day = min(days, episode.alloc_day + 1)
            self.plans.append(self._plan(plan_ids.take(), episode, episode.stage))
        closed_eps = [e for e in self.episodes if e.end is not None]
        remaining = max(0, self.counts["plans"] - len(self.plans))
        chance = remaining / max(len(closed_eps), 1)
        for episode in closed_eps:
            if episode.first_contact_day is None or episode.first_contact_day >= episode.end:
                episode.first_contact_day = episode.alloc_day + 1 if episode.alloc_day + 1 < episode.end else None
            extra = chance
            while extra > 0 and episode.first_contact_day is not None:
                if rng.random() < extra:
                    self.plans.append(self._plan(plan_ids.take(), episode, SupportPlan.Status.CLOSED))
                extra -= 1
        self.say(f"simulated {len(self.plans):,} plans")

    def _plan(self, plan_id: int, episode: _Episode, status: str) -> _Plan:
        rng, days = self.rng, self.days
        kind = SupportPlan.Kind.GROUP if rng.random() < 0.15 else SupportPlan.Kind.ONE_TO_ONE
        goals = list(dict.fromkeys(episode.reasons + rng.sample(self.det_ids, rng.choice((0, 0, 1)))))
        if any(p.kind == kind for p in episode.plans):
            kind = SupportPlan.Kind.GROUP if kind == SupportPlan.Kind.ONE_TO_ONE else SupportPlan.Kind.ONE_TO_ONE
        start = max(episode.first_contact_day, episode.plans[-1].closed if episode.plans else 0)
        plan = _Plan(
            id=plan_id,
            family=episode.family,
            kind=kind,
            status=status,
            worker=episode.lead,
            interval=rng.choice((6, 8, 8, 8, 10, 12)),
            goals=goals,
            reviews=[],
            episode=episode,
        )
        end = episode.end if episode.end is not None else days
        plan.created = min(end, start + rng.randint(10, 28))
        if status == SupportPlan.Status.DRAFT:
            plan.created = min(days, max(start, days - rng.randint(0, 20)))
        if status == SupportPlan.Status.PENDING_ACTIVATION:
            plan.created = min(days, max(start, days - rng.randint(1, 10)))
        if status in (SupportPlan.Status.ACTIVE, SupportPlan.Status.PENDING_CLOSURE, SupportPlan.Status.CLOSED):
            plan.activated = min(end, plan.created + rng.randint(3, 10))
            if status == SupportPlan.Status.CLOSED:
                plan.closed = end
                plan.closure_requested = max(plan.activated, end - rng.randint(2, 10))
                plan.reason = rng.choices(list(CLOSURE_REASONS), weights=list(CLOSURE_REASONS.values()))[0]
                if plan.closed - plan.activated < 14:
                    plan.reason = SupportPlan.ClosureReason.DECLINED
            elif status == SupportPlan.Status.PENDING_CLOSURE:
                plan.closure_requested = max(plan.activated, days - rng.randint(0, 10))
                plan.reason = SupportPlan.ClosureReason.NEEDS_MET
            last = plan.activated
            stop = plan.closure_requested if plan.closure_requested is not None else days
            while last + plan.interval * 7 <= stop - 3:
                last += plan.interval * 7 + rng.randint(-5, 3)
                plan.reviews.append(last)
            if status == SupportPlan.Status.ACTIVE:
                if plan.reviews and rng.random() < 0.12:
                    plan.reviews.pop()  # a review missed: overdue
                    last = plan.reviews[-1] if plan.reviews else plan.activated
                plan.next_review_due = last + plan.interval * 7
        episode.plans.append(plan)
        return plan

    # Writing ------------------------------------------------------------------------------------------------

    def write_families(self) -> None:
        rng, days = self.rng, self.days
        w = self.w
        family_fields = [
            "id",
            "uuid",
            "reference",
            "status",
            "closed_at",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "district_id",
            "locality_id",
            "base_id",
            "lone_parent",
            "teenage_parent",
            "parent_no_qualifications",
            "low_income",
            "english_additional_language",
            "first_language",
            "interpreter_needed",
            "ethnicity",
            "disability_in_household",
            "send_in_household",
            "consent_given",
            "consent_given_by",
            "consent_date",
            "consent_scope",
            "registered_on",
            "registered_via",
            "registered_team_id",
            "created_by_id",
            "modified_by_id",
            "created_at",
            "modified_at",
        ]
        families = w.table(Family, family_fields, total=len(self.families))
        # Each family's saved versions (django-simple-history), as the services leave them: one when the record was
        # made and, for a family whose support has ended, one when it was closed. The returns read some figures
        # from the version that stood at the period's end, so the benchmark has to have them.
        versions = w.table(
            Family.history.model,
            [*family_fields, "history_date", "history_change_reason", "history_type", "history_user_id"],
            total=len(self.families),
            label="families' saved versions",
        )
        people = w.table(
            Person,
            [
                "id",
                "uuid",
                "family_id",
                "kind",
                "first_name",
                "last_name",
                "date_of_birth",
                "expected_date",
                "relationship",
                "funded_education_eligible",
                "funded_education_started_on",
                "funded_education_setting",
                "first_name_key",
                "last_name_key",
                "created_at",
                "modified_at",
            ],
            total=self.counts["people"],
        )
        professionals = w.table(
            Professional,
            ["id", "uuid", "family_id", "agency", "organisation", "name", "role", "phone", "email", "created_at"]
            + ["modified_at"],
        )
        audit = w.table(
            AuditEvent,
            ["occurred_at", "actor_id", "action", "object_type", "object_id", "family_id", "summary", "changes"],
        )
        person_ids, prof_ids = w.ids(Person), w.ids(Professional)
        ethnicities = ["white_british"] * 80 + [
            "white_other",
            "white_other",
            "white_other",
            "gypsy_irish_traveller",
            "roma",
            "mixed_white_asian",
            "mixed_white_black_caribbean",
            "indian",
            "bangladeshi",
            "african",
            "caribbean",
            "chinese",
            "arab",
            "not_stated",
        ]
        languages = ["Polish", "Lithuanian", "Portuguese", "Romanian", "Bengali", "Russian", "Latvian"]
        self.family_parent = {}
        self.family_children = defaultdict(list)
        people_per_family = self.counts["people"] / max(len(self.families), 1)
        # Light registrations (#19): about a third of families were first known at a universal session, a drop-in
        # or outreach (the record made then, the referral after). A generator of its own keeps the rest as it was.
        registrations = random.Random(REGISTRATION_SEED)  # noqa: S311 — demo data, not secrets
        routes = [route for route, _ in RegistrationRoute.choices]
        for family_id, day, place, base_i in self.families:
            locality_id, district_id, town, _ = place
            base = self.bases[base_i]
            district = self.districts[district_id]
            last_end = self.last_end.get(family_id)
            is_open = last_end is None
            created = self.at(day)
            lone = rng.random() < 0.35
            eal = rng.random() < 0.1
            manager = self.managers[base_i]
            registered = registrations.random() < REGISTERED_SHARE
            registered_on = self.on(day) if registered else None
            row = (
                family_id,
                self.uuid(),
                f"ECFS-{family_id:06d}",
                Family.Status.OPEN if is_open else Family.Status.CLOSED,
                None if is_open else self.at(last_end),
                f"{rng.randint(1, 140)} {rng.choice(LAST_NAMES)} {rng.choice(('Road', 'Close', 'Way', 'Street'))}",
                "",
                town or rng.choice(VILLAGES),
                self.postcode(district.name),
                district_id,
                locality_id,
                base.pk,
                lone,
                rng.random() < 0.06,
                rng.random() < 0.15,
                rng.random() < 0.4,
                eal,
                rng.choice(languages) if eal else "English",
                eal and rng.random() < 0.3,
                rng.choice(ethnicities),
                rng.random() < 0.08,
                rng.random() < 0.12,
                True,
                "Parent",
                self.on(day),
                Family.ConsentScope.HOLD_AND_SHARE,
                registered_on,
                registrations.choice(routes) if registered else "",
                self.teams[base_i] if registered else None,
                manager,
                manager,
                created,
                created,
            )
            families.add(*row)
            as_made = (*row[:3], Family.Status.OPEN, None, *row[5:])
            versions.add(*as_made, created, "", "+", manager)
            if not is_open:
                versions.add(*row, row[4], "", "~", manager)
            audit.add(created, manager, "family.created", "family", str(family_id), family_id, "Family created", {})
            surname = rng.choice(LAST_NAMES)
            # Parents and children: about three people a family.
            members = [("parent_carer", "mother")] + ([] if lone else [("parent_carer", "father")])
            children = 1 + (rng.random() < max(0.0, people_per_family - 2.85))
            members += [("child", "child")] * children
            if rng.random() < 0.2:
                members.append(("older_child", "sibling"))
            if is_open and day > days - 180 and rng.random() < 0.3:
                members.append(("unborn", "child"))
            for kind, relationship in members:
                pid = person_ids.take()
                first = rng.choice(FIRST_NAMES)
                dob = expected = None
                if kind == "parent_carer":
                    dob = self.on(day) - timedelta(days=rng.randint(17 * 365, 42 * 365))
                    self.family_parent.setdefault(family_id, pid)
                elif kind == "child":
                    dob = self.on(day) - timedelta(days=rng.randint(0, 4 * 365))
                    self.family_children[family_id].append((pid, dob))
                elif kind == "older_child":
                    dob = self.on(day) - timedelta(days=rng.randint(5 * 365 + 10, 11 * 365))
                else:
                    expected = self.today + timedelta(days=rng.randint(20, 200))
                eligible = kind == "child" and rng.random() < 0.4
                started = dob + timedelta(days=2 * 365 + 120) if eligible and dob else None
                started = started if started and started < self.today else None
                people.add(
                    pid,
                    self.uuid(),
                    family_id,
                    kind,
                    first,
                    surname,
                    dob,
                    expected,
                    relationship,
                    eligible,
                    started,
                    f"{town or 'Village'} Pre-school" if started else "",
                    name_key(first),
                    name_key(surname),
                    created,
                    created,
                )
            if rng.random() < 0.7:
                prof = prof_ids.take()
                professionals.add(
                    prof,
                    self.uuid(),
                    family_id,
                    Professional.Agency.HEALTH_VISITING,
                    "Norfolk Healthy Child Programme",
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "Health visitor",
                    "01603 000000",
                    "",
                    created,
                    created,
                )
        self.audit = audit
        for table in (families, versions, people, professionals):
            table.close()
        self.say(f"wrote {families.count:,} families, {people.count:,} people")

    def write_referrals(self) -> None:
        rng = self.rng
        w = self.w
        n = len(self.received)
        ref_ids = w.ids(Referral)
        self.referral_ids = [ref_ids.take() for _ in range(n)]
        referrals = w.table(
            Referral,
            [
                "id",
                "uuid",
                "reference",
                "status",
                "family_id",
                "received_at",
                "received_via",
                "recorded_by_id",
                "source",
                "referrer_name",
                "referrer_agency",
                "referrer_role",
                "referrer_phone",
                "referrer_email",
                "reason_details",
                "urgency",
                "consent_obtained",
                "best_times",
                "language",
                "interpreter_needed",
                "safe_contact_only",
                "safe_contact_notes",
                "address_line_1",
                "address_line_2",
                "town",
                "postcode",
                "district_id",
                "locality_id",
                "routed_team_id",
                "triage_due",
                "first_contact_due",
                "triaged_at",
                "first_contact_at",
                "closed_at",
                "previous_closure_at",
                "created_at",
                "modified_at",
            ],
            total=n,
        )
        Reasons = Referral.reasons.through
        reasons = w.table(Reasons, ["referral_id", "determinant_id"], total=n * 2, label="referral reasons")
        people = w.table(ReferralPerson, ["referral_id", "kind", "first_name", "last_name", "date_of_birth"])
        decisions = w.table(
            TriageDecision, ["referral_id", "decision", "reason", "notes", "decided_by_id", "decided_at"], total=n
        )
        source_pick = _Picker(list(SOURCES), list(SOURCES.values()), rng)
        for i, day in enumerate(self.received):
            status = self.statuses[i]
            place, base_i = self.referral_place[i], self.referral_base[i]
            locality_id, district_id, town, _ = place
            manager = self.managers[base_i]
            received_at = self.at(day)
            triage_due, contact_due = self.dues(day)
            episode = self.episodes[self.referral_episode[i]] if self.referral_episode[i] is not None else None
            triaged = None
            if status != Referral.Status.RECEIVED:
                tday = episode.day if episode else min(self.days, self.weekday(day + rng.choice((0, 1, 2, 3, 5))))
                triaged = self.at(tday)
                if triaged < received_at:
                    triaged = received_at + timedelta(hours=2)
            first_contact = None
            if episode and episode.first_contact_day is not None:
                first_contact = self.at(episode.first_contact_day)
                first_contact = max(first_contact, triaged + timedelta(hours=1))
            closed = triaged if status in Referral.CLOSED_AT_TRIAGE else None
            previous = self.referral_previous_closure[i]
            source = source_pick()
            rid = self.referral_ids[i]
            referrals.add(
                rid,
                self.uuid(),
                f"REF-{rid:06d}",
                status,
                self.referral_family[i],
                received_at,
                rng.choice(Referral.ReceivedVia.values),
                manager,
                source,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                Source(source).label,
                "",
                "",
                "",
                "Family would welcome support; see the reasons.",
                Referral.Urgency.URGENT if rng.random() < 0.1 else Referral.Urgency.ROUTINE,
                True,
                "",
                "",
                False,
                rng.random() < 0.03,
                "",
                f"{rng.randint(1, 140)} {rng.choice(LAST_NAMES)} Road",
                "",
                town or rng.choice(VILLAGES),
                self.postcode(self.districts[district_id].name),
                district_id,
                locality_id,
                self.teams[base_i],
                triage_due,
                contact_due,
                triaged,
                first_contact,
                closed,
                self.at(previous) if previous is not None else None,
                received_at,
                triaged or received_at,
            )
            for determinant in self.referral_reasons[i]:
                reasons.add(rid, determinant)
            child_dob = self.on(day) - timedelta(days=rng.randint(0, 4 * 365))
            people.add(rid, "child", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), child_dob)
            if triaged is not None:
                decision = DECISION_FOR[status]
                decisions.add(
                    rid,
                    decision,
                    rng.choice(TriageDecision.REASONS_FOR[decision]),
                    "Decided at triage.",
                    manager,
                    triaged,
                )
        for table in (referrals, reasons, people, decisions):
            table.close()
        self.say(f"wrote {referrals.count:,} referrals")

    def write_allocations(self) -> None:
        w = self.w
        allocations = w.table(
            Allocation,
            ["family_id", "worker_id", "role", "started_at", "allocated_by_id", "reason", "ended_at", "ended_by_id"]
            + ["end_reason"],
            total=len(self.episodes),
        )
        grants = w.table(FamilyUserObjectPermission, ["permission_id", "user_id", "content_object_id"])
        assessments = w.table(
            Assessment,
            ["id", "uuid", "family_id", "strengths", "family_view", "child_voice", "due_on", "agreed_on"]
            + ["completed_at", "created_by_id", "created_at", "modified_at"],
        )
        needs = w.table(Assessment.needs.through, ["assessment_id", "determinant_id"])
        perms = list(
            Permission.objects.filter(
                content_type__app_label="families", codename__in=["view_family", "change_family"]
            ).values_list("pk", flat=True)
        )
        assessment_ids = w.ids(Assessment)
        for episode in self.episodes:
            base_i = episode.base
            manager = self.managers[base_i]
            started = self.at(episode.alloc_day)
            ended = self.at(episode.end) if episode.end is not None else None
            rid = self.referral_ids[episode.referral]
            reason = f"Referral REF-{rid:06d}"
            if episode.previous_lead:
                switch = self.at(episode.switch_day)
                allocations.add(
                    episode.family,
                    episode.previous_lead,
                    "lead",
                    started,
                    manager,
                    reason,
                    switch,
                    manager,
                    "Caseloads rebalanced",
                )
                started_lead = switch
            else:
                started_lead = started
            allocations.add(
                episode.family,
                episode.lead,
                "lead",
                started_lead,
                manager,
                reason,
                ended,
                manager if ended else None,
                "Family's support ended" if ended else "",
            )
            if episode.co_worker:
                allocations.add(
                    episode.family,
                    episode.co_worker,
                    "co_worker",
                    started + timedelta(days=7),
                    manager,
                    "Joint working",
                    ended,
                    manager if ended else None,
                    "Family's support ended" if ended else "",
                )
            self.audit.add(
                started,
                manager,
                "allocation.started",
                "allocation",
                str(episode.family),
                episode.family,
                "Lead worker allocated",
                {},
            )
            if ended is None:
                for worker in filter(None, (episode.lead, episode.co_worker)):
                    for perm in perms:
                        grants.add(perm, worker, episode.family)
            # The whole-family assessment.
            if episode.first_contact_day is None:
                continue
            due = self.on(episode.alloc_day + 28)
            if episode.plans:
                done_day = max(episode.first_contact_day, episode.plans[0].created - 1)
            elif episode.end is not None:
                done_day = episode.end
            else:
                done_day = None
            aid = assessment_ids.take()
            made = self.at(episode.first_contact_day)
            assessments.add(
                aid,
                self.uuid(),
                episode.family,
                "Loving parents; good support from grandparents.",
                "We want the children to be settled and happy.",
                "Enjoys stories and the park.",
                due,
                self.on(done_day) if done_day is not None else None,
                self.at(done_day) if done_day is not None else None,
                episode.lead,
                made,
                made,
            )
            for determinant in episode.reasons:
                needs.add(aid, determinant)
        for table in (allocations, grants, assessments, needs):
            table.close()
        self.say(f"wrote {allocations.count:,} allocations, {grants.count:,} grants")

    def write_plans(self) -> None:
        rng, w = self.rng, self.w
        plans = w.table(
            SupportPlan,
            [
                "id",
                "uuid",
                "family_id",
                "kind",
                "status",
                "worker_id",
                "lead_professional",
                "review_interval_weeks",
                "next_review_due",
                "activated_at",
                "activated_by_id",
                "closure_reason",
                "closure_summary",
                "closure_requested_at",
                "closed_at",
                "closed_by_id",
                "created_by_id",
                "created_at",
                "modified_at",
            ],
            total=len(self.plans),
        )
        goals = w.table(Goal, ["id", "plan_id", "determinant_id", "description"], total=len(self.plans) * 2)
        reviews = w.table(Review, ["id", "plan_id", "reviewed_on", "notes", "created_by_id", "created_at"])
        assessments = w.table(
            OutcomeAssessment, ["id", "plan_id", "stage", "review_id", "assessed_on", "created_by_id", "created_at"]
        )
        scores = w.table(
            OutcomeScore, ["assessment_id", "determinant_id", "score"], total=len(self.plans) * 6, label="scores"
        )
        follow_ups = w.table(FollowUp, ["plan_id", "due_on", "sustained", "notes", "recorded_at", "recorded_by_id"])
        progress = w.table(ParentProgress, ["person_id", "kind", "started_on", "recorded_by_id"])
        goal_ids, review_ids, oa_ids = w.ids(Goal), w.ids(Review), w.ids(OutcomeAssessment)
        self.plan_goals = {}
        for plan in self.plans:
            base_i = plan.episode.base
            manager = self.managers[base_i]
            created = self.at(plan.created)
            activated = self.at(plan.activated) if plan.activated is not None else None
            requested = self.at(plan.closure_requested) if plan.closure_requested is not None else None
            closed = self.at(plan.closed) if plan.closed is not None else None
            plans.add(
                plan.id,
                self.uuid(),
                plan.family,
                plan.kind,
                plan.status,
                plan.worker,
                rng.random() < 0.3,
                plan.interval,
                self.on(plan.next_review_due) if plan.next_review_due is not None else None,
                activated,
                manager if activated else None,
                plan.reason or "",
                "Support ended; see the closing scores." if closed else "",
                requested,
                closed,
                manager if closed else None,
                plan.worker,
                created,
                closed or requested or activated or created,
            )
            gids = []
            for determinant in plan.goals:
                gid = goal_ids.take()
                gids.append(gid)
                goals.add(gid, plan.id, determinant, f"Progress with {self.det_code[determinant].replace('_', ' ')}")
            self.plan_goals[plan.id] = gids
            if activated is None:
                continue
            start_scores = {d: rng.randint(2, 6) for d in plan.goals}

            def assess(stage, day, scores_now, review_id=None, plan=plan):
                oid = oa_ids.take()
                assessments.add(oid, plan.id, stage, review_id, self.on(day), plan.worker, self.at(day))
                for determinant, score in scores_now.items():
                    scores.add(oid, determinant, max(1, min(10, score)))

            assess("start", plan.activated, start_scores)
            gain = {
                SupportPlan.ClosureReason.NEEDS_MET: (2, 4),
                SupportPlan.ClosureReason.STEPPED_UP: (-2, 1),
                SupportPlan.ClosureReason.DECLINED: (-1, 1),
            }.get(plan.reason, (0, 2))
            for k, day in enumerate(plan.reviews, start=1):
                rid = review_ids.take()
                reviews.add(rid, plan.id, self.on(day), "Reviewed with the family.", plan.worker, self.at(day))
                fraction = k / (len(plan.reviews) + 1)
                assess(
                    "review",
                    day,
                    {d: s + round(fraction * rng.randint(*gain)) for d, s in start_scores.items()},
                    review_id=rid,
                )
            has_close = plan.status == SupportPlan.Status.PENDING_CLOSURE or (
                plan.status == SupportPlan.Status.CLOSED
                and (plan.reason not in (SupportPlan.ClosureReason.DECLINED, SupportPlan.ClosureReason.MOVED_AWAY))
            )
            if has_close:
                assess("close", plan.closure_requested, {d: s + rng.randint(*gain) for d, s in start_scores.items()})
            if plan.status == SupportPlan.Status.CLOSED and plan.reason == SupportPlan.ClosureReason.NEEDS_MET:
                due = plan.closed + 182
                recorded = due + rng.randint(0, 20) if due + 20 < self.days else None
                follow_ups.add(
                    plan.id,
                    self.on(due),
                    (rng.random() < 0.75) if recorded else None,
                    "Called the family at six months." if recorded else "",
                    self.at(recorded) if recorded else None,
                    plan.worker if recorded else None,
                )
                mobility = any(self.det_impact[d] == 3 for d in plan.goals)
                parent = self.family_parent.get(plan.family)
                if mobility and parent and rng.random() < 0.4:
                    progress.add(parent, rng.choice(ParentProgress.Kind.values), self.on(plan.closed), plan.worker)
        for table in (plans, goals, reviews, assessments, scores, follow_ups, progress):
            table.close()
        self.say(f"wrote {plans.count:,} plans, {scores.count:,} scores")

    def write_contacts(self) -> None:
        rng, w, days = self.rng, self.w, self.days
        target = self.counts["contacts"]
        spans = []
        for episode in self.episodes:
            if episode.first_contact_day is None:
                spans.append(0)
                continue
            end = episode.end if episode.end is not None else days
            spans.append(max(1, end - episode.first_contact_day + 1))
        total_span = sum(spans) or 1
        contacts = w.table(
            Contact,
            [
                "id",
                "uuid",
                "family_id",
                "plan_id",
                "occurred_at",
                "duration_minutes",
                "mode",
                "venue_id",
                "notes",
                "next_steps",
                "safeguarding_concern",
                "created_by_id",
                "created_at",
                "modified_at",
            ],
            total=target,
        )
        actions = w.table(SafeguardingAction, ["contact_id", "action", "notes", "recorded_by_id", "recorded_at"])
        contact_ids = w.ids(Contact)
        mode_pick = _Picker(list(CONTACT_MODES), list(CONTACT_MODES.values()), rng)
        carry = 0.0
        for episode, span in zip(self.episodes, spans, strict=True):
            if not span:
                continue
            exact = span * target / total_span + carry
            count = max(1, int(exact))
            carry = exact - count
            base = self.bases[episode.base]
            venues = self.outreach_venues.get(base.district_id) or [base.venue_id]
            manager = self.managers[episode.base]
            first = episode.first_contact_day
            contact_days = [first] + sorted(rng.randint(first, first + span - 1) for _ in range(count - 1))
            plans = episode.plans
            for day in contact_days:
                day = min(days, self.weekday(day))
                mode = mode_pick()
                venue = None
                if mode == Contact.Mode.BASE:
                    venue = base.venue_id
                elif mode == Contact.Mode.COMMUNITY_VENUE:
                    venue = rng.choice(venues)
                worker = episode.lead
                if episode.previous_lead and day < episode.switch_day:
                    worker = episode.previous_lead
                elif episode.co_worker and rng.random() < 0.25:
                    worker = episode.co_worker
                plan_id = None
                for plan in plans:
                    if plan.created <= day and (plan.closed is None or day <= plan.closed):
                        plan_id = plan.id
                        break
                when = self.at(day)
                concern = rng.random() < 0.004
                cid = contact_ids.take()
                contacts.add(
                    cid,
                    self.uuid(),
                    episode.family,
                    plan_id,
                    when,
                    rng.choice((15, 30, 45, 60, 60, 90)),
                    mode,
                    venue,
                    rng.choice(CONTACT_NOTES),
                    "",
                    concern,
                    worker,
                    when,
                    when,
                )
                if concern and day < days - 3:
                    actions.add(
                        cid,
                        rng.choice(SafeguardingAction.Action.values),
                        "Discussed in supervision.",
                        manager,
                        when + timedelta(days=1),
                    )
        for table in (contacts, actions):
            table.close()
        self.say(f"wrote {contacts.count:,} contacts")

    def write_groups(self) -> None:
        rng, w, days = self.rng, self.w, self.days
        programmes = []
        for name, sessions, offer, target, minutes in PROGRAMMES:
            programme, _ = GroupProgramme.objects.get_or_create(
                name=name,
                defaults={
                    "sessions_count": sessions,
                    "target_group": target,
                    "evidence_based": offer != "universal",
                    "description": f"{name}: {target.lower()}.",
                },
            )
            programmes.append((programme.pk, programme.sessions_count, offer, minutes))
        offers = {"targeted_referral": 25, "targeted_open": 15, "universal": 60}
        by_offer = defaultdict(list)
        for p in programmes:
            by_offer[p[2]].append(p)
        # Families by base, in order of creation, for enrolments and walk-ins.
        base_families = defaultdict(list)
        for family_id, day, _, base_i in self.families:
            base_families[base_i].append((day, family_id))
        base_days = {b: [d for d, _ in fams] for b, fams in base_families.items()}
        base_weights = [len(base_families[i]) + 1 for i in range(len(self.bases))]

        target_sessions = self.counts["sessions"]
        course_ids, session_ids, enrol_ids = w.ids(GroupCourse), w.ids(GroupSession), w.ids(Enrolment)
        courses, sessions, enrolments = [], [], []
        made = 0
        while made < target_sessions:
            offer = rng.choices(list(offers), weights=list(offers.values()))[0]
            programme_id, count, _, minutes = rng.choice(by_offer[offer])
            count = min(count, target_sessions - made)
            base_i = rng.choices(range(len(self.bases)), weights=base_weights)[0]
            base = self.bases[base_i]
            onsite = rng.random() < 0.5
            venue = (
                base.venue_id if onsite else rng.choice(self.outreach_venues.get(base.district_id) or [base.venue_id])
            )
            start_day = self.weekday(rng.randint(0, days + 21))
            minute = rng.choice((9 * 60 + 30, 10 * 60, 13 * 60 + 30))
            cid = course_ids.take()
            facilitator = rng.choice(self.workers[base_i])
            courses.append(
                (cid, programme_id, venue, self.teams[base_i], offer, start_day, minute, minutes, base_i, facilitator)
            )
            course_sessions = []
            for number in range(1, count + 1):
                sday = start_day + 7 * (number - 1)
                cancelled = rng.random() < 0.03
                delivered = not cancelled and sday <= days
                sid = session_ids.take()
                course_sessions.append((sid, number, sday, cancelled, delivered))
            sessions.append(course_sessions)
            # Enrolments on targeted courses: parents of families at the base, known before the course.
            course_enrolments = []
            if offer != "universal":
                known = bisect.bisect_right(base_days.get(base_i, []), start_day)
                pool = base_families[base_i]
                for index in rng.sample(range(known), min(known, rng.randint(6, 12))):
                    family_id = pool[index][1]
                    person = self.family_parent.get(family_id)
                    if person is None:
                        continue
                    withdrawn_at = rng.randint(2, count) if rng.random() < 0.1 and count > 2 else None
                    course_enrolments.append((enrol_ids.take(), family_id, person, withdrawn_at))
            enrolments.append(course_enrolments)
            made += count

        targeted_rows = sum(
            sum(1 for e in ens if e[3] is None or e[3] > s[1])
            for ss, ens in zip(sessions, enrolments, strict=True)
            for s in ss
            if s[4]
        )
        universal_sessions = sum(
            1 for c, ss in zip(courses, sessions, strict=True) if c[4] == "universal" for s in ss if s[4]
        )
        mean_walk_ins = max(1.0, (self.counts["attendances"] - targeted_rows) / max(universal_sessions, 1))

        course_t = w.table(
            GroupCourse,
            [
                "id",
                "uuid",
                "programme_id",
                "venue_id",
                "team_id",
                "offer_type",
                "start_date",
                "start_time",
                "duration_minutes",
                "capacity",
                "creche",
                "status",
                "created_by_id",
                "created_at",
                "modified_at",
            ],
        )
        facilitators = w.table(GroupCourse.facilitators.through, ["groupcourse_id", "user_id"])
        session_t = w.table(
            GroupSession,
            [
                "id",
                "uuid",
                "course_id",
                "number",
                "starts_at",
                "duration_minutes",
                "venue_id",
                "status",
                "cancel_reason",
                "cancelled_at",
                "cancelled_by_id",
                "register_taken_at",
                "register_taken_by_id",
                "walk_in_adults",
                "walk_in_children",
                "created_at",
                "modified_at",
            ],
            total=target_sessions,
        )
        enrol_t = w.table(
            Enrolment,
            ["id", "uuid", "course_id", "person_id", "family_id", "plan_id", "enrolled_by_id", "enrolled_at"]
            + ["withdrawn_at", "withdrawn_by_id", "created_at", "modified_at"],
        )
        attend_t = w.table(
            Attendance,
            ["session_id", "enrolment_id", "family_id", "attended", "recorded_at", "recorded_by_id"],
            total=self.counts["attendances"],
        )
        measures = w.table(
            ParentMeasure, ["enrolment_id", "stage", "confidence", "wellbeing", "recorded_at", "recorded_by_id"]
        )
        for course, course_sessions, course_enrolments in zip(courses, sessions, enrolments, strict=True):
            cid, programme_id, venue, team, offer, start_day, minute, minutes, base_i, facilitator = course
            created = self.at(max(0, start_day - 21))
            finished = course_sessions[-1][2] < days
            course_t.add(
                cid,
                self.uuid(),
                programme_id,
                venue,
                team,
                offer,
                self.on(start_day),
                clock(minute // 60, minute % 60),
                minutes,
                rng.choice((12, 14, 16)),
                offer != "universal" and rng.random() < 0.5,
                GroupCourse.Status.CLOSED if finished else GroupCourse.Status.OPEN,
                self.managers[base_i],
                created,
                created,
            )
            facilitators.add(cid, facilitator)
            for eid, family_id, person, withdrawn_at in course_enrolments:
                enrolled = self.at(max(0, start_day - rng.randint(3, 20)))
                withdrawn = self.at(start_day + 7 * (withdrawn_at - 1)) if withdrawn_at else None
                enrol_t.add(
                    eid,
                    self.uuid(),
                    cid,
                    person,
                    family_id,
                    None,
                    facilitator,
                    enrolled,
                    withdrawn,
                    facilitator if withdrawn else None,
                    enrolled,
                    withdrawn or enrolled,
                )
                if start_day <= days:
                    pre = (rng.randint(2, 6), rng.randint(2, 6))
                    first_session = self.at(start_day, minute)
                    measures.add(eid, "pre", pre[0], pre[1], first_session, facilitator)
                    if finished and not withdrawn_at:
                        last_session = self.at(course_sessions[-1][2], minute)
                        measures.add(
                            eid,
                            "post",
                            min(10, pre[0] + rng.randint(0, 3)),
                            min(10, pre[1] + rng.randint(0, 3)),
                            last_session,
                            facilitator,
                        )
            for sid, number, sday, cancelled, delivered in course_sessions:
                starts = self.at(sday, minute)
                walk_in_families = []
                if delivered and offer == "universal":
                    known = bisect.bisect_right(base_days.get(base_i, []), sday)
                    pool = base_families[base_i]
                    k = min(known, max(1, round(rng.gauss(mean_walk_ins, mean_walk_ins / 4))))
                    walk_in_families = [pool[index][1] for index in rng.sample(range(known), k)]
                adults = len(walk_in_families) + rng.randint(0, 4) if delivered and offer == "universal" else 0
                register = starts + timedelta(minutes=minutes) if delivered else None
                session_t.add(
                    sid,
                    self.uuid(),
                    cid,
                    number,
                    starts,
                    minutes,
                    venue,
                    GroupSession.Status.CANCELLED if cancelled else GroupSession.Status.SCHEDULED,
                    "Facilitator unwell" if cancelled else "",
                    starts - timedelta(days=1) if cancelled else None,
                    self.managers[base_i] if cancelled else None,
                    register,
                    facilitator if delivered else None,
                    adults,
                    round(adults * 1.3),
                    created,
                    register or created,
                )
                if not delivered:
                    continue
                for eid, family_id, _, withdrawn_at in course_enrolments:
                    if withdrawn_at is None or withdrawn_at > number:
                        attend_t.add(sid, eid, family_id, rng.random() < 0.8, register, facilitator)
                for family_id in walk_in_families:
                    attend_t.add(sid, None, family_id, True, register, facilitator)
        for table in (course_t, facilitators, session_t, enrol_t, attend_t, measures):
            table.close()
        self.say(f"wrote {session_t.count:,} group sessions, {attend_t.count:,} attendances")

    def write_fund(self) -> None:
        rng, w, days = self.rng, self.w, self.days
        active = [p for p in self.plans if p.activated is not None]
        if not active:
            return
        spans = [max(1, (p.closed if p.closed is not None else days) - p.activated) for p in active]
        plan_pick = _Picker(active, spans, rng)
        n = self.counts["applications"]
        status_weights = {
            Application.Status.PAID: 70,
            Application.Status.DECLINED: 12,
            Application.Status.CANCELLED: 5,
            Application.Status.APPROVED: 3,
        }
        recent_weights = {
            Application.Status.DRAFT: 25,
            Application.Status.SUBMITTED: 35,
            Application.Status.AWAITING_SECOND: 10,
            Application.Status.APPROVED: 20,
            Application.Status.DECLINED: 10,
        }
        council = FundSource.objects.get(name="Council allocation")
        charity = FundSource.objects.get(name="Charity appeal fund")
        plans_by_day = []
        for _ in range(n):
            plan = plan_pick()
            end = plan.closed if plan.closed is not None else days
            plans_by_day.append((rng.randint(plan.activated, max(plan.activated, end)), plan))
        plans_by_day.sort(key=lambda item: item[0])
        statuses = []
        for day, _ in plans_by_day:
            weights = recent_weights if day > days - 21 else status_weights
            statuses.append(rng.choices(list(weights), weights=list(weights.values()))[0])
        # Every state at least once when there is room: the latest applications give up theirs.
        have = Counter(statuses)
        for status in Application.Status.values:
            if have[status] or n < 2 * len(Application.Status.values):
                continue
            i = next(i for i in range(len(statuses) - 1, -1, -1) if have[statuses[i]] > 1)
            have[statuses[i]] -= 1
            statuses[i] = status
            have[status] += 1

        def fy(day):
            return financial_year_of(self.on(day))

        app_ids = w.ids(Application)
        budget_sums: dict = {}  # (year, district id, source id) → [committed, paid]
        rows = []
        for (day, plan), status in zip(plans_by_day, statuses, strict=True):
            family = self.families[self._family_index[plan.family]]
            district_id = family[2][1]
            base_i = plan.episode.base
            manager = self.managers[base_i]
            amount = Decimal(rng.choice((20, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250)))
            second = status == Application.Status.AWAITING_SECOND
            if second:
                amount = Decimal(rng.choice((280, 300, 350)))
            submitted = self.at(day) if status != Application.Status.DRAFT else None
            decided_day = min(days, day + rng.randint(0, 3))
            approved = (
                self.at(decided_day) if status in (Application.Status.APPROVED, Application.Status.PAID) else None
            )
            budget_key = None
            if approved:
                year = fy(decided_day)
                budget_key = (year, None, charity.pk) if rng.random() < 0.1 else (year, district_id, council.pk)
                sums = budget_sums.setdefault(budget_key, [Decimal("0.00"), Decimal("0.00")])
                sums[0] += amount
                if status == Application.Status.PAID:
                    sums[1] += amount
            paid_day = min(days, decided_day + rng.randint(1, 7)) if status == Application.Status.PAID else None
            rows.append(
                (app_ids.take(), plan, status, amount, day, submitted, approved, paid_day, budget_key, manager, second)
            )
        # Budgets: one per district and year from the council, one county budget a year from the charity.
        first_year, last_year = fy(0), fy(days)
        for year in range(first_year, last_year + 1):
            for district_id in self.districts:
                budget_sums.setdefault((year, district_id, council.pk), [Decimal("0.00"), Decimal("0.00")])
            budget_sums.setdefault((year, None, charity.pk), [Decimal("0.00"), Decimal("0.00")])
        budgets = {}
        existing = {(b.financial_year, b.district_id, b.source_id): b for b in Budget.objects.all()}
        budget_t = w.table(
            Budget,
            ["id", "uuid", "financial_year", "district_id", "source_id", "total_amount", "committed_amount"]
            + ["paid_amount"],
        )
        adjust_t = w.table(BudgetAdjustment, ["budget_id", "amount", "reason", "created_by_id", "created_at"])
        budget_ids = w.ids(Budget)
        for key, (committed, paid) in sorted(budget_sums.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])):
            year, district_id, source_id = key
            floor = Decimal(3000 if source_id == council.pk else 9000) * Decimal(str(max(self.factor, 0.01)))
            headroom = max((committed * Decimal("1.15")).quantize(Decimal("1")), floor.quantize(Decimal("1")))
            when = self.at(max(0, (date(year, 4, 1) - self.start).days))
            if key in existing:
                budget = existing[key]
                Budget.objects.filter(pk=budget.pk).update(
                    total_amount=budget.total_amount + headroom,
                    committed_amount=budget.committed_amount + committed,
                    paid_amount=budget.paid_amount + paid,
                )
                budgets[key] = budget.pk
                bid = budget.pk
            else:
                bid = budget_ids.take()
                budgets[key] = bid
                budget_t.add(bid, self.uuid(), year, district_id, source_id, headroom, committed, paid)
            adjust_t.add(bid, headroom, f"{year}/{str(year + 1)[-2:]} allocation", self.admin, when)
        budget_t.close()
        adjust_t.close()

        app_t = w.table(
            Application,
            [
                "id",
                "uuid",
                "reference",
                "family_id",
                "plan_id",
                "applicant_id",
                "category",
                "amount",
                "justification",
                "delivery",
                "supplier",
                "status",
                "submitted_at",
                "needs_second_approval",
                "first_approved_by_id",
                "first_approved_at",
                "approved_by_id",
                "approved_at",
                "decision_reason",
                "budget_id",
                "paid_on",
                "payment_reference",
                "cancelled_at",
                "created_at",
                "modified_at",
            ],
            total=n,
        )
        events = w.table(
            ApplicationEvent, ["application_id", "from_status", "to_status", "actor_id", "occurred_at", "note"]
        )
        for aid, plan, status, amount, day, submitted, approved, paid_day, budget_key, manager, second in rows:
            created = self.at(day)
            declined = status == Application.Status.DECLINED
            cancelled = self.at(min(days, day + 2)) if status == Application.Status.CANCELLED else None
            decided = approved or (self.at(min(days, day + 2)) if declined else None)
            app_t.add(
                aid,
                self.uuid(),
                f"FSF-{aid:06d}",
                plan.family,
                plan.id,
                plan.worker,
                rng.choice(Application.Category.values),
                amount,
                "The family needs help with this while support is in place.",
                rng.choice(Application.Delivery.values),
                "",
                status,
                submitted,
                second,
                manager if second else None,
                submitted + timedelta(hours=4) if second else None,
                manager if approved else None,
                approved,
                "Over the family's limit this year" if declined else "",
                budgets[budget_key] if budget_key else None,
                self.on(paid_day) if paid_day is not None else None,
                f"PAY-{aid:06d}" if paid_day is not None else "",
                cancelled,
                created,
                decided or cancelled or submitted or created,
            )
            events.add(aid, "", "draft", plan.worker, created, "")
            if submitted:
                events.add(aid, "draft", "submitted", plan.worker, submitted, "")
            if approved or declined:
                events.add(aid, "submitted", "approved" if approved else "declined", manager, decided, "")
            if paid_day is not None:
                events.add(aid, "approved", "paid", manager, self.at(paid_day), "")
            if cancelled:
                events.add(aid, "submitted", "cancelled", plan.worker, cancelled, "")
        app_t.close()
        events.close()
        self.say(f"wrote {app_t.count:,} fund applications, {len(budgets):,} budgets")

    def write_advice(self) -> None:
        """The advice log: anonymous entries over the five years, where families live, by the base's team."""
        rng, w, days = self.rng, self.w, self.days
        target = self.counts["advice"]
        fields = ["id", "uuid", "given_on", "channel", "partner_session", "district_id", "locality_id"]
        fields += ["outward_postcode", "given", "signposted_to", "notes", "team_id", "base_id", "created_by_id"]
        entries = w.table(AdviceEntry, [*fields, "created_at", "modified_at"], total=target)
        topics = w.table(AdviceEntry.topics.through, ["adviceentry_id", "determinant_id"], label="advice topics")
        ids = w.ids(AdviceEntry)
        channel_pick = _Picker(list(ADVICE_CHANNELS), list(ADVICE_CHANNELS.values()), rng)
        given_pick = _Picker(list(ADVICE_GIVEN), list(ADVICE_GIVEN.values()), rng)
        partner_sessions = AdviceEntry.PartnerSession.values
        for _ in range(target):
            locality, district, _name, _need = self.place()
            base = rng.choice(self.bases_in_district[district])
            day = min(days, self.weekday(rng.randint(0, days)))
            when = self.at(day)
            channel, given = channel_pick(), given_pick()
            entry = ids.take()
            entries.add(
                entry,
                self.uuid(),
                self.on(day),
                channel,
                rng.choice(partner_sessions) if channel == "outreach" else "",
                district,
                locality if rng.random() < 0.7 else None,
                "",
                given,
                rng.choice(ADVICE_SIGNPOSTED_TO) if given == "signposted" else "",
                "",
                self.teams[base],
                self.bases[base].pk,
                rng.choice(self.workers[base] or [self.managers[base]]),
                when,
                when,
            )
            for determinant in {rng.choice(self.det_ids) for _ in range(rng.choice((1, 1, 2)))}:
                topics.add(entry, determinant)
        entries.close()
        topics.close()
        self.say(f"wrote {entries.count:,} advice entries")

    def run(self) -> dict:
        refuse_unless_demo_key()
        self.say(f"Seeding at {self.factor:g} × county scale")
        self.load_places()
        self.make_staff()
        self.simulate_referrals()
        self.simulate_plans()
        self.write_families()
        self.write_referrals()
        self.write_allocations()
        self.audit.close()
        self.write_plans()
        self.write_contacts()
        self.write_groups()
        self.write_fund()
        self.write_advice()
        self.w.reset_sequences()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.say("done")
        return dict(sorted(self.w.written.items()))


def wanted_email(base, role: str) -> str:
    return f"{role}.{slugify(base.name)}@{DEMO_EMAIL_DOMAIN}"


def scale_seed(*, factor: float, stdout=None) -> dict:
    """Add ``factor`` × a county's five years of work to the database; returns rows written per model."""
    if stdout is not None and not isinstance(stdout, OutputWrapper):
        stdout = OutputWrapper(stdout)  # one line per write, like a management command's stdout
    started = time.monotonic()
    counts = ScaleSeed(factor=factor, stdout=stdout).run()
    if stdout is not None:
        total = sum(counts.values())
        minutes, seconds = divmod(time.monotonic() - started, 60)
        stdout.write(f"scale_seed: {total:,} rows in {int(minutes)} min {seconds:.0f} s")
    return counts


def parse_scale(value: str) -> float:
    """``county`` is 1; otherwise a positive number (``0.01`` is 1% of the county)."""
    if str(value).strip().lower() == "county":
        return 1.0
    factor = float(value)
    if not math.isfinite(factor) or factor <= 0:
        raise ValueError(f"{value}: the scale is a positive number or 'county'")
    return factor
