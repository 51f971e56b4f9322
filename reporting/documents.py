"""The return's files: a CSV of every figure and an A4 PDF, both built only from the figures JSON.

PDFs are rendered by WeasyPrint with a URL fetcher that fetches nothing but the
project's own static files, and with fonts installed from packages (Liberation
Sans, metric-compatible with Arial) so they render the same offline.
"""

import csv
import io
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .charts import split_bar_svg, trend_svg
from .kpis import COUNTY

CSV_COLUMNS = ("section", "kpi", "row", "area", "value", "definition")


def render_csv(figures: dict) -> bytes:
    """Every figure as a commissioner may see it (small numbers suppressed), one line each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            for row in kpi["baseline"] + kpi["rows"]:
                for area in [*figures["districts"], COUNTY]:
                    shown = row["display"].get(area, "")
                    writer.writerow([section["title"], kpi["title"], row["label"], area, shown, kpi["definition"]])
    return buffer.getvalue().encode("utf-8")


def static_only_fetcher(url: str, *args, **kwargs):
    """Let WeasyPrint load our own static files and nothing else (no network, no file system)."""
    from weasyprint.urls import default_url_fetcher

    parsed = urlparse(url)
    if parsed.scheme in ("", "file") or not parsed.path.startswith(settings.STATIC_URL):
        raise ValueError(f"Refusing to fetch {url!r}: only the project's static files may be used in a PDF")
    relative = parsed.path[len(settings.STATIC_URL) :]
    found = finders.find(relative)
    if not found:
        raise ValueError(f"No static file {relative!r}")
    return default_url_fetcher(Path(found).as_uri(), *args, **kwargs)


def _charts(figures: dict) -> dict:
    trend = figures.get("trend", [])
    labels = [point["period"] for point in trend]
    charts = {}
    for section in figures["sections"]:
        for kpi in section["kpis"]:
            first_row_unit = kpi["rows"][0]["unit"] if kpi["rows"] else kpi["unit"]
            points = [(label, point["values"].get(kpi["code"])) for label, point in zip(labels, trend, strict=True)]
            charts[kpi["code"]] = trend_svg(kpi["title"], _numeric(points), first_row_unit)
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


def render_pdf(figures: dict, *, version: int, status: str, generated_on: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reporting/return_pdf.html",
        {
            "figures": figures,
            "areas": [*figures["districts"], COUNTY],
            "charts": _charts(figures),
            "version": version,
            "status": status,
            "generated_on": generated_on,
        },
    )
    return HTML(string=html, base_url=settings.STATIC_URL, url_fetcher=static_only_fetcher).write_pdf()
