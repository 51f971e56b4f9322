"""The returns, checked against figures worked out by hand (see dataset.py for the working)."""

import csv
import io
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reporting.figures import compute_figures, computed_figures, figures_json
from reporting.kpis import COUNTY
from reporting.models import Return
from reporting.periods import parse_period
from reporting.services import return_generate, return_submit

from .dataset import build

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
B, N = "Broadland", "Norwich"
PERIOD = "2025-Q2"


def kpi(figures, code):
    return next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == code)


def row(figures, code, label):
    return next(r for r in kpi(figures, code)["rows"] if r["label"] == label)


@pytest.fixture
def both(cast):
    build(cast)
    return computed_figures(parse_period(PERIOD)), compute_figures(parse_period(PERIOD))


@pytest.fixture
def figures(both):
    return both[1]


# (kpi, row, area) → (hand-computed value, what a commissioner sees)
EXPECTED = [
    ("referrals_by_source", "Health visitor", B, 6, "6"),
    ("referrals_by_source", "Health visitor", COUNTY, 6, "6"),
    ("referrals_by_source", "GP", N, 2, "[c]"),
    ("referrals_by_source", "GP", COUNTY, 2, "[c]"),
    ("referrals_by_source", "School", COUNTY, 0, "0"),
    ("triage_decisions", "Accept for tier 2 support", B, 6, "6"),
    ("triage_decisions", "Signpost", N, 1, "[c]"),
    ("triaged_within_timescale", "Triaged on time", B, 83.3, "83.3%"),  # 5 of 6
    ("triaged_within_timescale", "Triaged on time", N, 50.0, "[c]"),  # 1 of 2: too few to show
    ("triaged_within_timescale", "Triaged on time", COUNTY, 75.0, "75.0%"),  # 6 of 8
    ("first_contact_within_timescale", "First contact on time", B, 66.7, "66.7%"),  # 4 of 6
    # Norwich: the signposted referral was closed before its first contact fell due (19 Aug); the one never
    # triaged was still open that day, so it is in the cohort and missed.
    ("first_contact_within_timescale", "First contact on time", N, 0.0, "[c]"),
    ("first_contact_within_timescale", "First contact on time", COUNTY, 57.1, "57.1%"),  # 4 of 7
    ("open_plans", "One-to-one", B, 1, "[c]"),
    ("new_and_closed_plans", "Started", COUNTY, 3, "[c]"),
    ("new_and_closed_plans", "Closed", COUNTY, 2, "[c]"),
    ("contacts_by_mode", "Home visit", B, 4, "[c]"),
    ("contacts_by_mode", "Phone", B, 1, "[c]"),
    ("contacts_by_mode", "At a base", B, 1, "[c]"),
    # 4 of 5 face to face; shown: the contacts by mode it is a share of are hidden in Broadland and the
    # county, so 80% fits 4 of 5, 8 of 10, 12 of 15... (the audit checks it).
    ("outreach_share", "In homes and community venues", B, 80.0, "80.0%"),
    ("sessions_by_offer", "Targeted", B, 3, "[c]"),
    ("sessions_by_offer", "Universal", COUNTY, 0, "0"),
    ("sessions_by_offer", "% targeted", B, 100.0, "[c]"),
    ("sessions_by_place", "At bases", B, 3, "[c]"),
    ("sessions_by_place", "At outreach venues", B, 0, "0"),
    ("attendances", "Attendances", B, 4, "[c]"),  # 3 + 1
    ("attendances", "Families attending", COUNTY, 2, "[c]"),
    ("caseload_per_worker", "Families per worker", B, 3.0, "[c]"),  # 6 families, 2 workers
    ("caseload_per_worker", "Families per worker", N, 0.0, "[c]"),  # 0 families, 1 worker
    ("caseload_per_worker", "Families per worker", COUNTY, 2.0, "[c]"),  # 6 families, 3 workers
    # Money paid to fewer than 5 families (here one) is protected like a small count (#16 item 8).
    ("fund_payments_by_category", "Food", B, "40.00", "[c]"),
    ("fund_payments_by_category", "Travel", COUNTY, "25.50", "[c]"),
    ("fund_payments_by_category", "Clothing", COUNTY, "0.00", "£0.00"),
    ("impact1_improvement", "Plans with improved scores", B, 50.0, "[c]"),  # 1 of 2
    ("impact1_improvement", "Mean change in score per need", B, 1.5, "[c]"),  # (+4 - 1) / 2
    ("impact2_improvement", "Plans with improved scores", COUNTY, 50.0, "[c]"),
    ("impact3_improvement", "Plans with improved scores", COUNTY, None, "–"),
    ("early_education_takeup", "Aged 3", B, 50.0, "[c]"),  # 1 of 2
    ("early_education_takeup", "Aged 2", COUNTY, None, "–"),
    ("closures_by_reason", "Needs met", B, 1, "[c]"),
    ("closures_by_reason", "Stepped up", B, 1, "[c]"),
    ("step_ups_and_downs", "Stepped up at triage to children's social care", COUNTY, 0, "0"),
    ("step_ups_and_downs", "Stepped up at triage to Family Focus", COUNTY, 0, "0"),
    ("step_ups_and_downs", "Plans closed as stepped up", B, 1, "[c]"),
    ("step_ups_and_downs", "Step-downs received", COUNTY, 0, "0"),
    ("step_ups_and_downs", "Re-referrals within 12 months", COUNTY, 0, "0"),
    ("sustained_progress", "Progress sustained", B, 100.0, "[c]"),
    ("parents_into_work_or_learning", "Work", B, 1, "[c]"),
    ("parents_into_work_or_learning", "Volunteering", COUNTY, 0, "0"),
    ("targeted_course_outcomes", "Completed", B, 50.0, "[c]"),  # 3 of 3 and 1 of 3 sessions
    ("targeted_course_outcomes", "Mean change in confidence", B, 3.0, "[c]"),
    ("targeted_course_outcomes", "Mean change in wellbeing", COUNTY, 1.0, "[c]"),
    ("reach_high_need", "In the highest-need localities", B, 0.0, "[c]"),  # 0 of 3 (Aylsham is not top 7)
    ("equality_monitoring", "Families supported", B, 3, "[c]"),
    ("equality_monitoring", "Gypsy, Roma and Traveller", COUNTY, 0, "0"),
    # No advice in this quarter's data (tests/advice/test_figures.py works the advice tables out by hand).
    ("advice_by_channel", "The phone line", COUNTY, 0, "0"),
    ("advice_by_topic", "Housing", COUNTY, 0, "0"),
    # No community connections or grants in this quarter's data (tests/community/test_figures.py works them out).
    ("community_connections", "Families connected", COUNTY, 0, "0"),
    ("community_grants", "All grants", COUNTY, "0.00", "£0.00"),
    ("community_grants_count", "Grants approved", COUNTY, 0, "0"),
    # Reach against population (#19): the 6 Broadland families' children (all under 5 on 30 September 2025,
    # referred in July) live in Aylsham, 260 under-5s, of Broadland's towns' 411 (Wroxham and Hoveton 151);
    # Norwich's two referrals made no family. tests/reporting/test_reach.py works the rest out by hand.
    ("reach_under5_known", "Children under 5 known", B, 6, "6"),
    ("reach_under5_known", "% of the market towns' under-5s known", B, 1.5, "1.5%"),
    ("reach_under5_by_locality", "Aylsham (under-5s 260; Need Index 91.8): children under 5 known", B, 6, "6"),
    # Workforce (#20 item 6): the cast's 3 workers and 2 managers, with no supervision, training or DBS check
    # recorded and no vacancy; every count of staff is under 5 (tests/workforce/test_figures.py works it out).
    ("workforce_in_post", "Family support worker", COUNTY, 3, "[c]"),
    ("workforce_in_post", "Team manager", COUNTY, 2, "[c]"),
    ("workforce_vacancies", "Family support worker", COUNTY, 0, "0"),
    ("workforce_supervision", "Supervised within six weeks", COUNTY, 0.0, "[c]"),  # of 3 workers
    ("workforce_training", "All three courses current", COUNTY, 0.0, "0.0%"),  # of 5 staff
    ("workforce_dbs", "DBS check within three years", COUNTY, 0.0, "0.0%"),
    ("workforce_caseload_spread", "Most", COUNTY, 6.0, "[c]"),  # the most any of the 3 workers holds; under 5 workers
    # Families' voice and digital reach (#20 items 7, 8): no feedback, complaint or digital figure in this quarter's
    # data (tests/voice/test_figures.py works them out by hand); the digital figures are not known (–) until entered.
    ("voice_feedback", "Very good", COUNTY, 0, "0"),
    ("voice_complaints_received", "Communication", COUNTY, 0, "0"),
    ("voice_complaint_outcomes", "Upheld", COUNTY, 0, "0"),
    ("voice_complaints_on_time", "Response due in the quarter", COUNTY, 0, "0"),
    ("digital_web_visits", "Visits to the service's web pages in the quarter", COUNTY, None, "–"),
    ("digital_followers", "Facebook", COUNTY, None, "–"),
    # Partnership (#20 item 8): no meeting, professional or onward referral in this quarter's data; the 3 Broadland
    # families supported have no partner agency (tests/partnership/test_figures.py works them out by hand).
    ("partnership_taf_meetings", "Meetings held", COUNTY, 0, "0"),
    ("partnership_agencies", "Housing", COUNTY, 0, "0"),
    ("partnership_families", "Families supported", B, 3, "[c]"),
    ("partnership_families", "With at least one partner agency", COUNTY, 0, "0"),
    ("partnership_onward_referrals", "Housing", COUNTY, 0, "0"),
    ("partnership_onward_outcomes", "Accepted", COUNTY, 0, "0"),
    # Child development evidence (#20 item 5): no review in this quarter's data (tests/development/test_figures.py
    # works the section out by hand): counts of 0, shares not applicable (–).
    ("development_reviewed", "Children with an ASQ-3 review", COUNTY, 0, "0"),
    ("development_expected_level", "Communication", COUNTY, None, "–"),
    ("development_change", "Communication: moved up", COUNTY, 0, "0"),
    ("development_eyfs", "Good level of development", COUNTY, None, "–"),
    ("fund_spend_against_budget", "Council allocation: budget", COUNTY, "1000.00", "£1,000.00"),
    ("fund_spend_against_budget", "Council allocation: spent this year", B, "65.50", "[c]"),
    ("contract_budget", "Front line delivery (indicative 62.0%)", COUNTY, 62.0, "62.0%"),  # 1240 of 2000
    ("contract_budget", "Management and admin (including management fees) (indicative 22.0%)", COUNTY, 20.0, "20.0%"),
]


