"""Reads of imports: batches for service admins; reviews for the team managers of the row's base."""

from django.db.models import QuerySet
from django.http import Http404

from bases.selectors import managed_base_ids
from ecfs.roles import Role, has_role

from .models import ImportBatch, ImportReview


def recent_batches(limit: int = 10) -> list[ImportBatch]:
    return list(ImportBatch.objects.select_related("created_by")[:limit])


def pending_reviews() -> QuerySet[ImportReview]:
    """Every pending review, for the admin page: it shows where they came from, not who is in them."""
    return (
        ImportReview.objects.filter(status=ImportReview.Status.PENDING)
        .select_related("base", "batch")
        .order_by("created_at", "pk")
    )


def review_list(*, user) -> QuerySet[ImportReview]:
    """Reviews at the bases the user manages (none for anyone else)."""
    if not has_role(user, Role.MANAGER):
        return ImportReview.objects.none()
    return ImportReview.objects.filter(base_id__in=managed_base_ids(user)).select_related("base", "batch")


def review_get(*, user, uuid) -> ImportReview:
    review = review_list(user=user).filter(uuid=uuid).select_related("decided_by").first()
    if review is None:
        raise Http404("No such review")
    return review
