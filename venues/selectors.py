from django.db.models import QuerySet

from .models import Venue


def venue_list(*, district_slug: str | None = None, role: str | None = None) -> QuerySet[Venue]:
    venues = Venue.objects.select_related("district").order_by("district__name", "name")
    if district_slug:
        venues = venues.filter(district__slug=district_slug)
    if role:
        venues = venues.filter(role=role)
    return venues
