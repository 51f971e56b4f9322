"""The return's files: a CSV of every figure, a CSV of the definitions and an A4 PDF, all built only from the
figures JSON.

PDFs are rendered by WeasyPrint with a URL fetcher that fetches nothing but the
project's own static files, and with fonts installed from packages (Liberation
Sans, metric-compatible with Arial) so they render the same offline.
"""

import csv
import gc
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .charts import WIDTH as CHART_WIDTH
from .charts import split_bar_svg, trend_axis_html, trend_svg
from .formatting import NOT_APPLICABLE
from .kpis import COUNTY, REGISTRY

# One tidy row per published figure, for analysts: ``value`` is the number unformatted (empty when protected or
# not applicable), ``display`` is what the PDF shows. Definitions are in their own file, once per KPI.
CSV_COLUMNS = ("kpi", "period", "district", "breakdown", "value", "display", "protected")
DEFINITION_COLUMNS = ("kpi", "title", "section", "unit", "definition")
TOTAL = "Total"
# Decimal places of a value in the CSV, by unit: as published (the disclosure audit relies on percentages
# being published to one decimal), never more precise than what the PDF shows.
_PLACES = {"percent": Decimal("0.1"), "points": Decimal("0.1"), "mean": Decimal("0.01"), "money": Decimal("0.01")}


def plain_value(value, unit: str) -> str:
    """A published number as an analyst reads it: ``1149.00``, ``83.3``, ``6``; empty for none."""
    if value is None:
        return ""
    places = _PLACES.get(unit)
    if places is not None:
        return str(Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP))
    return str(value)


def _csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _figure_rows(figures: dict):
    areas = [*figures["districts"], COUNTY]
    period = figures["period"]
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            for row in kpi["baseline"] + kpi["rows"]:
                protected = row.get("protected") or []
                for area in areas:
                    hidden = area in protected
                    value = None if hidden else row["values"].get(area)
                    yield (
                        kpi["code"],
                        period,
                        area,
                        row["label"],
                        plain_value(value, row["unit"]),
                        row["display"].get(area, ""),
                        "true" if hidden else "false",
                    )
            headline = kpi.get("headline")
            if kpi.get("headline_total") and headline:
                hidden = bool(headline.get("protected"))
                yield (
                    kpi["code"],
                    period,
                    COUNTY,
                    TOTAL,
                    "" if hidden else plain_value(headline["value"], headline["unit"]),
                    headline["display"],
                    "true" if hidden else "false",
                )


def render_csv(figures: dict) -> bytes:
    """Every published figure (small numbers protected), one row each: each KPI's 2018 baseline rows, its rows
    by district and county, and its total where its rows split one whole."""
    return _csv_bytes(CSV_COLUMNS, _figure_rows(figures))


def render_definitions_csv(figures: dict) -> bytes:
    """Each KPI's definition, once: the companion of ``render_csv``."""
    return _csv_bytes(
        DEFINITION_COLUMNS,
        (
            (kpi["code"], kpi["title"], section["title"], kpi["unit"], kpi["definition"])
            for section in figures["sections"]
            for kpi in section["kpis"]
        ),
    )