def test_every_figure_matches_the_hand_computation(both):
    computed, published = both
    wrong = []
    for code, label, area, value, shown in EXPECTED:
        found, seen = row(computed, code, label)["values"][area], row(published, code, label)["display"][area]
        if (found, seen) != (value, shown):
            wrong.append(f"{code} / {label} / {area}: got {found!r} shown {seen!r}")
    assert not wrong, "\n".join(wrong)


def test_every_kpi_of_the_quarterly_return_is_checked(figures):
    codes = {k["code"] for s in figures["sections"] for k in s["kpis"]}
    assert codes == {code for code, *_ in EXPECTED}


def test_baselines_from_2018_are_printed_beside_their_figures(figures):
    baseline = kpi(figures, "sessions_by_place")["baseline"][0]
    assert baseline["values"]["Broadland"] == 87 and baseline["values"][COUNTY] == 80
    assert kpi(figures, "sessions_by_offer")["baseline"][0]["values"][COUNTY] == 35


def test_a_lone_small_cell_is_hidden_with_the_next_smallest_under_one_symbol():
    from reporting import disclosure

    counts = {"label": "X", "unit": "count", "values": {"A": 3, "B": 12, "C": 40, COUNTY: 55}, "additive": True}
    figures = {
        "period": PERIOD,
        "districts": ["A", "B", "C"],
        "sections": [{"kpis": [{"code": "t", "unit": "count", "rows": [counts], "baseline": []}]}],
    }
    disclosure.protect(figures)
    assert counts["display"] == {"A": "[c]", "B": "[c]", "C": "40", COUNTY: "55"}


