"""Demo (#20 item 6): supervision sessions, mandatory training and DBS checks for every demo member of staff, and
three vacancies.

Everything goes through ``workforce.services``: supervision recorded by the worker's team manager, training, DBS
checks and vacancies by the service admin. Most staff are up to date; a few are not, so each manager's landing page
has something to flag: a worker whose last supervision was over six weeks ago, one with no supervision at all,
safeguarding training expiring within 30 days, data protection expired, domestic abuse awareness never done, and a
DBS check past its three-year renewal. Idempotent (nothing is made when a demo vacancy exists) and deterministic.
"""

import random
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bases.models import Base, District, StaffProfile
from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from ecfs.roles import Role, group_name
from workforce import services
from workforce.models import BackgroundCheck, SupervisionSession, TrainingRecord, Vacancy
from workforce.rules import COURSE_YEARS, Course
from workforce.selectors import staff_in_post


def _demo_admin():
    return (
        get_user_model()
        .objects.filter(groups__name=group_name(Role.ADMIN), email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .order_by("email")
        .first()
    )


def demo_workforce_counts(*, created: bool = False) -> dict:
    demo = {"email__endswith": f"@{DEMO_EMAIL_DOMAIN}"}
    return {
        "created": created,
        "sessions": SupervisionSession.objects.filter(**{f"worker__{k}": v for k, v in demo.items()}).count(),
        "training": TrainingRecord.objects.filter(**{f"staff__{k}": v for k, v in demo.items()}).count(),
        "checks": BackgroundCheck.objects.filter(**{f"staff__{k}": v for k, v in demo.items()}).count(),
        "vacancies": Vacancy.objects.filter(**{f"created_by__{k}": v for k, v in demo.items()}).count(),
    }


def demo_workforce_summary(counts: dict) -> str:
    already = " (already there)" if not counts["created"] else ""
    return (
        f"Demo workforce{already}: {counts['sessions']} supervision sessions, {counts['training']} training records, "
        f"{counts['checks']} DBS checks, {counts['vacancies']} vacancies"
    )


class _Seeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = timezone.localdate()
        self.admin = _demo_admin()
        self.profiles = list(
            staff_in_post()
            .filter(user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
            .select_related("user", "team__manager")
            .order_by("team__name", "user__email")
        )

    def _workers(self) -> list[StaffProfile]:
        return [profile for profile in self.profiles if not profile.is_manager]

    def supervision(self) -> None:
        workers = self._workers()
        for index, profile in enumerate(workers):
            if index % 11 == 5:
                continue  # never supervised: flagged
            # Every five weeks or so over the last half year; every seventh worker's last one is eight weeks ago.
            last = self.today - timedelta(days=56 if index % 7 == 3 else self.rng.randint(3, 30))
            day = last
            sessions = []
            while day > self.today - timedelta(days=180):
                sessions.append(day)
                day -= timedelta(days=self.rng.randint(28, 42))
            manager = profile.team.manager
            for held_on in reversed(sessions):
                services.supervision_record(
                    actor=manager,
                    profile=profile,
                    held_on=held_on,
                    supervisor=manager,
                    case_discussion=self.rng.random() < 0.8,
                )

    def training_and_checks(self) -> None:
        for index, profile in enumerate(self.profiles):
            for course in Course:
                years = COURSE_YEARS[course]
                if course == Course.DOMESTIC_ABUSE and index % 13 == 4:
                    continue  # never done: flagged
                if course == Course.SAFEGUARDING and index % 9 == 2:
                    completed = self.today + timedelta(days=self.rng.randint(5, 25)) - relativedelta(years=years)
                elif course == Course.DATA_PROTECTION and index % 10 == 7:
                    completed = self.today - timedelta(days=self.rng.randint(5, 40)) - relativedelta(years=years)
                else:  # current, and already current at the end of the last quarter
                    completed = self.today - timedelta(days=self.rng.randint(100, 330 if years == 1 else 900))
                services.training_record(actor=self.admin, profile=profile, course=course.value, completed_on=completed)
            # DBS: within the last three years, bar every twelfth member of staff, whose renewal is overdue.
            back = self.rng.randint(1110, 1200) if index % 12 == 6 else self.rng.randint(30, 1000)
            services.background_check_record(
                actor=self.admin, profile=profile, checked_on=self.today - timedelta(days=back)
            )

    def vacancies(self) -> None:
        by_name = {district.name: district for district in District.objects.all()}
        yarmouth = by_name.get("Great Yarmouth") or next(iter(by_name.values()))
        breckland = by_name.get("Breckland") or yarmouth
        norwich = by_name.get("Norwich") or yarmouth
        base = Base.objects.filter(district=breckland).order_by("name").first()
        services.vacancy_open(
            actor=self.admin,
            role="worker",
            district=yarmouth,
            fte=Decimal("1"),
            open_since=self.today - timedelta(days=60),
        )
        services.vacancy_open(
            actor=self.admin,
            role="manager",
            district=breckland,
            base=base,
            fte=Decimal("1"),
            open_since=self.today - timedelta(days=30),
        )
        filled = services.vacancy_open(
            actor=self.admin,
            role="worker",
            district=norwich,
            fte=Decimal("0.6"),
            open_since=self.today - timedelta(days=120),
        )
        services.vacancy_fill(actor=self.admin, vacancy=filled, filled_on=self.today - timedelta(days=25))


def demo_workforce_seed(*, rng_seed: int = 2019) -> dict:
    """Supervision, training and DBS checks for the demo staff and three vacancies, once; the counts there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if Vacancy.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
            return demo_workforce_counts(created=False)
        seeder = _Seeder(random.Random(rng_seed))  # noqa: S311 (demo data, not secrets)
        seeder.supervision()
        seeder.training_and_checks()
        seeder.vacancies()
        return demo_workforce_counts(created=True)
