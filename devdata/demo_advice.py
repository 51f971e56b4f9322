"""Demo: a year of the advice log — the phone line, drop-ins, outreach at partners' sessions, online and email —
across every team's district and the topics families ask about (#19 item 1, item 7).

Every entry goes through ``advice.services.advice_record`` with the clock set to the moment it was recorded, by a
worker of the team (or its manager, when the family is already known: a manager sees every family of the base).
Mostly anonymous; some name a known family, and some were followed by the family's referral, linked to it.

Idempotent (nothing is made when a demo member of staff has recorded advice) and deterministic for a given seed
and day.
"""

import random
from collections import Counter
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from advice import services as advice_services
from advice.models import AdviceEntry
from bases.models import Locality, Team
from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from devdata.demo_families import _clock
from ecfs.roles import Role, group_name
from families.access import family_scope
from families.models import Determinant, Family
from referrals.models import Referral

DAYS = 365
# Entries a team records on a working day, on average (the phone line's share is recorded by the teams in turn).
PER_TEAM_DAY = 0.5
CHANNEL_WEIGHTS = {
    AdviceEntry.Channel.PHONE_LINE: 35,
    AdviceEntry.Channel.DROP_IN: 30,
    AdviceEntry.Channel.OUTREACH: 20,
    AdviceEntry.Channel.ONLINE: 8,
    AdviceEntry.Channel.EMAIL: 7,
}
TOPIC_WEIGHTS = {
    "social_networks": 14,
    "speech_language": 12,
    "early_education": 11,
    "housing": 10,
    "parental_mental_health": 10,
    "home_learning": 8,
    "health": 8,
    "opportunities": 7,
    "good_job": 6,
    "early_attachment": 6,
    "family_functioning": 5,
    "parental_education": 4,
    "domestic_abuse": 3,
    "drugs_alcohol": 1,
    "aces_trauma": 1,
}
GIVEN_WEIGHTS = {
    AdviceEntry.Given.INFORMATION: 30,
    AdviceEntry.Given.ADVICE: 35,
    AdviceEntry.Given.SIGNPOSTED: 30,
    AdviceEntry.Given.REFERRAL: 5,
}
SIGNPOSTED_TO = {
    "social_networks": ["Stay and play, St Mary's church hall", "Just a Cuppa stay and chat", "Home-Start Norfolk"],
    "speech_language": ["Library bounce and rhyme", "Speech and language drop-in (Just One Norfolk)"],
    "early_education": ["Norfolk Family Information Service: funded childcare", "Local pre-school"],
    "housing": ["District council housing options", "Citizens Advice"],
    "parental_mental_health": ["Wellbeing Norfolk and Waveney", "Parent peer support group", "Health visitor"],
    "home_learning": ["Library bounce and rhyme", "Stay and play, St Mary's church hall"],
    "health": ["Health visitor (Just One Norfolk)", "GP practice"],
    "opportunities": ["Norfolk baby bank", "Community larder", "Citizens Advice"],
    "good_job": ["Jobcentre Plus", "Adult learning, Norfolk County Council"],
    "early_attachment": ["Baby massage group", "Breastfeeding support group"],
    "family_functioning": ["Relate Norfolk", "Parenting course (Triple P)"],
    "parental_education": ["Adult learning, Norfolk County Council", "ESOL class, the library"],
    "domestic_abuse": ["Leeway domestic abuse service"],
    "drugs_alcohol": ["Change Grow Live Norfolk"],
    "aces_trauma": ["Wellbeing Norfolk and Waveney"],
}
KNOWN_FAMILY_SHARE = 0.08


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _demo_teams():
    return (
        Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .select_related("base__district", "manager")
        .order_by("name")
    )


def demo_advice_counts(*, created: bool = False) -> dict:
    entries = AdviceEntry.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    by_channel = dict(entries.order_by().values_list("channel").annotate(n=Count("pk")))
    return {
        "created": created,
        "entries": entries.count(),
        "by_channel": {channel: by_channel.get(channel, 0) for channel in AdviceEntry.Channel.values},
        "districts": entries.values("district").distinct().count(),
        "known_families": entries.filter(family__isnull=False).count(),
        "referrals_linked": entries.filter(referral__isnull=False).count(),
    }


