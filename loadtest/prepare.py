"""Get a seeded database ready for the load test and write the cast the Locust users play.

``make loadtest`` runs it before it starts gunicorn::

    DATABASE_URL=postgres://…/ecfs_county .venv/bin/python loadtest/prepare.py --out .loadtest/cast.json

Against the database in ``DATABASE_URL`` (seeded with ``seed_demo --scale county``) it

- refuses to run with the production settings, or against an empty database (it says how to seed one);
- picks the workers with the largest open caseloads, with their families, plans and a surname to search;
- gives every team manager and commissioner a new confirmed TOTP authenticator app named "Load test" (the
  newest app is the one the code page checks), so the Locust users sign in with real codes computed from its
  key — there is no two-factor bypass, in the load test or anywhere else;
- tops each team up to ``--work`` referrals accepted and awaiting allocation (made through
  ``referral_create`` and ``referral_decide`` like any referral, for a new family), for the managers to
  allocate; lists the plans awaiting their approval (to close, or to start once they have start scores),
  and leaves those plans' families out of the workers' lists;
- makes sure a submitted quarterly return with a PDF exists for the commissioners to download (generating and
  submitting the last complete quarter's through the reporting services if there is none: ~20 s at county
  scale).

So it changes the database: use one meant for load tests (the families and referrals it adds are named
"Loadtest"). The cast file holds the demo password and the test apps' keys: it is written mode 0600.
"""

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEVICE_NAME = "Load test"


def _setup_django() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecfs.settings.local")
    if os.environ["DJANGO_SETTINGS_MODULE"].endswith("production"):
        sys.exit("loadtest/prepare.py: refusing to run with the production settings (it adds authenticator apps).")
    import django

    django.setup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="Where to write the cast (JSON).")
    parser.add_argument("--workers", type=int, default=200, help="Workers to list, largest caseloads first.")
    parser.add_argument("--work", type=int, default=30, help="Referrals awaiting allocation per team, at least.")
    args = parser.parse_args(argv)
    _setup_django()

    from django.db import DatabaseError, connection

    from devdata.demo import DEMO_PASSWORD
    from families.models import Family

    if connection.vendor != "postgresql":
        sys.exit("loadtest: DATABASE_URL must point at PostgreSQL (the load test measures the production stack).")
    try:
        seeded = Family.objects.exists()
    except DatabaseError:
        seeded = False  # not migrated yet
    if not seeded:
        sys.exit(
            f"loadtest: the database {connection.settings_dict['NAME']!r} has no families. Migrate and seed it first:\n"
            f"  DATABASE_URL=… .venv/bin/python manage.py migrate\n"
            f"  DATABASE_URL=… .venv/bin/python manage.py seed_demo --scale county   # ~7 minutes"
        )
    managers = _managers(args.work)
    cast = {
        "password": DEMO_PASSWORD,
        # Not the families whose plans the managers will close: their records change under the workers.
        "workers": _workers(args.workers, exclude_plans=[uuid for m in managers for uuid in m["approve"]]),
        "managers": managers,
        "commissioners": _commissioners(),
    }
    for role in ("workers", "managers", "commissioners"):
        if not cast[role]:
            sys.exit(f"loadtest: the database has no {role} to play: seed it with seed_demo --scale county.")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(cast, handle, indent=1)
    print(
        f"loadtest: cast ready in {out}: {len(cast['workers'])} workers, {len(cast['managers'])} managers "
        f"({sum(len(m['accepted']) for m in cast['managers'])} referrals to allocate, "
        f"{sum(len(m['approve']) for m in cast['managers'])} plans to approve), "
        f"{len(cast['commissioners'])} commissioners"
    )
    return 0


def _workers(limit: int, *, exclude_plans: list[str]) -> list[dict]:
    from django.db.models import Count

    from ecfs.roles import Role, group_name
    from families.models import Allocation, Person, SupportPlan

    changing = set(SupportPlan.objects.filter(uuid__in=exclude_plans).values_list("family_id", flat=True))
    top = (
        Allocation.objects.filter(ended_at__isnull=True, worker__groups__name=group_name(Role.WORKER))
        .values("worker", "worker__email")
        .annotate(n=Count("pk"))
        .order_by("-n", "worker")[:limit]
    )
    workers = []
    for row in top:
        families = list(
            Allocation.objects.filter(worker_id=row["worker"], ended_at__isnull=True, family__status="open")
            .exclude(family_id__in=changing)
            .order_by("family__reference")
            .values_list("family_id", "family__reference")[:25]
        )
        ids = [pk for pk, _ in families]
        plans = list(
            SupportPlan.objects.filter(family_id__in=ids, status__in=SupportPlan.OPEN_STATUSES).values_list(
                "uuid", flat=True
            )
        )
        surnames = sorted(set(Person.objects.filter(family_id__in=ids).values_list("last_name", flat=True)))
        workers.append(
            {
                "email": row["worker__email"],
                "families": [reference for _, reference in families],
                "plans": [str(uuid) for uuid in plans],
                "surnames": surnames[:10],
            }
        )
    return [w for w in workers if w["families"]]


