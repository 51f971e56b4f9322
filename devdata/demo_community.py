"""Demo (#19 item 7): about 150 community groups across the districts, families connected to them with what
came of it, and community grants in every state against the year's £250,000.

Everything goes through ``community.services`` with the clock set to the moment it happened: groups added by
their district's demo team manager, families connected by their allocated worker and asked four weeks on,
grants entered by one manager and decided by another. A few high-need towns are left with few groups, so the
gaps view has something to show. Idempotent (nothing is made when a demo group exists) and deterministic.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bases.models import Locality, Team
from community import services
from community.models import CommunityGroup, Connection, GrantApplication
from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from devdata.demo_families import _clock
from families.models import Allocation

GROUPS = 150
GRANTS_BUDGET = Decimal("250000.00")
# Towns left short of groups, so the gaps view and the grants' gap points have somewhere to point at.
SPARSE_TOWNS = ("Great Yarmouth", "Thetford", "Stalham", "Wells-next-the-Sea")
OUTWARD = {
    "Breckland": ["IP24", "IP25", "NR19", "NR17", "PE37"],
    "Broadland": ["NR10", "NR11", "NR12", "NR13"],
    "Great Yarmouth": ["NR29", "NR30", "NR31"],
    "King's Lynn and West Norfolk": ["PE30", "PE31", "PE33", "PE36", "PE38"],
    "North Norfolk": ["NR11", "NR23", "NR25", "NR26", "NR27", "NR28", "NR21"],
    "Norwich": ["NR1", "NR2", "NR3", "NR4", "NR5", "NR6", "NR7"],
    "South Norfolk": ["IP20", "IP22", "NR14", "NR15", "NR16", "NR18"],
}
KINDS = {
    CommunityGroup.Kind.STAY_AND_PLAY: 30,
    CommunityGroup.Kind.TODDLER_GROUP: 22,
    CommunityGroup.Kind.RHYME_TIME: 16,
    CommunityGroup.Kind.BREASTFEEDING: 9,
    CommunityGroup.Kind.PARENT_PEER_SUPPORT: 9,
    CommunityGroup.Kind.BABY_BANK: 5,
    CommunityGroup.Kind.DADS_GROUP: 4,
    CommunityGroup.Kind.SEND_GROUP: 3,
    CommunityGroup.Kind.LANGUAGE_GROUP: 2,
}
# kind: (names, organisations, venues ({town} filled in), ages in months, times, cost)
SHAPES = {
    CommunityGroup.Kind.STAY_AND_PLAY: (
        ["Stay and Play", "Little Acorns", "Tots and Tea", "Messy Play", "Play and Chat"],
        ["{town} Methodist Church", "St Mary's Church, {town}", "{town} Community Association"],
        ["{town} Methodist Church Hall", "St Mary's Church Hall", "{town} Community Centre"],
        (0, 48),
        [(time(9, 30), time(11, 30)), (time(10, 0), time(11, 30)), (time(13, 30), time(15, 0))],
        Decimal("1.50"),
    ),
    CommunityGroup.Kind.TODDLER_GROUP: (
        ["Toddler Group", "Tiny Tots", "Busy Bees", "Jumping Beans"],
        ["{town} Baptist Church", "{town} Parish Council", "{town} Pre-school Committee"],
        ["{town} Village Hall", "{town} Baptist Church Hall", "Scout Hut, {town}"],
        (12, 60),
        [(time(9, 15), time(11, 15)), (time(10, 0), time(12, 0))],
        Decimal("2.00"),
    ),
    CommunityGroup.Kind.RHYME_TIME: (
        ["Bounce and Rhyme", "Rhyme Time", "Baby Rhyme Time"],
        ["Norfolk Library and Information Service"],
        ["{town} Library"],
        (0, 36),
        [(time(10, 30), time(11, 0)), (time(11, 0), time(11, 30))],
        Decimal("0.00"),
    ),
    CommunityGroup.Kind.BREASTFEEDING: (
        ["Breastfeeding Support Group", "Baby Café", "Feeding Friends"],
        ["Breastfeeding Network volunteers, {town}", "NCT {town}"],
        ["{town} Health Centre", "{town} Library", "{town} Community Centre"],
        (0, 24),
        [(time(10, 0), time(12, 0))],
        Decimal("0.00"),
    ),
    CommunityGroup.Kind.PARENT_PEER_SUPPORT: (
        ["Mums Together", "Parent Peer Support", "New Parents' Circle", "Just a Cuppa"],
        ["Home-Start Norfolk", "{town} Parents' Network", "Mind Norfolk and Waveney"],
        ["{town} Community Centre", "{town} Family Hub Room, the Library"],
        (0, 60),
        [(time(13, 0), time(14, 30)), (time(18, 30), time(20, 0))],
        Decimal("0.00"),
    ),
    CommunityGroup.Kind.BABY_BANK: (
        ["Baby Bank", "Bundles Baby Bank"],
        ["{town} Baby Bank CIO", "Salvation Army, {town}"],
        ["{town} Salvation Army Hall", "{town} Methodist Church Hall"],
        (0, 60),
        [(time(10, 0), time(13, 0))],
        Decimal("0.00"),
    ),
    CommunityGroup.Kind.DADS_GROUP: (
        ["Dads and Tots", "Saturday Dads"],
        ["{town} Dads' Network"],
        ["{town} Community Centre", "{town} Leisure Centre"],
        (0, 60),
        [(time(9, 30), time(11, 0))],
        Decimal("1.00"),
    ),
    CommunityGroup.Kind.SEND_GROUP: (
        ["Sensory Play", "Little Stars"],
        ["Family Voice Norfolk", "{town} SEND Parents"],
        ["{town} Community Centre", "{town} Children's Centre"],
        (0, 60),
        [(time(10, 0), time(11, 30))],
        Decimal("0.00"),
    ),
    CommunityGroup.Kind.LANGUAGE_GROUP: (
        ["English Conversation for Parents", "Chat and Play in English"],
        ["{town} Multicultural Network", "English for Parents, {town}"],
        ["{town} Library", "{town} Community Centre"],
        (0, 60),
        [(time(13, 30), time(15, 0))],
        Decimal("0.00"),
    ),
}
STREETS = ("Church", "High", "Market", "Station")
FREQUENCIES = {"weekly": 10, "term_time": 8, "fortnightly": 2, "monthly": 2}
# Grant outcomes: (status to leave it in, purpose)
GRANT_STATES = [
    "received",
    "received",
    "received",
    "assessed",
    "assessed",
    "declined",
    "withdrawn",
    "approved",
    "approved",
    "approved",
    "paid",
    "paid",
    "paid",
    "paid",
    "paid",
    "paid",
]


def _demo_teams() -> list[Team]:
    return list(
        Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .select_related("base__district", "manager")
        .order_by("name")
    )


def demo_community_counts(*, created: bool = False) -> dict:
    groups = CommunityGroup.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    connections = Connection.objects.filter(connected_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    grants = GrantApplication.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    return {
        "created": created,
        "groups": groups.count(),
        "districts": groups.values("district").distinct().count(),
        "connections": connections.count(),
        "went": connections.filter(outcome__in=Connection.ATTENDED).count(),
        "grants": Counter(grants.values_list("status", flat=True)),
    }


def demo_community_summary(counts: dict) -> str:
    already = " (already there)" if not counts["created"] else ""
    grants = ", ".join(f"{n} {status}" for status, n in sorted(counts["grants"].items()))
    return (
        f"Demo community groups{already}: {counts['groups']} groups in {counts['districts']} districts; "
        f"{counts['connections']} families connected, {counts['went']} went; community grants: {grants}"
    )


def _moment(day, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45)))))


class _Seeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = timezone.localdate()
        self.teams = _demo_teams()
        self.manager_of = {}
        for team in self.teams:
            self.manager_of.setdefault(team.base.district_id, team.manager)

    def _postcode(self, district_name: str) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        outward = self.rng.choice(OUTWARD.get(district_name, ["NR1"]))
        return f"{outward} {self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def groups(self) -> list[CommunityGroup]:
        towns = [
            town
            for town in Locality.objects.filter(is_other=False).select_related("district").order_by("name")
            if town.district_id in self.manager_of
        ]
        weights = [1 if town.name in SPARSE_TOWNS else 6 for town in towns]
        made = []
        for number in range(GROUPS):
            town = self.rng.choices(towns, weights=weights)[0]
            kind = self.rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
            names, organisations, venues, (youngest, oldest), times, cost = SHAPES[kind]
            starts, ends = self.rng.choice(times)
            name = f"{town.name} {self.rng.choice(names)}"
            added_on = self.today - timedelta(days=self.rng.randint(30, 400))
            with _clock(_moment(added_on, self.rng)):
                group = services.group_add(
                    actor=self.manager_of[town.district_id],
                    name=name
                    if number < GROUPS // 2
                    else f"{name} ({self.rng.choice(['Mondays', 'mornings', 'afternoons'])})",
                    kind=kind,
                    description="",
                    organisation=self.rng.choice(organisations).format(town=town.name),
                    organisation_website="",
                    district=town.district,
                    locality=town,
                    venue_name=self.rng.choice(venues).format(town=town.name),
                    venue_address=f"{self.rng.randint(1, 80)} {self.rng.choice(STREETS)} Street, {town.name}",
                    venue_postcode=self._postcode(town.district.name),
                    min_age_months=youngest,
                    max_age_months=oldest,
                    for_expectant_parents=kind
                    in (CommunityGroup.Kind.BREASTFEEDING, CommunityGroup.Kind.PARENT_PEER_SUPPORT),
                    weekday=self.rng.randint(0, 5 if kind == CommunityGroup.Kind.DADS_GROUP else 4),
                    starts_at=starts,
                    ends_at=ends,
                    frequency=self.rng.choices(list(FREQUENCIES), weights=list(FREQUENCIES.values()))[0],
                    cost=cost,
                    cost_notes="First session free" if cost else "",
                    contact_name="",
                    contact_phone=f"01603 {self.rng.randint(100000, 999999)}",
                    contact_email="",
                    accessibility_notes=self.rng.choice(
                        [
                            "Step-free access, buggy park",
                            "Ramp at the side door; accessible toilet",
                            "Stairs to the hall",
                            "",
                        ]
                    ),
                    status=CommunityGroup.Status.ACTIVE,
                )
            roll = self.rng.random()
            if roll < 0.05 or roll > 0.97:
                checked_on = min(self.today, added_on + timedelta(days=self.rng.randint(20, 200)))
                with _clock(_moment(checked_on, self.rng)):
                    services.group_update(
                        group=group,
                        actor=self.manager_of[town.district_id],
                        status=CommunityGroup.Status.CLOSED if roll < 0.05 else CommunityGroup.Status.PAUSED,
                    )
            made.append(group)
        return made

    def connections(self, groups) -> Counter:
        """A third of the families with an open lead allocation are connected to a group in their district."""
        made = Counter()
        running = {}
        for group in groups:
            if group.status == CommunityGroup.Status.ACTIVE:
                running.setdefault(group.district_id, []).append(group)
        leads = (
            Allocation.objects.filter(
                ended_at__isnull=True, role=Allocation.Role.LEAD, worker__email__endswith=f"@{DEMO_EMAIL_DOMAIN}"
            )
            .select_related("family", "worker")
            .order_by("family__reference")
        )
        for allocation in leads:
            family = allocation.family
            if self.rng.random() > 0.35 or not running.get(family.district_id):
                continue
            start = max(allocation.started_at.date(), self.today - timedelta(days=150))
            if start >= self.today:
                continue
            day = start + timedelta(days=self.rng.randint(0, (self.today - start).days))
            with _clock(_moment(day, self.rng)):
                connection = services.connection_create(
                    family=family,
                    actor=allocation.worker,
                    group=self.rng.choice(running[family.district_id]),
                    note=self.rng.choice(
                        ["", "Gave her the leaflet and the organiser's number", "Will meet them there"]
                    ),
                )
            made["connected"] += 1
            asked = connection.follow_up_due + timedelta(days=self.rng.randint(0, 6))
            if asked > self.today or self.rng.random() < 0.1:
                continue  # not asked yet: on the worker's landing page
            outcome = self.rng.choices(
                ["going_helping", "going_not_helping", "did_not_go", "unknown"], weights=[55, 10, 28, 7]
            )[0]
            with _clock(_moment(asked, self.rng)):
                services.connection_record_outcome(connection=connection, actor=allocation.worker, outcome=outcome)
            made[outcome] += 1
        return made

    def grants(self, groups) -> Counter:
        made = Counter()
        year = services.financial_year_of(self.today)
        year_start = date(year, 4, 1)
        admin_like = self.teams[0].manager
        managers = [team.manager for team in self.teams]
        with _clock(_moment(year_start, self.rng)):
            services.grant_budget_adjust(
                financial_year=year,
                amount=GRANTS_BUDGET,
                reason="Community development: networks of support (committee report §5.2.5)",
                actor=_service_admin(),
            )
        span = max((self.today - year_start).days, 0)
        sparse = list(Locality.objects.filter(name__in=SPARSE_TOWNS).select_related("district").order_by("name"))
        for number, state in enumerate(GRANT_STATES):
            entered_by = managers[number % len(managers)]
            decider = next(m for m in managers[number % len(managers) + 1 :] + managers if m != entered_by)
            received = year_start + timedelta(days=min(span, self.rng.randint(0, max(span - 30, 0))))
            existing = groups[number * 7 % len(groups)] if number % 3 else None
            place = existing.locality if existing else sparse[number % len(sparse)]
            fields = {
                "group_name": existing.name if existing else f"{place.name} Families Together",
                "organisation": existing.organisation if existing else f"{place.name} Community Partnership",
                "contact_name": "Group organiser",
                "contact_email": "",
                "purpose": "extend_group" if existing else "new_group",
                "description": "Run the group every week through the holidays and add a crèche"
                if existing
                else "Start a weekly stay and play with a parent champion, where there is none",
                "district": place.district,
                "locality": place,
                "rural": number % 4 == 0,
                "families_expected": self.rng.randint(8, 40),
                "amount_requested": Decimal(self.rng.choice([750, 1200, 2500, 4000, 6000])),
                "received_on": received,
            }
            with _clock(_moment(received, self.rng)):
                application = services.grant_create(actor=entered_by, group=existing, **fields)
            made[state] += 1
            if state == "received":
                continue
            if state == "withdrawn":
                with _clock(_moment(min(self.today, received + timedelta(days=5)), self.rng)):
                    services.grant_withdraw(
                        application=application, actor=entered_by, reason="The group found other funding"
                    )
                continue
            assessed = min(self.today, received + timedelta(days=7))
            with _clock(_moment(assessed, self.rng)):
                services.grant_assess(
                    application=application, actor=decider, quality_points=self.rng.randint(4, 9), notes=""
                )
            if state == "assessed":
                continue
            decided = min(self.today, assessed + timedelta(days=7))
            with _clock(_moment(decided, self.rng)):
                if state == "declined":
                    services.grant_decline(
                        application=application, actor=decider, reason="Another group already runs this nearby"
                    )
                    continue
                services.grant_approve(application=application, actor=decider, amount=fields["amount_requested"])
            if state == "paid":
                paid = min(self.today, decided + timedelta(days=10))
                with _clock(_moment(paid, self.rng)):
                    services.grant_record_payment(
                        application=application,
                        actor=admin_like,
                        amount=fields["amount_requested"],
                        paid_on=paid,
                        reference=f"BACS-{application.reference}",
                    )
                    services.grant_record_monitoring(
                        application=application,
                        actor=admin_like,
                        period_end=paid,
                        families_reached=self.rng.randint(5, fields["families_expected"]),
                        sessions_held=self.rng.randint(2, 12),
                        notes="Parents say they have made friends",
                    )
        return made


def _service_admin():
    from django.contrib.auth import get_user_model

    from ecfs.roles import Role, group_name

    return (
        get_user_model()
        .objects.filter(groups__name=group_name(Role.ADMIN), email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .order_by("email")
        .first()
    )


def demo_community_seed(*, rng_seed: int = 2019) -> dict:
    """The community groups, connections and grants, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if CommunityGroup.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
            return demo_community_counts(created=False)
        seeder = _Seeder(random.Random(rng_seed))  # noqa: S311 (demo data, not secrets)
        groups = seeder.groups()
        seeder.connections(groups)
        seeder.grants(groups)
        return demo_community_counts(created=True)