def _static_only_fetcher():
    """Let WeasyPrint load our own static files and nothing else (no network, no file system): a URL whose path is
    under ``STATIC_URL`` (``/static/x.svg`` resolves against the base URL to ``file:///static/x.svg``) is read
    from the static file it names, through the staticfiles finders; anything else is refused.

    WeasyPrint 70 takes a ``URLFetcher`` (its ``fetch`` answers a ``URLFetcherResponse``); the plain function this
    used to be failed on the first URL a document named (``'function' object has no attribute
    '_fail_on_errors'``)."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme not in ("", "file", "http", "https") or not parsed.path.startswith(settings.STATIC_URL):
                raise ValueError(f"Refusing to fetch {url!r}: only the project's static files may be used in a PDF")
            relative = parsed.path[len(settings.STATIC_URL) :]
            found = finders.find(relative)
            if not found:
                raise ValueError(f"No static file {relative!r}")
            return super().fetch(Path(found).as_uri(), headers)

    return StaticOnlyFetcher()


class _LazyFetcher:
    """``static_only_fetcher``, built on first use (importing WeasyPrint loads Pango: not at Django start-up)."""

    _fetcher = None

    def __getattr__(self, name):
        if _LazyFetcher._fetcher is None:
            _LazyFetcher._fetcher = _static_only_fetcher()
        return getattr(_LazyFetcher._fetcher, name)

    def __call__(self, url):
        return self.fetch(url)


static_only_fetcher = _LazyFetcher()


def _charts(figures: dict) -> dict:
    trend = figures.get("trend", [])
    labels = [point["period"] for point in trend]
    charts = {}
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            unit = (kpi.get("headline") or {}).get("unit") or kpi["unit"]
            points = _numeric(
                [(label, point["values"].get(kpi["code"])) for label, point in zip(labels, trend, strict=True)]
            )
            # The periods as a line of text under the picture, not SVG text (see ``trend_svg``).
            charts[kpi["code"]] = trend_svg(kpi["title"], points, unit, period_labels=False) + trend_axis_html(points)
    for code, left_label, right_label in (
        ("sessions_by_place", "At bases", "Outreach"),
        ("sessions_by_offer", "Targeted", "Universal"),
    ):
        kpi = _find(figures, code)
        # Only published numbers are drawn: no bar where the county split or its share is hidden.
        if kpi and not any(COUNTY in row.get("protected", []) for row in kpi["rows"][:3]):
            left, right = kpi["rows"][0]["values"][COUNTY], kpi["rows"][1]["values"][COUNTY]
            baseline = kpi["baseline"][0]["values"][COUNTY] if kpi["baseline"] else None
            charts[f"{code}_split"] = split_bar_svg(
                kpi["title"], left_label, left or 0, right_label, right or 0, baseline
            )
    return charts


def _numeric(points):
    out = []
    for label, value in points:
        try:
            out.append((label, float(value) if value is not None else None))
        except (TypeError, ValueError):
            out.append((label, None))
    return out


def _find(figures: dict, code: str) -> dict | None:
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            if kpi["code"] == code:
                return kpi
    return None


# The tables' columns, as shares of the page width: the row labels, then each district, then the county (bold,
# and the largest numbers, so a little wider).
LABEL_COLUMN_PCT = 22
COUNTY_COLUMN_SCALE = 1.2


def _column_widths(districts: list[str]) -> dict:
    district = (100 - LABEL_COLUMN_PCT) / (len(districts) + COUNTY_COLUMN_SCALE)
    return {
        "label": LABEL_COLUMN_PCT,
        "district": f"{district:.2f}",
        "county": f"{district * COUNTY_COLUMN_SCALE:.2f}",
    }


def print_layouts(figures: dict) -> list[dict]:
    """Each section's tables as the PDF prints them, by the KPI's ``layout``, each row as the texts of its cells.

    - ``districts``: one table for the section, the district names heading it once (and again on each page it
      runs on to), each KPI a group of rows under its title;
    - ``county``: figures kept for the county alone, in a table of the county's column only;
    - ``places``: one line per figure, naming its area (each market town is in one district, so a column per
      district would be all dashes but one).

    Every figure in the JSON and the CSV is printed, and nothing else: this decides only where it sits.
    """
    layouts = {kpi.code: kpi.layout for kpi in REGISTRY}
    areas = [*figures["districts"], COUNTY]
    printed = []
    for section in figures["sections"]:
        tables = {"districts": [], "county": [], "places": []}
        for kpi in section["kpis"]:
            layout = layouts.get(kpi["code"], "districts")
            rows = [(row, True) for row in kpi["baseline"]] + [(row, False) for row in kpi["rows"]]
            if layout == "places":
                lines = [
                    _line(row, baseline, [area, row["display"][area]], county=area == COUNTY)
                    for row, baseline in rows
                    for area in areas
                    if row["display"].get(area, NOT_APPLICABLE) != NOT_APPLICABLE
                ]
            else:
                columns = [COUNTY] if layout == "county" else areas
                lines = [_line(row, baseline, [row["display"].get(a, "") for a in columns]) for row, baseline in rows]
            tables[layout].append({"title": kpi["title"], "lines": lines})
        printed.append({"section": section, **tables})
    return printed


def _line(row: dict, baseline: bool, cells: list[str], *, county: bool = True) -> dict:
    """A printed row: its label, its cells' texts, and whether the last is the county's figure (set in bold)."""
    return {"label": row["label"], "baseline": baseline, "cells": cells, "county": county and not baseline}


def render_pdf(figures: dict, *, version: int, status: str, generated_on: str) -> bytes:
    """The return as a tagged (PDF/UA-1) A4 PDF.

    Python's cyclic garbage collector is paused while WeasyPrint works: a render allocates a few hundred thousand
    boxes, styles and PDF objects that all live until it ends, so each full collection walks them all again for
    nothing (about a sixth of the render's time, and more as the return grows). Collection resumes afterwards,
    and a render's garbage is freed then.
    """
    from weasyprint import HTML

    html = render_to_string(
        "reporting/return_pdf.html",
        {
            "figures": figures,
            "areas": [*figures["districts"], COUNTY],
            "printed": print_layouts(figures),
            "widths": _column_widths(figures["districts"]),
            "chart_width": CHART_WIDTH,
            "charts": _charts(figures),
            "version": version,
            "status": status,
            "generated_on": generated_on,
        },
    )
    collecting = gc.isenabled()
    gc.disable()
    try:
        return HTML(string=html, base_url=settings.STATIC_URL, url_fetcher=static_only_fetcher).write_pdf(
            pdf_variant="pdf/ua-1"
        )
    finally:
        if collecting:
            gc.enable()
