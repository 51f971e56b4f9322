"""Demo: a withheld address, a restricted record, a legal hold and subject access requests (once)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ecfs.roles import Role, group_name
from families.models import Allocation, Family
from families.services import protection
from privacy.models import SubjectAccessRequest
from privacy.services import subject_access_create, subject_access_redact, subject_access_release
from privacy.subject_access import third_parties

from .demo import DEMO_EMAIL_DOMAIN


def _open_lead_allocations():
    return (
        Allocation.objects.filter(role=Allocation.Role.LEAD, ended_at__isnull=True, family__status=Family.Status.OPEN)
        .select_related("family__base", "worker")
        .order_by("family__reference")
    )


def _manager_of(family):
    return family.base.teams.order_by("pk").first().manager


@transaction.atomic
def demo_privacy_seed() -> dict:
    if SubjectAccessRequest.objects.exists():
        return demo_privacy_counts(created=False)
    allocations = list(_open_lead_allocations()[:40])
    if len(allocations) < 4:
        return demo_privacy_counts(created=False)
    withheld, restricted, second_withheld = allocations[3], allocations[17], allocations[29]
    for allocation, reason in (
        (withheld, "Mother has moved to a refuge: never share the address, even with family members."),
        (second_withheld, "Non-molestation order in place against the children's father."),
    ):
        protection.address_withhold(family=allocation.family, actor=allocation.worker, withheld=True, reason=reason)
    protection.family_restrict(
        family=restricted.family,
        actor=_manager_of(restricted.family),
        named=[],
        reason="The family are relatives of a member of staff at this base.",
    )
    closed = Family.objects.filter(status=Family.Status.CLOSED).select_related("base").order_by("reference").first()
    if closed:
        protection.legal_hold_place(
            family=closed, actor=_manager_of(closed), reason="Complaint to the council under investigation (C-2026-117)"
        )

    admin = get_user_model().objects.get(email=f"admin@{DEMO_EMAIL_DOMAIN}", groups__name=group_name(Role.ADMIN))
    today = timezone.localdate()
    open_request = subject_access_create(
        actor=admin,
        family_reference=allocations[8].family.reference,
        requester_name="The children's mother, by email",
        received_on=today - timedelta(days=19),
    )
    subject_access_redact(
        sar=open_request,
        actor=admin,
        keys=[party.key for party in third_parties(open_request) if party.key.startswith("professional:")],
    )
    released = subject_access_create(
        actor=admin,
        family_reference=allocations[12].family.reference,
        requester_name="A solicitor acting for the father",
        received_on=today - timedelta(days=45),
    )
    subject_access_release(sar=released, actor=admin)
    return demo_privacy_counts(created=True)


def demo_privacy_counts(*, created: bool) -> dict:
    return {
        "created": created,
        "withheld": Family.objects.filter(address_withheld=True).count(),
        "restricted": Family.objects.filter(restricted=True).count(),
        "held": Family.objects.filter(legal_hold=True).count(),
        "requests": SubjectAccessRequest.objects.count(),
    }


def demo_privacy_summary(counts: dict) -> str:
    return (
        f"Data protection: {counts['withheld']} families with a withheld address, {counts['restricted']} restricted "
        f"record, {counts['held']} family on legal hold, {counts['requests']} subject access requests"
    )
