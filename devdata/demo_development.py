"""Demo: child development evidence for impact 1 (#20 item 5) — the Healthy Child Programme 2 to 2½ year review
shared by health visiting for most of the demo families' children old enough to have had it, an earlier ASQ-3 for
some of them (so the return's change between reviews has something to count), and the early years foundation stage
profile result for some of the children old enough to have finished reception.

Every review goes through ``development.services.development_review_record`` with the clock set a fortnight after
the review (when health visiting shared it), by the family's worker. Idempotent (nothing is made when a demo member of
staff has recorded a review) and deterministic for a given seed and day.
"""

import random
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from devdata.demo_families import _clock, latest_this_morning
from development.models import DOMAIN_FIELDS, DevelopmentReview
from development.services import development_review_record
from families.models import Allocation, Person

# About three in four children have had their 2-year review shared (the Healthy Child Programme reaches most
# families; some decline to share, some reviews are not done); a quarter of those an earlier ASQ-3 too.
TWO_YEAR_SHARE = 0.75
EARLIER_SHARE = 0.3
EYFS_SHARE = 0.5
GOOD_LEVEL_SHARE = 0.65  # England's good level of development was about 67% in 2023/24
# A domain's level in a first review; a later review moves one step up more often than down.
LEVEL_WEIGHTS = {"above": 74, "close": 16, "below": 10}
MOVE_UP, MOVE_DOWN = 0.35, 0.08
ORDER = ["below", "close", "above"]
SHARED_AFTER = timedelta(days=14)
SOURCES = (
    "Health visitor, Healthy Child Programme",
    "Health visiting team (2-year review clinic)",
    "Community nursery nurse, Healthy Child Programme",
)


def _demo_reviews():
    return DevelopmentReview.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def demo_development_counts(*, created: bool = False) -> dict:
    reviews = _demo_reviews().filter(in_error_at__isnull=True)
    kinds = dict(reviews.order_by().values_list("kind").annotate(n=Count("pk")))
    children = reviews.exclude(kind="eyfs").values("child").annotate(n=Count("pk"))
    return {
        "created": created,
        "by_kind": {kind: kinds.get(kind, 0) for kind in DevelopmentReview.Kind.values},
        "children": children.count(),
        "children_with_two": children.filter(n__gte=2).count(),
    }


def demo_development_summary(counts: dict) -> str:
    already = " (already there)" if not counts["created"] else ""
    by_kind = counts["by_kind"]
    return (
        f"Demo child development{already}: {by_kind['two_year']} 2-year reviews and {by_kind['asq']} other ASQ-3 "
        f"reviews for {counts['children']} children ({counts['children_with_two']} with two), "
        f"{by_kind['eyfs']} EYFS profile results"
    )


def _eyfs_date(born: date) -> date:
    """30 June of the reception year (when the profile is completed): a child starts reception in the September
    after their fourth birthday's school year begins — born September to August, reception starts the September
    they are 4 or about to be (born 1 September 2020 to 31 August 2021: reception from September 2025, profile by
    June 2026)."""
    return date(born.year + (6 if born.month >= 9 else 5), 6, 30)


class _Seeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = timezone.localdate()

    def _level(self) -> str:
        return self.rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]

    def _later(self, level: str) -> str:
        step = self.rng.random()
        index = ORDER.index(level)
        if step < MOVE_UP and index < 2:
            return ORDER[index + 1]
        if step > 1 - MOVE_DOWN and index > 0:
            return ORDER[index - 1]
        return level

    def _record(self, child, worker, *, kind, on: date, **outcome):
        shared = min(datetime.combine(on + SHARED_AFTER, time(11)), latest_this_morning(self.today))
        with _clock(timezone.make_aware(shared)):
            development_review_record(
                child=child,
                actor=worker,
                kind=kind,
                reviewed_on=on,
                source=self.rng.choice(SOURCES),
                consent_confirmed=True,
                **outcome,
            )

    def run(self) -> None:
        workers = {}
        for allocation in (
            Allocation.objects.filter(worker__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
            .select_related("worker")
            .order_by("family_id", "started_at")
        ):
            workers[allocation.family_id] = allocation.worker  # the latest allocation's worker
        children = Person.objects.filter(
            family_id__in=list(workers), kind__in=(Person.Kind.CHILD, Person.Kind.OLDER_CHILD)
        ).order_by("pk")
        for child in children:
            born, worker = child.date_of_birth, workers[child.family_id]
            if born is None:
                continue
            two_year = born + relativedelta(months=self.rng.randint(24, 29))
            earlier = None
            if two_year <= self.today and self.rng.random() < TWO_YEAR_SHARE:
                first = {name: self._level() for name in DOMAIN_FIELDS}
                if self.rng.random() < EARLIER_SHARE:
                    earlier = born + relativedelta(months=self.rng.choice([12, 14, 16, 18]))
                    self._record(child, worker, kind="asq", on=earlier, levels=first)
                    first = {name: self._later(level) for name, level in first.items()}
                self._record(child, worker, kind="two_year", on=two_year, levels=first)
            eyfs = _eyfs_date(born)
            if eyfs <= self.today and self.rng.random() < EYFS_SHARE:
                good = self.rng.random() < GOOD_LEVEL_SHARE
                self._record(child, worker, kind="eyfs", on=eyfs, good_level_of_development=good)


def demo_development_seed(*, rng_seed: int = 2019) -> dict:
    """Reviews for the demo families' children, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if _demo_reviews().exists():
            return demo_development_counts(created=False)
        _Seeder(random.Random(rng_seed)).run()  # noqa: S311 (demo data, not secrets)
        return demo_development_counts(created=True)
