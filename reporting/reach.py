"""The reach dashboard's read (#19 item 3): the quarterly return's reach-against-population figures for a quarter,
through the same disclosure step as the return (nothing unprotected leaves this module), laid out for the page.

The three KPIs are protected together, as in the return; none of their relations reaches another KPI, so what is
hidden here is what the quarter's return hides (``disclosure.protect`` settles each group of tied cells on its
own), and the two never show a cell that the other hides.
"""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from bases.models import District, Locality

from . import disclosure
from .charts import bars_svg
from .figures import _cells, _headline, _row_unit
from .formatting import format_value
from .kpis import COUNTY, HIGH_NEED_LOCALITIES, REGISTRY, _percent, shared_queries
from .periods import QUARTERLY, Period, last_complete, period_containing
from .reach_figures import ALL_KNOWN, COUNTY_SHARE, IN_TOWNS, TOWNS_POPULATION, TOWNS_SHARE, town_label

CODES = ("reach_under5_known", "reach_under5_by_locality", "reach_high_need")
QUARTERS_OFFERED = 8
# Working the page out takes a second or more at county scale (one pass over the year's records, then the
# disclosure audit's linear programmes), so what it shows (protected aggregates only) is kept this long per
# quarter and shown with the time it was worked out. 0 works it out on every request (the test settings).
CACHE_SECONDS = 15 * 60


def reach_dashboard_cached(period: Period) -> dict:
    """``reach_dashboard(period)``, kept in the cache for ``REACH_DASHBOARD_CACHE_SECONDS`` (default 15 minutes)."""
    seconds = getattr(settings, "REACH_DASHBOARD_CACHE_SECONDS", CACHE_SECONDS)
    key = f"reporting:reach-dashboard:{period.label}"
    found = cache.get(key) if seconds else None
    if found is None:
        found = {**reach_dashboard(period), "worked_out_at": timezone.now(), "kept_minutes": seconds // 60}
        if seconds:
            cache.set(key, found, seconds)
    return found


def quarters_offered(today: date) -> list[Period]:
    """The quarter in progress (to date) and the seven before it, newest first."""
    current = period_containing(QUARTERLY, today)
    return [current, *(current.previous(n) for n in range(1, QUARTERS_OFFERED))]


def default_quarter(today: date) -> Period:
    return last_complete(QUARTERLY, today)


def reach_figures(period: Period) -> dict:
    """The three KPIs for ``period``, computed and protected: {"kpis": [...], "districts": [...]}."""
    districts = list(District.objects.order_by("name").values_list("name", flat=True))
    kpis = {k.code: k for k in REGISTRY if k.code in CODES}
    with shared_queries():
        computed = {code: kpis[code].compute(period, districts) for code in CODES}
    items = []
    for code in CODES:
        kpi = kpis[code]
        rows = [_cells(row, _row_unit(kpi.unit, row), districts) for row in computed[code]]
        items.append(
            {
                "code": code,
                "title": kpi.title,
                "unit": kpi.unit,
                "headline_total": kpi.headline_total,
                "definition": kpi.definition,
                "rows": rows,
                "baseline": [],
                "headline": _headline(kpi, rows),
            }
        )
    figures = {"period": period.label, "districts": districts, "sections": [{"code": "reach", "kpis": items}]}
    disclosure.protect(figures)
    return {"districts": districts, "kpis": items}


def reach_dashboard(period: Period) -> dict:
    """What the page shows: a table by district, a table by town (highest need first), the chart."""
    figures = reach_figures(period)
    by_code = {kpi["code"]: kpi for kpi in figures["kpis"]}
    totals = {row["label"]: row for row in by_code["reach_under5_known"]["rows"]}
    towns = {row["label"]: row for row in by_code["reach_under5_by_locality"]["rows"]}
    high_need = by_code["reach_high_need"]["rows"][0]

    district_rows = [
        {
            "name": name,
            "known": totals[ALL_KNOWN]["display"][name],
            "in_towns": totals[IN_TOWNS]["display"][name],
            "population": totals[TOWNS_POPULATION]["display"][name],
            "share": totals[TOWNS_SHARE]["display"][name],
            "share_value": totals[TOWNS_SHARE]["values"][name],
            "high_need": high_need["display"][name],
        }
        for name in [*figures["districts"], COUNTY]
    ]
    localities = list(Locality.objects.select_related("district").order_by("-need_index", "name"))
    highest = {loc.pk for loc in [loc for loc in localities if not loc.is_other][:HIGH_NEED_LOCALITIES]}
    town_rows = []
    for locality in localities:
        published = towns[town_label(locality)]
        area = locality.district.name if locality.district_id and not locality.is_other else COUNTY
        count = published["values"][area]  # None where it is hidden
        town_rows.append(
            {
                "name": "Outside the market towns (rest of the county)" if locality.is_other else locality.name,
                "district": locality.district.name if locality.district_id else "All districts",
                "need_index": locality.need_index,
                "highest_need": locality.pk in highest,
                "population": f"{locality.under_5:,}",
                "known": published["display"][area],
                # The share of a published count over the published under-5s; hidden with its count.
                "share": disclosure.SYMBOL
                if count is None
                else format_value(_percent(count, locality.under_5), "percent"),
            }
        )
    chart = bars_svg(
        "Share of the market towns' under-5s known to the service, by district",
        [(row["name"], row["share_value"]) for row in district_rows],
        unit="percent",
    )
    return {
        "period": period,
        "districts": district_rows,
        "county_known": totals[ALL_KNOWN]["display"][COUNTY],
        "county_share": totals[COUNTY_SHARE]["display"][COUNTY],
        "towns": town_rows,
        "high_need_count": HIGH_NEED_LOCALITIES,
        "chart": chart,
        "definitions": [(kpi["title"], kpi["definition"]) for kpi in figures["kpis"]],
    }
