"""The return's PDF renderer itself (``reporting.documents.render_pdf``), on a small figures document built here:
the trend charts' text, the collector left as it was found, and the static-only URL fetcher."""

import gc
import subprocess

import pikepdf
import pytest
from django.contrib.staticfiles import finders

from reporting.charts import trend_axis_html, trend_svg
from reporting.documents import render_pdf, static_only_fetcher

AREAS = ["Breckland", "Norwich", "County"]


def _row(label, values):
    return {
        "label": label,
        "unit": "count",
        "values": values,
        "display": {area: f"{value:,}" for area, value in values.items()},
        "protected": [],
    }


def _figures():
    contacts = {
        "code": "contacts_by_mode",
        "title": "Contacts with families",
        "unit": "count",
        "definition": "Contacts recorded in the period.",
        "rows": [_row("Home visits", {"Breckland": 120, "Norwich": 340, "County": 460})],
        "baseline": [],
        "headline": {"label": "Home visits", "display": "460", "value": 460, "unit": "count", "protected": False},
        "headline_title": "Contacts with families",
        "target": None,
    }
    return {
        "kind": "quarterly",
        "period": "2026-Q2",
        "title": "Quarter 2 2026/27 (July to September 2026)",
        "start": "2026-07-01",
        "end": "2026-09-30",
        "districts": AREAS[:-1],
        "sections": [{"code": "outputs", "title": "Outputs and timescales", "kpis": [contacts]}],
        "trend": [
            {"period": "2025-Q3", "values": {"contacts_by_mode": 401}},
            {"period": "2025-Q4", "values": {}},
            {"period": "2026-Q1", "values": {"contacts_by_mode": 433}},
            {"period": "2026-Q2", "values": {"contacts_by_mode": 460}},
        ],
    }


def _pdftotext(path) -> str | None:
    try:
        result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return result.stdout if result.returncode == 0 else None


def test_a_trend_chart_prints_its_periods_as_text_under_the_picture_and_its_values_in_it(tmp_path):
    pdf = render_pdf(_figures(), version=1, status="draft", generated_on="2026-10-01")
    path = tmp_path / "return.pdf"
    path.write_bytes(pdf)
    text = _pdftotext(path)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    # The periods, in order, on one line under the chart; the published values drawn in it; the missing one not.
    line = next(line for line in text.splitlines() if "2025-Q3" in line)
    assert [word for word in line.split() if word.startswith("20")] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert "401" in text and "433" in text
    with pikepdf.open(path) as document:
        assert "/StructTreeRoot" in document.Root and document.Root.MarkInfo.Marked is True


def test_the_chart_without_period_labels_keeps_its_text_alternative_and_draws_no_period():
    points = [("2025-Q3", 401.0), ("2025-Q4", None), ("2026-Q1", 433.0)]
    svg = trend_svg("Contacts with families", points, "count", period_labels=False)
    assert "<title>Contacts with families, county trend: 2025-Q3 401; 2025-Q4 not published; 2026-Q1 433</title>" in svg
    assert "2025-Q3</text>" not in svg and ">401</text>" in svg
    assert trend_axis_html(points) == '<p class="chart-axis">2025-Q3 2025-Q4 2026-Q1</p>'
    assert trend_axis_html([("2025-Q3", None)]) == ""  # no chart, no axis


@pytest.mark.parametrize("collecting", [True, False])
def test_rendering_leaves_the_garbage_collector_as_it_found_it(collecting):
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        render_pdf(_figures(), version=1, status="submitted", generated_on="2026-10-01")
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


def test_the_pdf_fetcher_reads_the_projects_static_files_and_nothing_else(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "mark.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    settings.STATICFILES_DIRS = [static]
    finders.get_finder.cache_clear()
    try:
        response = static_only_fetcher(f"file://{settings.STATIC_URL}mark.svg")
        assert response.read().startswith(b"<svg")
        response.close()
        for url in ("file:///etc/passwd", "https://example.org/mark.svg", "data:text/plain,hello"):
            with pytest.raises(ValueError, match="Refusing to fetch"):
                static_only_fetcher(url)
        with pytest.raises(ValueError, match="No static file"):
            static_only_fetcher(f"file://{settings.STATIC_URL}missing.svg")
    finally:
        finders.get_finder.cache_clear()
