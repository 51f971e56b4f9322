"""A child's development reviews, recorded through the service as a user would."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from development.models import DOMAIN_FIELDS
from development.services import development_review_record

ON_TRACK = dict.fromkeys(DOMAIN_FIELDS, "above")


def levels(**overrides) -> dict:
    return {**ON_TRACK, **overrides}


def review_of(child, actor, *, kind="two_year", reviewed_on=None, source="Health visitor, Sam Patel", **kwargs):
    """An ASQ-3 review (by default the 2-year review, on track in every domain) dated at 2 years and a month, or
    today for a younger child."""
    if reviewed_on is None:
        reviewed_on = min(child.date_of_birth + relativedelta(years=2, months=1), timezone.localdate())
    if kind != "eyfs":
        kwargs.setdefault("levels", ON_TRACK)
    return development_review_record(
        child=child, actor=actor, kind=kind, reviewed_on=reviewed_on, source=source, consent_confirmed=True, **kwargs
    )


def eyfs_of(child, actor, *, good=True, reviewed_on=None):
    """An EYFS profile result dated at 5 years old."""
    return development_review_record(
        child=child,
        actor=actor,
        kind="eyfs",
        reviewed_on=reviewed_on or child.date_of_birth + relativedelta(years=5),
        source="The child's school, shared by the parent",
        consent_confirmed=True,
        good_level_of_development=good,
    )