def test_same_data_gives_byte_identical_json_and_csv_and_the_same_pdf_figures(cast):
    build(cast)
    first = return_generate(period=parse_period(PERIOD))
    first_json, first_csv = figures_json(first.figures), first.csv.read()
    first_definitions = first.definitions_csv.open("rb").read()
    first_pdf_text = [page.extract_text() for page in PdfReader(first.pdf.open("rb")).pages]
    second = return_generate(period=parse_period(PERIOD))
    assert [page.extract_text() for page in PdfReader(second.pdf.open("rb")).pages] == first_pdf_text
    assert second.pk == first.pk and Return.objects.count() == 1  # one draft, refreshed
    assert figures_json(second.figures) == first_json
    assert second.csv.open("rb").read() == first_csv
    assert second.figures_sha256 == first.figures_sha256 and second.csv_sha256 == first.csv_sha256
    assert second.definitions_csv.open("rb").read() == first_definitions
    assert second.definitions_csv_sha256 == first.definitions_csv_sha256


def test_csv_and_pdf_show_the_same_suppressed_figures(cast, tmp_path):
    build(cast)
    generated = return_generate(period=parse_period(PERIOD))
    rows = list(csv.DictReader(io.StringIO(generated.csv.open("rb").read().decode())))
    assert list(rows[0]) == ["kpi", "period", "district", "breakdown", "value", "display", "protected"]
    assert {r["period"] for r in rows} == {PERIOD}
    lookup = {(r["kpi"], r["breakdown"], r["district"]): (r["value"], r["display"], r["protected"]) for r in rows}
    assert lookup[("referrals_by_source", "Health visitor", "Broadland")] == ("6", "6", "false")
    assert lookup[("referrals_by_source", "GP", "Norwich")] == ("", "[c]", "true")
    assert lookup[("triaged_within_timescale", "Triaged on time", "County")] == ("75.0", "75.0%", "false")
    # The table's total where its rows split one whole, and the 2018 baselines (never protected).
    total = kpi(generated.figures, "referrals_by_source")["headline"]
    assert total["protected"]  # a GP count is hidden in Norwich, so the county total would give it away
    assert lookup[("referrals_by_source", "Total", "County")] == ("", "[c]", "true")
    targeted = kpi(generated.figures, "sessions_by_offer")["baseline"][0]
    assert lookup[("sessions_by_offer", targeted["label"], "County")] == ("35.0", "35.0%", "false")
    assert "Kerry" not in generated.csv.open("rb").read().decode()
    # No value where the display is protected or not applicable; the definitions are in their own file, once each.
    assert all(r["value"] == "" for r in rows if r["protected"] == "true" or r["display"] in ("[c]", "–"))
    assert not any(r["value"].startswith("£") or r["value"].endswith("%") for r in rows)
    definitions = list(csv.DictReader(io.StringIO(generated.definitions_csv.open("rb").read().decode())))
    assert list(definitions[0]) == ["kpi", "title", "section", "unit", "definition"]
    codes = [k["code"] for s in generated.figures["sections"] for k in s["kpis"]]
    assert [d["kpi"] for d in definitions] == codes
    triage = next(d for d in definitions if d["kpi"] == "triaged_within_timescale")
    assert triage["title"] == "Referrals triaged within 3 working days" and triage["unit"] == "percent"
    assert triage["definition"] == kpi(generated.figures, "triaged_within_timescale")["definition"]

    text = "\n".join(page.extract_text() for page in PdfReader(generated.pdf.open("rb")).pages)
    for statement in (
        "Supporting children to achieve their developmental milestones",
        "Preventing more children aged 0-5 from experiencing neglect or emotional harm",
        "Increasing social mobility",
    ):
        assert statement in text
    assert "75.0%" in text and "83.3%" in text and "[c]" in text and "<5" not in text
    assert "2018 baseline" in text and "Definitions" in text
    assert "Page 1 of" in text
    for person in ("Kerry", "Alfie", "Fam0"):
        assert person not in text
    pdftotext = subprocess.run(["pdftotext", generated.pdf.path, "-"], capture_output=True, text=True)
    if pdftotext.returncode == 0:
        assert "75.0%" in pdftotext.stdout


