"""Demo: the outbox holds every kind of message.

Most come by themselves while the other demo steps run (referrers told of outcomes, workers of allocations,
managers of safeguarding concerns, plans and fund applications awaiting them). This step adds what needs a
family's answer or a morning: a family that asked for help and chose email hears its outcome, two families who
want reminders get one for a planned visit and one for a group session, a letter is listed for posting, and
the 07:00 digest goes to the front line. Deterministic (first by reference) and idempotent (each message's key).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from families.models import ContactChannel, Family, PlannedVisit
from notifications import events, services
from notifications.models import Kind, Message
from referrals.models import Referral, Source
from venues.models import Enrolment, GroupSession

CLOSED_BY_TRIAGE = (
    Referral.Status.SIGNPOSTED,
    Referral.Status.NO_FURTHER_ACTION,
    Referral.Status.WITHDRAWN,
    Referral.Status.STEPPED_UP,
)


def _self_referral_outcomes() -> None:
    """Two families that asked for help themselves: one chose email, one a letter (listed, not sent)."""
    asked = list(
        Referral.objects.filter(source=Source.SELF, status__in=CLOSED_BY_TRIAGE)
        .select_related("routed_team__base", "family")
        .order_by("reference")[:2]
    )
    for referral, channel in zip(asked, (ContactChannel.EMAIL, ContactChannel.LETTER), strict=False):
        if Message.objects.filter(idempotency_key=f"referral-outcome:{referral.uuid}").exists():
            continue
        referral.safe_contact_channel = channel
        referral.contact_email = "family.outcome@example.org" if channel == ContactChannel.EMAIL else ""
        referral.save(update_fields=["safe_contact_channel", "contact_email"])
        decision = referral.decisions.order_by("-decided_at").select_related("decided_by").first()
        events.referral_outcome_queue(
            referral=referral,
            status=referral.status,
            reason=decision.reason if decision else "",
            decided_by=decision.decided_by if decision else None,
        )


def _wants_reminders(family: Family, channel: str) -> None:
    if family.reminders_wanted and family.safe_contact_channel == channel:
        return
    family.safe_contact_channel = channel
    family.contact_phone = "07700 900733" if channel == ContactChannel.TEXT else family.contact_phone
    family.contact_email = "reminders.demo@example.org" if channel == ContactChannel.EMAIL else family.contact_email
    family.reminders_wanted = True
    family.save(update_fields=["safe_contact_channel", "contact_phone", "contact_email", "reminders_wanted"])


def _reminders() -> None:
    now = timezone.now()
    visit = (
        PlannedVisit.objects.filter(cancelled_at__isnull=True, starts_at__gt=now, family__status=Family.Status.OPEN)
        .select_related("family")
        .order_by("starts_at", "family__reference")
        .first()
    )
    if visit is not None:
        _wants_reminders(visit.family, ContactChannel.TEXT)
        services.reminders_queue(today=timezone.localdate(visit.starts_at) - timedelta(days=1))
    session = (
        GroupSession.objects.filter(status=GroupSession.Status.SCHEDULED, starts_at__gt=now)
        .filter(course__enrolments__withdrawn_at__isnull=True)
        .order_by("starts_at", "pk")
        .first()
    )
    if session is not None:
        enrolment = (
            Enrolment.objects.filter(course=session.course, withdrawn_at__isnull=True, family__status="open")
            .select_related("family")
            .order_by("family__reference")
            .first()
        )
        if enrolment is not None:
            _wants_reminders(enrolment.family, ContactChannel.EMAIL)
            services.reminders_queue(today=timezone.localdate(session.starts_at) - timedelta(days=1))


@transaction.atomic
def demo_notifications_seed() -> dict:
    _self_referral_outcomes()
    _reminders()
    today = timezone.localdate()
    for user in services.digest_recipients():
        services.digest_queue(user=user, today=today)
    return demo_notifications_counts()


def demo_notifications_counts() -> dict:
    counts = dict.fromkeys(Kind.values, 0)
    for kind in Message.objects.values_list("kind", flat=True):
        counts[kind] += 1
    return counts


def demo_notifications_summary(counts: dict) -> str:
    made = ", ".join(f"{Kind(kind).label.lower()} {n}" for kind, n in counts.items() if n)
    return f"Messages in the outbox: {made or 'none'}."
