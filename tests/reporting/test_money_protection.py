"""Issue #16 item 8: money paid to fewer than 5 families is protected like a small count.

Quarter 2 of 2025/26 (July to September 2025). In Broadland (Team A) six families are each given £20 for food
in August, and one of them is also given £300 towards rent: money a reader could tie to one family.
"""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bases.models import Team
from ecfs.roles import Role
from reporting import disclosure
from reporting.charts import _short
from reporting.figures import compute_figures, computed_figures
from reporting.formatting import format_value
from reporting.kpis import COUNTY
from reporting.periods import parse_period
from reporting.services import return_generate, return_submit
from support_fund import services as fund_services
from support_fund.models import Application, FundSource
from tests.factories import UserFactory
from tests.support_fund.factories import application, family_in_support

from .test_definitions import on

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
Q2 = parse_period("2025-Q2")
B, N = "Broadland", "Norwich"


def kpi(figures, code):
    return next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == code)


def row(figures, code, label):
    return next(r for r in kpi(figures, code)["rows"] if r["label"] == label)


def approve(cast, pending):
    approved = fund_services.application_approve(application=pending, actor=cast.manager)
    if approved.status == Application.Status.AWAITING_SECOND:  # over the payment limit: a second manager
        deputy = UserFactory(role=Role.MANAGER, email="deputy@example.org")
        Team.objects.create(name="Team A deputies", base=cast.team.base, manager=deputy)
        approved = fund_services.application_approve(application=pending, actor=deputy)
    assert approved.status == Application.Status.APPROVED
    return approved


@pytest.fixture
def one_housing_payment(cast):
    with on(date(2025, 7, 1)):
        fund_services.budget_create(
            financial_year=fund_services.financial_year_of(timezone.localdate()),
            source=FundSource.objects.get(name="Council allocation"),
            amount="2000.00",
            actor=cast.admin,
        )
    families = []
    for n in range(6):
        with on(date(2025, 7, 7 + n)):
            families.append(family_in_support(cast))
    for n, family in enumerate(families):
        with on(date(2025, 8, 4 + n)):
            approve(cast, application(cast, family, "20.00"))
    with on(date(2025, 8, 20)):
        approve(cast, application(cast, families[0], "300.00", category="housing"))


def test_a_single_familys_payment_is_not_readable_in_any_output(client, cast, one_housing_payment):
    with on(date(2025, 10, 1)):
        submitted = return_submit(a_return=return_generate(period=Q2), actor=cast.manager)
    figures = submitted.figures

    # By hand: rent, £300 to one family: hidden as a small count is, and not kept in the published figures.
    # Food, £120 to six families: shown.
    rent = row(figures, "fund_payments_by_category", "Rent or housing costs")
    assert (rent["values"][B], rent["display"][B], rent["display"][COUNTY]) == (None, "[c]", "[c]")
    food = row(figures, "fund_payments_by_category", "Food")
    assert (food["display"][B], food["display"][COUNTY]) == ("£120.00", "£120.00")
    # The category table's total (£420 less £120 would give the £300 away) is hidden under the same symbol.
    assert kpi(figures, "fund_payments_by_category")["headline"]["display"] == "[c]"
    # The year's spend in Broadland (£420) stays: within the quarter's return it only says that this quarter's
    # rent and the earlier quarters' spend there add up to £300 (the audit finds no hidden cell under 5 wide).
    spent = row(figures, "fund_spend_against_budget", "Council allocation: spent this year")
    assert (spent["display"][B], spent["display"][N]) == ("£420.00", "£0.00")
    assert row(figures, "fund_spend_against_budget", "Council allocation: budget")["display"][COUNTY] == "£2,000.00"
    assert disclosure.audit(figures) == []

    csv_text = submitted.csv.open("rb").read().decode()
    shown = {(r["kpi"], r["breakdown"], r["district"]): r for r in csv.DictReader(io.StringIO(csv_text))}
    rent_cell = shown[("fund_payments_by_category", "Rent or housing costs", B)]
    assert (rent_cell["value"], rent_cell["display"], rent_cell["protected"]) == ("", "[c]", "true")
    food_cell = shown[("fund_payments_by_category", "Food", B)]
    assert (food_cell["value"], food_cell["display"], food_cell["protected"]) == ("120.00", "£120.00", "false")
    assert shown[("fund_payments_by_category", "Total", COUNTY)]["value"] == ""
    pdf = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(submitted.pdf.open("rb")).pages))
    client.force_login(cast.commissioner)
    dashboard = client.get(reverse("county-dashboard")).content.decode()
    detail = client.get(reverse("return-detail", args=[submitted.uuid])).content.decode()
    for text in (csv_text, pdf, dashboard, detail):
        assert "£300" not in text
        assert "[c]" in text


