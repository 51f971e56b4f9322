"""Reads of feedback and complaints, scoped to what the user may see.

Team managers only: feedback matched (by the reference given) to a family or referral of their bases, or, when it
matched nothing, left for one of their bases' districts; complaints of their bases. Nobody else sees either (a
commissioner sees the returns' protected counts). A family named on a complaint or matched by feedback is shown
only to those who may see the family.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bases.selectors import managed_base_ids, managed_district_ids
from ecfs.roles import Role, has_role
from families.access import family_scope
from families.models import Family

from .models import Complaint, DigitalReach, Feedback


def _manager(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and has_role(user, Role.MANAGER))


def feedback_scope(user) -> Q:
    if not _manager(user):
        return Q(pk__in=[])
    return Q(base_id__in=managed_base_ids(user)) | Q(base__isnull=True, district_id__in=managed_district_ids(user))


def _family_visible(queryset, user):
    return queryset.annotate(family_visible=Exists(Family.objects.filter(family_scope(user), pk=OuterRef("family_id"))))


def feedback_list(*, user, rating: int | None = None) -> QuerySet[Feedback]:
    feedback = Feedback.objects.filter(feedback_scope(user))
    if rating:
        feedback = feedback.filter(rating=rating)
    return _family_visible(feedback.select_related("district", "base", "family"), user).order_by("-received_at", "-pk")


def feedback_get(*, user, uuid) -> Feedback:
    feedback = feedback_list(user=user).filter(uuid=uuid).first()
    if feedback is None:
        raise Http404("No such feedback")
    return feedback


def complaint_scope(user) -> Q:
    if not _manager(user):
        return Q(pk__in=[])
    return Q(base_id__in=managed_base_ids(user))


def complaint_list(*, user, state: str = "") -> QuerySet[Complaint]:
    """The complaints of the user's bases, newest first; ``state``: ``open``, ``overdue`` (open and past the
    due day) or ``answered``."""
    complaints = Complaint.objects.filter(complaint_scope(user))
    if state == "open":
        complaints = complaints.filter(responded_on__isnull=True)
    elif state == "overdue":
        complaints = complaints.filter(responded_on__isnull=True, response_due_on__lt=timezone.localdate())
    elif state == "answered":
        complaints = complaints.filter(responded_on__isnull=False)
    return _family_visible(complaints.select_related("base", "family", "created_by"), user).order_by(
        "-received_on", "-created_at", "-pk"
    )


def complaint_get(*, user, uuid) -> Complaint:
    """The complaint, or 404 when it does not exist *or* the user may not see it."""
    complaint = complaint_list(user=user).filter(uuid=uuid).first()
    if complaint is None:
        raise Http404("No such complaint")
    return complaint


def complaints_overdue(*, manager, today: date) -> QuerySet[Complaint]:
    """Open complaints of the manager's bases whose response day has passed, the longest overdue first."""
    return (
        Complaint.objects.filter(complaint_scope(manager), responded_on__isnull=True, response_due_on__lt=today)
        .select_related("base")
        .order_by("response_due_on", "pk")
    )


def digital_reach_months(*, count: int = 12) -> list[DigitalReach]:
    return list(DigitalReach.objects.order_by("-month")[:count])
