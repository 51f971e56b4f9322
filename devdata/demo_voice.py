"""Demo (#20 items 7 and 8): a year of feedback on the public form across every rating, complaints in every state for
each demo team's base (answered on time, answered late, withdrawn, waiting and not yet due, overdue), and twelve
months of digital reach entered by the service admin.

Everything goes through ``voice.services`` with the clock set to the moment it happened: feedback as the public
form keeps it (some giving a demo family's reference, some a district, a few leaving a way to contact them),
complaints recorded and answered by the base's team manager, digital reach by the service admin. Idempotent
(nothing is made when a demo manager has recorded a complaint) and deterministic for a given seed and day.
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bases.models import District, Team
from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from devdata.demo_families import _clock
from ecfs.roles import Role, group_name
from ecfs.working_days import add_working_days
from families.models import Family
from voice import services
from voice.models import Complaint, DigitalReach, Feedback

FEEDBACK_RESPONSES = 80
RATING_WEIGHTS = {5: 42, 4: 30, 3: 12, 2: 9, 1: 7}
WENT_WELL = [
    "Our worker listened and never made me feel judged.",
    "The stay and play group got us out of the house.",
    "Help with the nursery place form, and a lift to the first visit.",
    "The baby massage course helped me bond with my son.",
    "Quick to call back when I rang the phone line.",
    "",
]
COULD_BE_BETTER = [
    "Visits were moved at short notice a few times.",
    "More groups in the villages, not just in town.",
    "It took a while to hear back after I asked for help.",
    "Evening sessions for working dads.",
    "",
    "",
]
SUMMARIES = {
    Complaint.Category.QUALITY: "The parenting course was cancelled twice without notice.",
    Complaint.Category.STAFF_CONDUCT: "Felt the worker spoke down to her in front of the children.",
    Complaint.Category.COMMUNICATION: "Nobody rang back after the first visit as promised.",
    Complaint.Category.ACCESS: "Waited over a month for support after the referral was accepted.",
    Complaint.Category.DATA_PROTECTION: "A letter about the family was sent to the old address.",
    Complaint.Category.OTHER: "Parking at the centre is unsafe at drop-off time.",
}
LEARNING = [
    "Course cancellations now go out by text the day they are decided.",
    "Call-backs are now logged with a date on the family record.",
    "Reminded the team to check the address before sending letters.",
    "",
]
# Each team's base gets one complaint in each of these states (days ago it was received; what happened).
STATES = (
    ("on_time", 150),
    ("late", 110),
    ("withdrawn", 75),
    ("on_time", 45),
    ("overdue", 40),
    ("waiting", 6),
)


def _demo_admin():
    return (
        get_user_model()
        .objects.filter(groups__name=group_name(Role.ADMIN), email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .order_by("email")
        .first()
    )


def _demo_teams():
    return (
        Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        .select_related("base__district", "manager")
        .order_by("name")
    )


def demo_voice_counts(*, created: bool = False) -> dict:
    complaints = Complaint.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    today = timezone.localdate()
    ratings = dict(Feedback.objects.order_by().values_list("rating").annotate(n=Count("pk")))
    return {
        "created": created,
        "feedback": sum(ratings.values()),
        "ratings": {value: ratings.get(value, 0) for value in Feedback.Rating.values},
        "complaints": complaints.count(),
        "answered": complaints.filter(responded_on__isnull=False).exclude(outcome="withdrawn").count(),
        "withdrawn": complaints.filter(outcome="withdrawn").count(),
        "overdue": complaints.filter(responded_on__isnull=True, response_due_on__lt=today).count(),
        "waiting": complaints.filter(responded_on__isnull=True, response_due_on__gte=today).count(),
        "digital_months": DigitalReach.objects.count(),
    }


def demo_voice_summary(counts: dict) -> str:
    already = " (already there)" if not counts["created"] else ""
    return (
        f"Demo families' voice{already}: {counts['feedback']} feedback responses, {counts['complaints']} complaints "
        f"({counts['answered']} answered, {counts['withdrawn']} withdrawn, {counts['overdue']} overdue, "
        f"{counts['waiting']} not yet due), {counts['digital_months']} months of digital reach"
    )


def _moment(day, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 21), rng.choice((0, 10, 25, 40, 55)))))


def _feedback(rng: random.Random, today) -> None:
    references = list(Family.objects.order_by("reference").values_list("reference", flat=True)[:80])
    districts = list(District.objects.order_by("name"))
    for _ in range(FEEDBACK_RESPONSES):
        day = today - timedelta(days=rng.randint(1, 364))
        rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
        roll = rng.random()
        reference = rng.choice(references) if references and roll < 0.3 else ""
        district = rng.choice(districts) if not reference and roll < 0.8 else None
        may_contact = rng.random() < 0.2
        with _clock(_moment(day, rng)):
            services.feedback_receive(
                rating=rating,
                went_well=rng.choice(WENT_WELL) if rating >= 3 else "",
                could_be_better=rng.choice(COULD_BE_BETTER) if rating <= 4 else "",
                reference=reference,
                district=district,
                may_contact=may_contact,
                contact=f"parent{rng.randint(100, 999)}@example.org" if may_contact else "",
            )


def _complaints(rng: random.Random, today) -> None:
    categories = list(Complaint.Category.values)
    for index, team in enumerate(_demo_teams()):
        families = list(Family.objects.filter(base=team.base, restricted=False).order_by("reference")[:20])
        for position, (state, days_ago) in enumerate(STATES):
            received = today - timedelta(days=days_ago + rng.randint(0, 4))
            while received.weekday() >= 5:
                received -= timedelta(days=1)
            due = add_working_days(received, 20)
            if state == "waiting" and due < today:
                continue
            category = categories[(index + position) % len(categories)]
            family = rng.choice(families) if families and rng.random() < 0.5 else None
            with _clock(_moment(received, rng)):
                made = services.complaint_record(
                    actor=team.manager,
                    received_on=received,
                    received_how=rng.choice(Complaint.How.values),
                    category=category,
                    summary=SUMMARIES[category],
                    family=family,
                    base=None if family else team.base,
                )
            if state in ("overdue", "waiting"):
                continue
            if state == "on_time":
                responded, outcome = (
                    due - timedelta(days=rng.randint(0, 10)),
                    rng.choice(("upheld", "partly_upheld", "not_upheld")),
                )
            elif state == "late":
                responded, outcome = due + timedelta(days=rng.randint(1, 8)), rng.choice(("upheld", "partly_upheld"))
            else:
                responded, outcome = received + timedelta(days=rng.randint(1, 10)), "withdrawn"
            responded = max(received, min(responded, today - timedelta(days=1)))
            with _clock(_moment(responded, rng)):
                services.complaint_respond(
                    complaint=made,
                    actor=team.manager,
                    responded_on=responded,
                    outcome=outcome,
                    learning=rng.choice(LEARNING) if outcome != "withdrawn" else "",
                )


def _digital(rng: random.Random, today) -> None:
    admin = _demo_admin()
    if admin is None:
        return
    month = today.replace(day=1)
    months = []
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    followers = {"facebook_followers": 2100, "instagram_followers": 640, "x_followers": 310, "other_followers": 120}
    for step, month in enumerate(reversed(months)):
        for platform, rate in (("facebook_followers", 35), ("instagram_followers", 28), ("x_followers", -4)):
            followers[platform] += rate + rng.randint(-10, 15)
        followers["other_followers"] += rng.randint(0, 12)
        # The service admin enters a month's figures early in the next month.
        entered = (month + timedelta(days=32)).replace(day=3)
        with _clock(timezone.make_aware(datetime.combine(min(entered, today), time(9, 30)))):
            services.digital_reach_record(
                actor=admin, month=month, web_visits=3600 + 90 * step + rng.randint(-300, 400), **followers
            )


def demo_voice_seed(*, rng_seed: int = 2020) -> dict:
    """Feedback, complaints and digital reach for the demo, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if Complaint.objects.filter(created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
            return demo_voice_counts(created=False)
        rng = random.Random(rng_seed)  # noqa: S311 (demo data, not secrets)
        today = timezone.localdate()
        _feedback(rng, today)
        _complaints(rng, today)
        _digital(rng, today)
        return demo_voice_counts(created=True)