def published_texts(figures) -> set[str]:
    """Every amount the published figures show, as the tables (``£1,149.00``) and the charts (``£1,149``) write it."""
    shown = set()
    for section in figures["sections"]:
        for item in section["kpis"]:
            for published in item["baseline"] + item["rows"]:
                for area, text in published["display"].items():
                    shown.add(text)
                    if published["unit"] == "money" and published["values"][area] is not None:
                        shown.add(_short(published["values"][area], "money"))
            if item.get("headline"):
                shown.add(item["headline"]["display"])
    for point in figures["trend"]:
        shown.update(_short(value, "money") for value in point["values"].values() if value is not None)
    return shown


def test_no_text_in_the_pdf_shows_a_protected_amount(cast, one_housing_payment):
    """The PDF's text (tables, summaries and the charts' labels) never shows what a protected money cell holds:
    its amount is found nowhere unless a published cell shows the same amount."""
    with on(date(2025, 10, 1)):
        generated = return_generate(period=Q2)
        raw = computed_figures(Q2)  # the unprotected computation: only to know what must not appear
    published = generated.figures
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(generated.pdf.open("rb")).pages))
    allowed = published_texts(published)
    checked = []
    for section, raw_section in zip(published["sections"], raw["sections"], strict=True):
        for item, raw_item in zip(section["kpis"], raw_section["kpis"], strict=True):
            cells = [
                (published_row["label"], area, raw_row["values"][area])
                for published_row, raw_row in zip(item["rows"], raw_item["rows"], strict=True)
                if published_row["unit"] == "money"
                for area in published_row["protected"]
            ]
            if item["unit"] == "money" and item["headline_total"] and item["headline"]["protected"]:
                cells.append(("Total", COUNTY, raw_item["headline"]["value"]))
            for label, area, value in cells:
                for amount in (format_value(value, "money"), _short(value, "money")):
                    if amount in allowed:  # the same amount is published elsewhere (e.g. Broadland's £420 spent)
                        continue
                    assert not re.search(re.escape(amount) + r"(?![\d,])", text), (item["code"], label, area, amount)
                    checked.append(amount)
    # Not vacuous: the rent (£300 in Broadland and the county) was checked, in both spellings.
    assert {"£300.00", "£300"} <= set(checked)
    # And the rent's row reads, beside its label, exactly what was published: [c] for Broadland and the county.
    rent = row(published, "fund_payments_by_category", "Rent or housing costs")
    shown = [rent["display"][area] for area in [*published["districts"], COUNTY]]
    assert (rent["display"][B], rent["display"][COUNTY]) == ("[c]", "[c]")
    assert " ".join(["Rent or housing costs", *shown]) in text


def test_money_from_five_families_is_shown(cast, one_housing_payment):
    with on(date(2025, 10, 1)):
        figures = compute_figures(Q2, with_trend=False)
    assert row(figures, "fund_payments_by_category", "Food")["display"][B] == "£120.00"


@pytest.mark.parametrize(
    ("families", "shown"),
    [
        # One district paid to 2 families: hidden, and the next smallest sum with it so the county total
        # cannot give it away; both under the one symbol.
        ({"A": 2, "B": 6, "C": 9, COUNTY: 17}, {"A": "[c]", "B": "[c]", "C": "£900.00", COUNTY: "£1,250.00"}),
        # Nobody paid in A: zeros are shown, nothing needs hiding.
        ({"A": 0, "B": 6, "C": 9, COUNTY: 15}, {"A": "£0.00", "B": "£100.00", "C": "£900.00", COUNTY: "£1,000.00"}),
    ],
    ids=["one-small-district", "no-small-district"],
)
def test_money_row_hides_the_next_smallest_sum_beside_a_lone_small_one(families, shown):
    amounts = {"A": "250.00", "B": "100.00", "C": "900.00", COUNTY: "1250.00"}
    if families["A"] == 0:
        amounts = {"A": "0.00", "B": "100.00", "C": "900.00", COUNTY: "1000.00"}
    money = {"label": "Food", "unit": "money", "values": amounts, "bases": families, "additive": True}
    figures = {
        "period": "2026-07",
        "districts": ["A", "B", "C"],
        "sections": [{"kpis": [{"code": "fund", "unit": "money", "rows": [money], "baseline": []}]}],
    }
    disclosure.protect(figures)
    assert money["display"] == shown
    assert disclosure.audit(figures) == []