def _authenticator(user) -> str:
    """A fresh confirmed TOTP app for ``user``; its key (hex). Earlier load-test apps are removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True).key


def _managers(work: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from bases.models import Team
    from ecfs.roles import Role, group_name
    from families.models import OutcomeAssessment, SupportPlan
    from referrals.models import Referral

    managers = []
    for user in get_user_model().objects.filter(groups__name=group_name(Role.MANAGER), is_active=True).order_by("pk"):
        teams = list(Team.objects.filter(manager=user).select_related("base"))
        if not teams:
            continue
        for team in teams:
            _top_up_accepted(team=team, manager=user, wanted=work)
        accepted = Referral.objects.filter(routed_team__in=teams, status=Referral.Status.ACCEPTED).order_by(
            "triage_due", "pk"
        )
        # Plans awaiting approval to close, and to start when they have their start scores (the county
        # generator's plans awaiting activation have none, so they cannot be approved).
        approve = (
            SupportPlan.objects.filter(family__base__in=[t.base for t in teams])
            .filter(
                Q(status=SupportPlan.Status.PENDING_CLOSURE)
                | Q(
                    status=SupportPlan.Status.PENDING_ACTIVATION,
                    outcome_assessments__stage=OutcomeAssessment.Stage.START,
                )
            )
            .exclude(worker=user)
            .distinct()
            .order_by("pk")
        )
        managers.append(
            {
                "email": user.email,
                "totp_key": _authenticator(user),
                "accepted": [str(u) for u in accepted.values_list("uuid", flat=True)],
                "approve": [str(u) for u in approve.values_list("uuid", flat=True)],
            }
        )
    return managers


def _top_up_accepted(*, team, manager, wanted: int) -> None:
    """At least ``wanted`` referrals accepted (for a new family) and awaiting allocation in ``team``."""
    from django.db import transaction
    from django.utils import timezone

    from families.models import Person
    from referrals import services
    from referrals.models import Referral, TriageDecision

    have = Referral.objects.filter(routed_team=team, status=Referral.Status.ACCEPTED).count()
    template = Referral.objects.filter(routed_team=team).order_by("-received_at").first()
    if template is None or have >= wanted:
        return
    copied = [
        "received_via",
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
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "district",
        "locality",
    ]
    reasons = list(template.reasons.all())
    today = timezone.localdate()
    for n in range(have, wanted):
        with transaction.atomic():
            referral = services.referral_create(
                actor=manager,
                people=[
                    {
                        "kind": Person.Kind.PARENT_CARER,
                        "first_name": "Alex",
                        "last_name": f"Loadtest{team.pk}x{n}",
                        "date_of_birth": today - timedelta(days=365 * 28),
                    },
                    {
                        "kind": Person.Kind.CHILD,
                        "first_name": "Sam",
                        "last_name": f"Loadtest{team.pk}x{n}",
                        "date_of_birth": today - timedelta(days=200 + n),
                    },
                ],
                reasons=reasons,
                routed_team=team,
                received_at=timezone.now(),
                **{field: getattr(template, field) for field in copied},
            )
            services.referral_decide(
                referral=referral,
                decision=TriageDecision.Decision.ACCEPT,
                reason=TriageDecision.Reason.MEETS_THRESHOLD,
                notes="Load test: meets the threshold.",
                actor=manager,
                new_family=True,
            )


def _commissioners() -> list[dict]:
    from django.contrib.auth import get_user_model

    from ecfs.roles import Role, group_name

    pdf = _submitted_return()
    return [
        {"email": user.email, "totp_key": _authenticator(user), "return_pdf": pdf}
        for user in get_user_model()
        .objects.filter(groups__name=group_name(Role.COMMISSIONER), is_active=True)
        .order_by("pk")
    ]


def _submitted_return() -> str:
    """The URL of the latest submitted return's PDF; the last complete quarter's is made if there is none."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from ecfs.roles import Role, group_name
    from reporting import services
    from reporting.models import Return
    from reporting.periods import QUARTERLY, last_complete

    found = Return.objects.filter(status=Return.Status.SUBMITTED).exclude(pdf="").order_by("-submitted_at").first()
    if found is None or not found.pdf.storage.exists(found.pdf.name):
        manager = get_user_model().objects.filter(groups__name=group_name(Role.MANAGER)).order_by("pk").first()
        print("loadtest: no submitted return with a PDF: generating and submitting the last complete quarter's…")
        draft = services.return_generate(period=last_complete(QUARTERLY, timezone.localdate()), actor=manager)
        found = services.return_submit(a_return=draft, actor=manager)
    return reverse("return-pdf", kwargs={"uuid": found.uuid})


if __name__ == "__main__":
    sys.exit(main())
