"""Reads of the outbox: a family's messages, each person's preferences, and what a digest lists."""

from datetime import date

from django.db.models import QuerySet

from ecfs.roles import Role, has_role
from families.models import Family
from families.support import selectors as support_selectors
from referrals import selectors as referral_selectors

from .content import DigestLine, link
from .models import STAFF_CHOOSABLE, Message, Preference


def family_messages(*, family: Family) -> QuerySet[Message]:
    """The messages about a family (the caller has fetched the family through the user's scope)."""
    return Message.objects.filter(family=family).order_by("-created_at", "-pk")


def preferences_of(*, user) -> dict[str, str]:
    """Each kind a member of staff may choose for, with their choice (straight away unless they chose)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, Preference.Delivery.IMMEDIATE) for kind in STAFF_CHOOSABLE}


def digest_overdue(*, user, today: date) -> list[DigestLine]:
    """What is overdue for this person, from the same reads as their landing page and My week: for a team
    manager, triage and first contacts in their bases and plan reviews of their bases' families; for a worker,
    first contacts with the families allocated to them and their overdue reviews, assessments, follow-ups and
    plan actions. References and links only."""
    lines = []
    if has_role(user, Role.MANAGER):
        referrals = referral_selectors.referral_list(user=user)
        for referral in referrals.filter(referral_selectors.triage_overdue_q(today)).order_by("triage_due", "pk"):
            lines.append(DigestLine("Triage overdue", referral.reference, referral.triage_due, _referral_url(referral)))
        for referral in referrals.filter(referral_selectors.first_contact_overdue_q(today)).order_by(
            "first_contact_due", "pk"
        ):
            lines.append(
                DigestLine(
                    "First contact overdue", referral.reference, referral.first_contact_due, _referral_url(referral)
                )
            )
        for plan in support_selectors.reviews_overdue(manager=user, today=today):
            lines.append(
                DigestLine("Plan review overdue", plan.family.reference, plan.next_review_due, _plan_url(plan.uuid))
            )
    if has_role(user, Role.WORKER):
        if not has_role(user, Role.MANAGER):
            for referral in (
                referral_selectors.referral_list(user=user)
                .filter(referral_selectors.first_contact_overdue_q(today))
                .order_by("first_contact_due", "pk")
            ):
                lines.append(
                    DigestLine(
                        "First contact overdue",
                        referral.reference,
                        referral.first_contact_due,
                        _referral_url(referral),
                    )
                )
        for item in support_selectors.worker_week(user=user, today=today, days=0):
            if not item.overdue:
                continue
            lines.append(
                DigestLine(_week_item_what(item), item.family_reference, item.when, link(item.url_name, item.url_arg))
            )
    return lines


def _referral_url(referral) -> str:
    return link("referral-detail", referral.uuid)


def _plan_url(plan_uuid) -> str:
    return link("plan-detail", plan_uuid)


def _week_item_what(item) -> str:
    """ "Plan review overdue", "Assessment overdue", "Six-month follow-up overdue"; a plan action by its kind
    only (its own words may name people)."""
    if item.what.startswith("Action:"):
        return "Plan action overdue"
    return f"{item.what.removesuffix(' due')} overdue"
