"""How a grant application is scored against the need of the place (committee report §5.2.5: funding to
address gaps, targeted at areas of most need, including rural areas — the equality impact assessment).

    score (0-100) = need (0-50) + rural (0 or 15) + gap (0-25) + the assessor's view of the plan (0-10)

- need: the locality's Children's Need Index placed between the lowest and highest market town (0 to 50);
- rural: the group serves a village or dispersed rural community, or the rest of the county outside the
  market towns ("Other");
- gap: running groups in the locality per 1,000 children under 5: none 25, below the county's middle
  (median) locality 15, otherwise 0.
"""

from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Max, Min, Q

from bases.models import Locality

from .models import CommunityGroup

NEED_MAX = 50
RURAL_POINTS = 15
GAP_NONE = 25
GAP_BELOW_MIDDLE = 15
QUALITY_MAX = 10


@dataclass(frozen=True)
class PlacePoints:
    need: int
    rural: int
    gap: int
    groups_per_1000: float
    middle_groups_per_1000: float

    @property
    def total(self) -> int:
        return self.need + self.rural + self.gap


def _groups_per_1000() -> dict[int, float]:
    rows = Locality.objects.annotate(
        running=Count("community_groups", filter=Q(community_groups__status=CommunityGroup.Status.ACTIVE))
    ).values_list("pk", "running", "under_5")
    return {pk: (1000 * running / under_5 if under_5 else 0.0) for pk, running, under_5 in rows}


def place_points(*, locality: Locality, rural: bool) -> PlacePoints:
    towns = Locality.objects.filter(is_other=False).aggregate(low=Min("need_index"), high=Max("need_index"))
    low, high = towns["low"], towns["high"]
    if low is None or high == low:
        need = NEED_MAX // 2
    else:
        share = (locality.need_index - low) / (high - low)
        need = max(0, min(NEED_MAX, round(float(share) * NEED_MAX)))
    rates = _groups_per_1000()
    own = rates.get(locality.pk, 0.0)
    middle = median(rates.values()) if rates else 0.0
    if own == 0:
        gap = GAP_NONE
    elif own < middle:
        gap = GAP_BELOW_MIDDLE
    else:
        gap = 0
    return PlacePoints(
        need=need,
        rural=RURAL_POINTS if rural or locality.is_other else 0,
        gap=gap,
        groups_per_1000=round(own, 2),
        middle_groups_per_1000=round(middle, 2),
    )
