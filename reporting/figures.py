"""The figures of a return as plain JSON: computed values, what a commissioner may see, baselines, trend.

The JSON holds no timestamps or names, only the period's figures, so the same
data always gives byte-identical JSON (``figures_json``).
"""

import json

from bases.models import District

from .kpis import COUNTY, SECTIONS, Row, kpis_for
from .models import KpiTarget
from .periods import Period
from .suppression import display_row

TREND_PERIODS = 4


def _cells(row: Row, unit: str, districts: list[str]) -> dict:
    ordered = {name: row.values.get(name) for name in [*districts, COUNTY]}
    shown = display_row(ordered, unit=unit, bases=row.bases)
    return {
        "label": row.label,
        "values": ordered,
        "display": shown,
        "bases": {name: (row.bases or {}).get(name) for name in ordered} if row.bases else None,
    }


def _row_unit(kpi_unit: str, row: Row) -> str:
    """Mixed KPIs: a count KPI may carry a percentage row (its label starts with %)."""
    if row.label.startswith("%"):
        return "percent"
    if row.bases is not None and kpi_unit == "count":
        return "percent"
    return kpi_unit


def compute_figures(period: Period, *, with_trend: bool = True) -> dict:
    districts = list(District.objects.order_by("name").values_list("name", flat=True))
    targets = {t.code: t for t in KpiTarget.objects.all()}
    sections = []
    for code, title in SECTIONS.items():
        items = []
        for kpi in kpis_for(period.kind):
            if kpi.section != code:
                continue
            rows = [
                _cells(row, _row_unit(kpi.unit, row), districts) | {"unit": _row_unit(kpi.unit, row)}
                for row in kpi.compute(period, districts)
            ]
            baseline = (
                [_cells(row, "percent", districts) | {"unit": "percent"} for row in kpi.baseline(districts)]
                if kpi.baseline
                else []
            )
            target = targets.get(kpi.code)
            county_value = rows[0]["values"][COUNTY] if rows else None
            items.append(
                {
                    "code": kpi.code,
                    "title": kpi.title,
                    "unit": kpi.unit,
                    "definition": kpi.definition,
                    "rows": rows,
                    "baseline": baseline,
                    "target": None
                    if target is None
                    else {
                        "direction": target.direction,
                        "value": str(target.value),
                        "met": target.met_by(county_value),
                    },
                }
            )
        if items:
            sections.append({"code": code, "title": title, "kpis": items})
    figures = {
        "kind": period.kind,
        "period": period.label,
        "title": period.title,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "districts": districts,
        "sections": sections,
    }
    if with_trend:
        figures["trend"] = _trend(period, figures)
    return figures


def _first_row_values(figures: dict) -> dict:
    return {
        kpi["code"]: kpi["rows"][0]["values"][COUNTY] if kpi["rows"] else None
        for section in figures["sections"]
        for kpi in section["kpis"]
    }


def _earlier_figures(period: Period) -> dict:
    """An earlier period's figures: as submitted to the council when they were, else computed now."""
    from .models import Return

    submitted = (
        Return.objects.filter(kind=period.kind, period=period.label, status=Return.Status.SUBMITTED)
        .order_by("-version")
        .values_list("figures", flat=True)
        .first()
    )
    return submitted or compute_figures(period, with_trend=False)


def _trend(period: Period, current: dict) -> list[dict]:
    """The county figure of each KPI's first row over the previous periods and this one (oldest first)."""
    series = []
    for n in range(TREND_PERIODS - 1, 0, -1):
        earlier = period.previous(n)
        series.append({"period": earlier.label, "values": _first_row_values(_earlier_figures(earlier))})
    series.append({"period": period.label, "values": _first_row_values(current)})
    return series


def figures_json(figures: dict) -> bytes:
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()
