"""Reads of development reviews, always through the family's access rules (families/access.py)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from ecfs.history import amendments_of
from families.access import family_scope
from families.models import Family, Person

from .models import DOMAIN_FIELDS, DevelopmentReview
from .services import CHILD_KINDS


def _valid():
    return DevelopmentReview.objects.filter(in_error_at__isnull=True)


@dataclass(frozen=True)
class ChildReviews:
    child: Person
    reviews: list[DevelopmentReview]


def family_children_reviews(*, family: Family) -> list[ChildReviews]:
    """Each born child of the family (0 to 5 first, then older), with their reviews oldest first (those recorded in
    error left out): two queries."""
    children = (
        family.members.filter(kind__in=CHILD_KINDS)
        .order_by("kind", "date_of_birth", "pk")
        .prefetch_related(
            Prefetch("development_reviews", queryset=_valid().order_by("reviewed_on", "created_at"), to_attr="valid")
        )
    )
    return [ChildReviews(child, child.valid) for child in children]


def child_get(*, family: Family, uuid) -> Person:
    """A born child of ``family`` (already scoped to the user), or 404."""
    child = family.members.filter(uuid=uuid, kind__in=CHILD_KINDS).first()
    if child is None:
        raise Http404("No such child")
    return child


def review_list(*, user):
    """The reviews of every family ``user`` may see, newest first (the API's list)."""
    return (
        _valid()
        .filter(family_scope(user, via="family"))
        .select_related("family", "child", "created_by")
        .order_by("-reviewed_on", "-created_at")
    )


def review_get(*, user, uuid) -> DevelopmentReview:
    """A review of a family ``user`` may see, or 404 (also for one recorded in error)."""
    review = review_list(user=user).filter(uuid=uuid).first()
    if review is None:
        raise Http404("No such review")
    return review


def review_amendments(review: DevelopmentReview) -> list:
    """Its corrections, newest first, with what was there before."""
    level = dict(DevelopmentReview.Level.choices)
    show = {name: lambda code: level.get(code, code) for name in DOMAIN_FIELDS}
    show["good_level_of_development"] = lambda value: {True: "yes", False: "no"}.get(value, "")
    return amendments_of(review, ("reviewed_on", *DOMAIN_FIELDS, "good_level_of_development", "source"), show=show)
