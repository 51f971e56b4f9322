"""The figures of a return as plain JSON: computed values, what a commissioner may see, baselines, trend.

The JSON holds no timestamps or names, only the period's figures, so the same
data always gives byte-identical JSON (``figures_json``).
"""

import json
from decimal import Decimal

from django.db.models import Case, When

from bases.models import District

from . import disclosure
from .formatting import format_target
from .kpis import COUNTY, SECTIONS, Row, kpis_for, shared_queries
from .models import KpiTarget
from .periods import QUARTERLY, Period

# What older returns (before one symbol) showed for a hidden cell, and what they show now.

TREND_PERIODS = 4


def _cells(row: Row, unit: str, districts: list[str]) -> dict:
    """A row as computed, before disclosure control decides what is shown (``disclosure.protect``)."""
    return {
        "label": row.label,
        "unit": unit,
        "values": {name: row.values.get(name) for name in [*districts, COUNTY]},
        "bases": {name: (row.bases or {}).get(name) for name in [*districts, COUNTY]} if row.bases else None,
        "additive": row.additive,
        "numerator": list(row.numerator),
        "denominator": list(row.denominator),
    }


def _row_unit(kpi_unit: str, row: Row) -> str:
    """Mixed KPIs: a count KPI may carry a percentage row (its label starts with %); a mean change is in points."""
    if row.unit:
        return row.unit
    if row.label.startswith("%"):
        return "percent"
    if row.bases is not None and kpi_unit == "count":
        return "percent"
    return kpi_unit


def compute_figures(period: Period, *, with_trend: bool = True, alongside: list[dict] | None = None) -> dict:
    """The return's figures as published: computed, then through disclosure control (nothing else may be
    shown) beside the returns published with it (``published_alongside``), with the trend of earlier periods."""
    if alongside is None:
        alongside = published_alongside(period)
    figures = disclosure.protect(computed_figures(period), alongside)
    if with_trend:
        figures["trend"] = _trend(period, figures)
    return figures


def published_alongside(period: Period) -> list[dict]:
    """What a reader holds beside a quarter's return: its three monthly returns, as they are published. They are
    worked out again rather than read from the stored returns, so that they and the quarter come from the same
    records: a stored month made before a correction or a late entry (a contact recorded after the month it
    happened in) could contradict the quarter worked out now. The README ("Returns") names that limit."""
    if period.kind != QUARTERLY:
        return []
    return [compute_figures(month, with_trend=False) for month in period.months()]


def computed_figures(period: Period) -> dict:
    """Every figure as computed, small numbers included: only for ``disclosure.protect`` (and tests of the
    definitions). Never render it."""
    districts = list(District.objects.order_by("name").values_list("name", flat=True))
    targets = {t.code: t for t in KpiTarget.objects.all()}
    sections = []
    with shared_queries():
        computed = {kpi.code: kpi.compute(period, districts) for kpi in kpis_for(period.kind)}
    for code, title in SECTIONS.items():
        items = []
        for kpi in kpis_for(period.kind):
            if kpi.section != code:
                continue
            rows = [_cells(row, _row_unit(kpi.unit, row), districts) for row in computed[kpi.code]]
            baseline = [_cells(row, "percent", districts) for row in kpi.baseline(districts)] if kpi.baseline else []
            target = targets.get(kpi.code)
            headline = _headline(kpi, rows)
            county_value = headline["value"] if headline else None
            items.append(
                {
                    "code": kpi.code,
                    "title": kpi.title,
                    "unit": kpi.unit,
                    "headline_total": kpi.headline_total,
                    "definition": kpi.definition,
                    "rows": rows,
                    "baseline": baseline,
                    "headline": headline,
                    "target": None
                    if target is None
                    else {
                        "direction": target.direction,
                        "value": str(target.value),
                        "text": f"{target.get_direction_display().lower()} "
                        f"{format_target(target.value, headline['unit'] if headline else kpi.unit)}",
                        "met": target.met_by(county_value),
                    },
                }
            )
        if items:
            sections.append({"code": code, "title": title, "kpis": items})
    _name_repeated_titles(sections)
    figures = {
        "kind": period.kind,
        "period": period.label,
        "title": period.title,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "districts": districts,
        "sections": sections,
    }
    return figures


def _headline(kpi, rows: list[dict]) -> dict | None:
    """The county figure a summary leads with: the table's total where its rows split one whole, else the first
    row's (``disclosure.protect`` decides whether it is shown)."""
    if not rows:
        return None
    if not kpi.headline_total:
        first = rows[0]
        return {"label": first["label"], "unit": first["unit"], "value": first["values"][COUNTY]}
    parts = [row for row in rows if row["unit"] == kpi.unit]
    if kpi.unit == "money":
        value = str(sum((Decimal(str(row["values"][COUNTY] or 0)) for row in parts), Decimal("0.00")))
    else:
        value = sum(row["values"][COUNTY] or 0 for row in parts)
    return {"label": "Total", "unit": kpi.unit, "value": value}


def _name_repeated_titles(sections: list[dict]) -> None:
    """A title used by more than one KPI (improved scores, once per impact) says which section it belongs to."""
    seen: dict[str, int] = {}
    for section in sections:
        for item in section["kpis"]:
            seen[item["title"]] = seen.get(item["title"], 0) + 1
    for section in sections:
        for item in section["kpis"]:
            if seen[item["title"]] == 1:
                item["headline_title"] = item["title"]
            elif section["code"].startswith("impact"):
                item["headline_title"] = f"{item['title']} (impact {section['code'][6:]}: {section['title']})"
            else:
                item["headline_title"] = f"{item['title']} ({section['title']})"


def _headline_values(figures: dict) -> dict:
    """Each KPI's county headline as published (the table's total where its rows split one whole, else the first
    row), for the trend charts: the chart plots the figure printed above it. None where it is hidden."""
    values = {}
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            headline = kpi.get("headline")
            values[kpi["code"]] = None if not headline or headline.get("protected") else headline["value"]
    return values


def _earlier_figures(period: Period) -> dict | None:
    """An earlier period's figures as published: the submitted return (its latest version), else the latest
    draft generated for it; None when no return was ever made for it (the trend then says "not published" —
    working a past period out again here would take seconds and could show what was never published)."""
    from .models import Return

    stored = (
        Return.objects.filter(kind=period.kind, period=period.label)
        .order_by(
            Case(When(status=Return.Status.SUBMITTED, then=0), default=1),
            "-version",
        )
        .values_list("figures", flat=True)
        .first()
    )
    return stored or None


def _trend(period: Period, current: dict) -> list[dict]:
    """The county headline of each KPI over the previous periods and this one (oldest first)."""
    series = []
    for n in range(TREND_PERIODS - 1, 0, -1):
        earlier = period.previous(n)
        published = _earlier_figures(earlier)
        series.append({"period": earlier.label, "values": _headline_values(published) if published else {}})
    series.append({"period": period.label, "values": _headline_values(current)})
    return series


def figures_json(figures: dict) -> bytes:
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()