def demo_advice_summary(counts: dict) -> str:
    labels = dict(AdviceEntry.Channel.choices)
    channels = ", ".join(f"{n} {labels[c].lower()}" for c, n in counts["by_channel"].items() if n)
    already = " (already there)" if not counts["created"] else ""
    return (
        f"Demo advice log{already}: {counts['entries']} entries ({channels}) in {counts['districts']} districts, "
        f"{counts['known_families']} naming a known family, {counts['referrals_linked']} linked to the referral made"
    )


class _Seeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.topics = {d.code: d for d in Determinant.objects.all()}
        self.localities: dict[int, list[Locality]] = {}
        for locality in Locality.objects.filter(district__isnull=False).order_by("name"):
            self.localities.setdefault(locality.district_id, []).append(locality)
        self.outward: dict[int, list[str]] = {}
        for district_id, postcode in Family.objects.order_by("reference").values_list("district_id", "postcode"):
            code = postcode.split(" ")[0]
            if code not in self.outward.setdefault(district_id, []):
                self.outward[district_id].append(code)

    def _workers(self, team):
        return list(
            team.members.filter(user__groups__name=group_name(Role.WORKER), user__is_active=True)
            .select_related("user")
            .order_by("user__email")
        )

    def _known_family(self, manager, day):
        families = list(
            Family.objects.filter(family_scope(manager), referrals__received_at__date__lte=day)
            .distinct()
            .order_by("reference")[:60]
        )
        return self.rng.choice(families) if families else None

    def entry(self, team, workers, day):
        rng = self.rng
        district = team.base.district
        channel = _weighted(rng, CHANNEL_WEIGHTS)
        topics = [_weighted(rng, TOPIC_WEIGHTS)]
        if rng.random() < 0.35:
            topics.append(_weighted(rng, TOPIC_WEIGHTS))
        given = _weighted(rng, GIVEN_WEIGHTS)
        actor, family = rng.choice(workers).user, None
        if rng.random() < KNOWN_FAMILY_SHARE:
            family = self._known_family(team.manager, day)
            actor = team.manager if family is not None else actor
        localities = self.localities.get(district.pk, [])
        outward = self.outward.get(district.pk, [])
        moment = timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45)))))
        with _clock(moment):
            return advice_services.advice_record(
                actor=actor,
                given_on=day,
                channel=channel,
                partner_session=rng.choice(AdviceEntry.PartnerSession.values)
                if channel == AdviceEntry.Channel.OUTREACH
                else "",
                district=district,
                locality=rng.choice(localities) if localities and rng.random() < 0.7 else None,
                outward_postcode=rng.choice(outward) if outward and rng.random() < 0.4 else "",
                topics=[self.topics[code] for code in dict.fromkeys(topics)],
                given=given,
                signposted_to=rng.choice(SIGNPOSTED_TO[topics[0]]) if given == AdviceEntry.Given.SIGNPOSTED else "",
                family=family,
            )

    def link_referral(self, entry, team, day) -> bool:
        """Advice that ended in a referral: the team's next referral received within a week, linked then."""
        referral = (
            Referral.objects.filter(
                routed_team=team,
                received_at__gte=timezone.make_aware(datetime.combine(day, time(0))),
                received_at__lt=timezone.make_aware(datetime.combine(day + timedelta(days=7), time(0))),
                advice_entries__isnull=True,
            )
            .order_by("received_at")
            .first()
        )
        if referral is None:
            return False
        with _clock(max(referral.received_at, entry.created_at)):
            advice_services.advice_link_referral(entry=entry, referral=referral, actor=team.manager)
        return True

    def run(self, days: int) -> Counter:
        made = Counter()
        today = timezone.localdate()
        teams = [(team, self._workers(team)) for team in _demo_teams()]
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            for team, workers in teams:
                if not workers:
                    continue
                for _ in range(self._poisson(PER_TEAM_DAY)):
                    entry = self.entry(team, workers, day)
                    made[entry.channel] += 1
                    if entry.given == AdviceEntry.Given.REFERRAL:
                        made["linked"] += self.link_referral(entry, team, day)
        return made

    def _poisson(self, mean: float) -> int:
        count, limit, product = 0, pow(2.718281828459045, -mean), self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count


def demo_advice_seed(*, rng_seed: int = 2019, days: int = DAYS) -> dict:
    """A year (``days``) of advice for the demo teams, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if AdviceEntry.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
            return demo_advice_counts(created=False)
        _Seeder(random.Random(rng_seed)).run(days)  # noqa: S311 (demo data, not secrets)
        return demo_advice_counts(created=True)
