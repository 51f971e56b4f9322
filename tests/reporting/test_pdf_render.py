"""The return's PDF renderer itself (``reporting.documents.render_pdf``), on a small figures document built here:
the trend charts' text, the collector left as it was found, and the static-only URL fetcher."""

import gc
import subprocess

import pikepdf
import pytest
from django.contrib.staticfiles import finders

from reporting.charts import trend_axis_html, trend_svg
from reporting.documents import print_layouts, render_pdf, static_only_fetcher

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


def _kpi(code, title, rows, unit="count"):
    return {
        "code": code,
        "title": title,
        "unit": unit,
        "definition": f"{title}.",
        "rows": rows,
        "baseline": [],
        "headline": None,
        "headline_title": title,
        "target": None,
    }


def _laid_out_figures():
    """Three kinds of table: by district (two KPIs), for the county only (the contract budget) and by place (the
    market towns, each in one district, and the rest of the county in every district)."""
    figures = _figures()
    referrals = _kpi(
        "referrals_by_source",
        "Referrals received by source",
        [_row("Health visitor", {"Breckland": 12, "Norwich": 30, "County": 42})],
    )
    budget = _kpi(
        "contract_budget",
        "Contract budget: spend by line against the indicative split",
        [
            {
                **_row("Front-line delivery (indicative 60%)", {"County": 0}),
                "display": {"Breckland": "–", "Norwich": "–", "County": "61.5%"},
            },
        ],
        unit="percent",
    )
    towns = _kpi(
        "reach_under5_by_locality",
        "Children under 5 known to the service, by market town",
        [
            {
                **_row("Attleborough: children under 5 known", {"Breckland": 376}),
                "display": {"Breckland": "376", "Norwich": "–", "County": "–"},
            },
            {
                **_row("Outside the market towns: children under 5 known", {}),
                "display": {"Breckland": "1,919", "Norwich": "[c]", "County": "13,580"},
            },
        ],
    )
    figures["sections"][0]["kpis"].insert(0, referrals)
    figures["sections"].append({"code": "reach", "title": "Reach and equality", "kpis": [towns]})
    figures["sections"].append({"code": "budget", "title": "Contract budget", "kpis": [budget]})
    return figures


def test_a_section_prints_one_district_table_each_kpi_under_its_title_the_county_alone_and_places_by_line():
    outputs, reach, budget = print_layouts(_laid_out_figures())
    assert [table["title"] for table in outputs["districts"]] == [
        "Referrals received by source",
        "Contacts with families",
    ]
    assert outputs["districts"][0]["lines"][0]["cells"] == ["12", "30", "42"]
    assert not outputs["county"] and not outputs["places"]
    # A county-only figure: its column alone, no district dashes.
    (table,) = budget["county"]
    assert [(line["label"], line["cells"]) for line in table["lines"]] == [
        ("Front-line delivery (indicative 60%)", ["61.5%"])
    ]
    # A town: one line naming its district; the rest of the county: a line per area it has a figure in (a hidden
    # one included, as the symbol).
    (table,) = reach["places"]
    assert [(line["label"].split(":")[0], line["cells"], line["county"]) for line in table["lines"]] == [
        ("Attleborough", ["Breckland", "376"], False),
        ("Outside the market towns", ["Breckland", "1,919"], False),
        ("Outside the market towns", ["Norwich", "[c]"], False),
        ("Outside the market towns", ["County", "13,580"], True),
    ]


def test_every_figure_shown_is_printed_once_wherever_its_table_prints_it():
    figures = _laid_out_figures()
    areas = [*figures["districts"], "County"]
    shown = sorted(
        (row["label"], row["display"][area])
        for section in figures["sections"]
        for kpi in section["kpis"]
        for row in kpi["rows"]
        for area in areas
        if row["display"][area] != "–"
    )
    printed = sorted(
        (line["label"], text)
        for section in print_layouts(figures)
        for layout in ("districts", "county", "places")
        for table in section[layout]
        for line in table["lines"]
        for text in (line["cells"][1:] if layout == "places" else line["cells"])
        if text != "–"
    )
    assert printed == shown


def test_the_pdf_prints_the_three_kinds_of_table_readably(tmp_path):
    path = tmp_path / "return.pdf"
    path.write_bytes(render_pdf(_laid_out_figures(), version=1, status="submitted", generated_on="2026-10-01"))
    text = _pdftotext(path)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Outputs and timescales: each figure by district and for the county" in lines
    assert lines.count("Breckland Norwich County") == 1  # one head for the section's two KPIs
    assert "Health visitor 12 30 42" in lines and "Home visits 120 340 460" in lines
    assert "Front-line delivery (indicative 60%) 61.5%" in lines
    assert "Attleborough: children under 5 known Breckland 376" in lines
    assert "Outside the market towns: children under 5 known County 13,580" in lines
    with pikepdf.open(path) as document:
        kinds, stack = [], [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    kinds.append(str(node.S))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    assert kinds.count("/Table") == 3 and kinds.count("/Caption") == 3


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