def test_the_pdf_is_tagged_for_screen_readers(cast):
    """PDF/UA: a structure tree (headings, tables with header cells, figures with their text alternative), marked
    content, the language and the document's title shown in the title bar."""
    import pikepdf

    build(cast)
    generated = return_generate(period=parse_period(PERIOD))
    with pikepdf.open(generated.pdf.path) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en-GB"
        assert str(pdf.docinfo.Title) == f"{generated.figures['title']} – ECFS return"
        assert pdf.open_metadata().get("dc:title") == f"{generated.figures['title']} – ECFS return"
        assert root.ViewerPreferences.DisplayDocTitle is True
        kinds, alternatives = set(), []
        stack = [root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    kinds.add(str(node.S))
                    if node.S == "/Figure":
                        alternatives.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption", "/Figure"} <= kinds
    # Every chart says what it draws: the title of its KPI and the readings.
    assert alternatives and all(alternatives)
    assert any(text.startswith("Referrals triaged within 3 working days, county trend:") for text in alternatives)


def test_submitted_return_is_immutable_and_a_correction_is_a_new_version(cast):
    build(cast)
    draft = return_generate(period=parse_period(PERIOD))
    submitted = return_submit(a_return=draft, actor=cast.manager)
    assert submitted.status == Return.Status.SUBMITTED and submitted.submitted_by == cast.manager
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(submitted.pdf.open("rb")).pages)
    assert "DRAFT" not in pdf_text
    from ecfs.errors import ApplicationError

    with pytest.raises(ApplicationError, match="already been submitted"):
        return_submit(a_return=submitted, actor=cast.manager)
    correction = return_generate(period=parse_period(PERIOD))
    assert correction.pk != submitted.pk
    assert (correction.version, correction.replaces) == (2, submitted)
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.SUBMITTED and submitted.pdf and submitted.csv


def test_commissioner_downloads_submitted_returns_but_not_drafts(client, cast):
    build(cast)
    draft = return_generate(period=parse_period(PERIOD))
    client.force_login(cast.commissioner)
    assert client.get(reverse("return-pdf", args=[draft.uuid])).status_code == 404
    assert client.get(reverse("return-detail", args=[draft.uuid])).status_code == 404
    assert PERIOD not in client.get(reverse("return-list")).content.decode()
    return_submit(a_return=draft, actor=cast.manager)
    response = client.get(reverse("return-pdf", args=[draft.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert client.get(reverse("return-csv", args=[draft.uuid])).status_code == 200
    assert client.get(reverse("return-definitions-csv", args=[draft.uuid])).status_code == 200
    assert "75.0%" in client.get(reverse("county-dashboard")).content.decode()
    family = Return.objects.none()  # a commissioner sees no family
    assert not family
    from families.models import Family

    reference = Family.objects.first().reference
    assert client.get(reverse("family-detail", args=[reference])).status_code == 404
