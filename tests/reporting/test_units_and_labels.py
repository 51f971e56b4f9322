"""Issue #16 item 7: what a commissioner reads says what the number is.

Mean changes are points on the 1–10 scales, targets read as targets, summaries lead with a table's total
and say which impact a repeated figure belongs to, and the returns list says which version replaced one.
The period is quarter 2 of 2025/26 (July to September 2025); every family is in Broadland (Team A).
"""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from referrals.models import Source
from reporting.formatting import format_value
from reporting.kpis import COUNTY
from reporting.models import KpiTarget
from reporting.periods import parse_period
from reporting.services import return_generate, return_submit
from tests.families.factories import scores
from tests.referrals.factories import received_referral

from .test_definitions import family_with_plan, on

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
Q2 = parse_period("2025-Q2")
AFTER_Q2 = date(2025, 10, 1)  # the first working day after the quarter


def kpi(figures, code):
    return next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == code)


def pdf_text(a_return) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(a_return.pdf.open("rb")).pages)
    return re.sub(r"\s+", " ", text)


def csv_rows(a_return) -> list[dict]:
    return list(csv.DictReader(io.StringIO(a_return.csv.open("rb").read().decode())))


def submitted_return(cast):
    with on(AFTER_Q2):
        return return_submit(a_return=return_generate(period=Q2), actor=cast.manager)


def five_closed_plans(cast):
    """Five plans in Broadland closed in August. Every plan has one goal in impact 1 (social networks) and one in
    impact 2 (parental mental health), scored 3 at the start. Four close at 6 (+3), one at 2 (−1)."""
    from families.support import services as support_services

    for n, closing in enumerate((6, 6, 6, 6, 2)):
        family = family_with_plan(cast, activated=date(2025, 5, 6 + n))
        plan = family.plans.get()
        with on(date(2025, 8, 4 + n)):
            support_services.plan_request_closure(
                plan=plan,
                reason="needs_met",
                summary="Support ended",
                scores=scores(plan, closing),
                assessed_on=date(2025, 8, 4 + n),
                actor=cast.worker,
            )
            support_services.plan_approve_closure(plan=plan, actor=cast.manager)


def test_mean_change_reads_signed_points_not_percent(cast):
    five_closed_plans(cast)
    submitted = submitted_return(cast)

    # By hand, for each impact: (3 + 3 + 3 + 3 - 1) / 5 needs = +2.2 points on the 1-10 scale.
    mean = kpi(submitted.figures, "impact1_improvement")["rows"][1]
    assert mean["label"] == "Mean change in score per need"
    assert (mean["values"][COUNTY], mean["display"][COUNTY]) == (2.2, "+2.2 points")
    shown = {(r["kpi"], r["breakdown"], r["district"]): r for r in csv_rows(submitted)}
    cell = shown[("impact1_improvement", "Mean change in score per need", COUNTY)]
    assert (cell["value"], cell["display"]) == ("2.2", "+2.2 points")
    text = pdf_text(submitted)
    assert "+2.2 points" in text
    assert "2.2%" not in text


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.94, "+0.9 points"), (-0.4, "-0.4 points"), (0.0, "0.0 points"), (3, "+3.0 points")],
    ids=["rise", "fall", "no-change", "whole"],
)
def test_a_change_in_points_is_signed_with_one_decimal(value, shown):
    assert format_value(value, "points") == shown


def test_target_reads_at_least_sixty_percent(client, cast):
    KpiTarget.objects.create(code="triaged_within_timescale", direction=KpiTarget.Direction.AT_LEAST, value=60)
    submitted = submitted_return(cast)

    assert kpi(submitted.figures, "triaged_within_timescale")["target"]["text"] == "at least 60%"
    text = pdf_text(submitted)
    assert "Target: at least 60%" in text
    assert "atleast" not in text.lower() and "60.00" not in text
    client.force_login(cast.commissioner)
    page = client.get(reverse("return-detail", args=[submitted.uuid])).content.decode()
    assert "target at least 60%" in page


def test_summaries_headline_the_total_of_a_table_not_its_first_row(client, cast):
    # Six referrals from health visitors (the first row) and five from schools: 11 in all, by hand.
    for n, source in enumerate([Source.HEALTH_VISITOR] * 6 + [Source.SCHOOL] * 5):
        with on(date(2025, 7, 7 + n)):
            received_referral(team=cast.team, actor=cast.manager, source=source)
    submitted = submitted_return(cast)

    headline = kpi(submitted.figures, "referrals_by_source")["headline"]
    assert (headline["label"], headline["value"], headline["display"]) == ("Total", 11, "11")
    text = pdf_text(submitted)
    assert "Referrals received by source 11 total (county)" in text
    assert "Referrals received by source 6 health visitor (county)" not in text
    # The trend chart beside it plots the same figure, not the first row's 6.
    assert submitted.figures["trend"][-1]["values"]["referrals_by_source"] == 11
    client.force_login(cast.commissioner)
    dashboard = re.sub(r"\s+", " ", client.get(reverse("county-dashboard")).content.decode())
    assert re.search(r"Referrals received by source</dt><dd[^>]*>11 <span[^>]*>\(total\)", dashboard)


def test_a_total_is_hidden_when_a_cell_it_adds_up_is_hidden(cast):
    # Six from health visitors and two from a GP (<5): a total of 8 would give the 2 away.
    for n, source in enumerate([Source.HEALTH_VISITOR] * 6 + [Source.GP] * 2):
        with on(date(2025, 7, 7 + n)):
            received_referral(team=cast.team, actor=cast.manager, source=source)
    submitted = submitted_return(cast)

    headline = kpi(submitted.figures, "referrals_by_source")["headline"]
    assert (headline["value"], headline["display"]) == (None, "[c]")  # hidden, and not kept in the figures
    assert "Referrals received by source 8 total" not in pdf_text(submitted)


def test_a_repeated_figure_says_which_impact_it_belongs_to(client, cast):
    submitted = submitted_return(cast)

    text = pdf_text(submitted)
    for number in (1, 2, 3):
        assert f"Plans closed with improved scores (impact {number}:" in text
    client.force_login(cast.commissioner)
    dashboard = client.get(reverse("county-dashboard")).content.decode()
    assert "Plans closed with improved scores (impact 2: Preventing more children" in dashboard


def test_returns_list_says_which_version_replaced_a_return(client, cast):
    first = submitted_return(cast)
    with on(date(2025, 10, 20)):
        correction = return_generate(period=Q2)
    client.force_login(cast.commissioner)
    # A draft correction replaces nothing yet.
    assert "replaced by version" not in client.get(reverse("return-list")).content.decode()

    with on(date(2025, 10, 20)):
        return_submit(a_return=correction, actor=cast.manager)
    listing = re.sub(r"\s+", " ", client.get(reverse("return-list")).content.decode())
    assert "1 (correction)" not in listing
    assert re.search(r">1, replaced by version 2<", listing)
    assert re.search(r">2 \(correction\)<", listing)
    detail = client.get(reverse("return-detail", args=[first.uuid])).content.decode()
    assert "replaced by version 2" in detail
