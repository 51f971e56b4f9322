"""The contract journey: a manager generates and submits the quarterly return; a commissioner downloads it."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reporting.models import Return
from tests.referrals.factories import allocated_referral

from . import assert_accessible, screenshot, sign_in, sign_out
from .test_journeys import expect_success, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPACT_STATEMENTS = (
    "Supporting children to achieve their developmental milestones",
    "Preventing more children aged 0-5 from experiencing neglect or emotional harm",
    "Increasing social mobility",
)


def test_manager_submits_the_quarterly_return_and_a_commissioner_downloads_it(tab, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family

    sign_in(tab, cast.manager)
    nav(tab, "Returns")
    assert_accessible(tab)
    tab.get_by_label("Quarterly").check()
    tab.get_by_role("button", name="Generate draft").click()
    expect(tab.get_by_text("The draft is ready.")).to_be_visible(timeout=60_000)
    tab.get_by_role("link", name="Review the draft").click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Quarter")
    assert_accessible(tab)
    screenshot(tab, "return-draft")
    tab.get_by_label("I understand a submitted return cannot be changed").check()
    tab.get_by_role("button", name="Submit to the council").click()
    expect_success(tab, "submitted to the council")
    submitted = Return.objects.get()
    assert submitted.status == Return.Status.SUBMITTED and submitted.kind == "quarterly"
    sign_out(tab)

    sign_in(tab, cast.commissioner)
    nav(tab, "Returns")
    assert_accessible(tab)
    with tab.expect_download() as download_info:
        tab.get_by_role("link", name=f"PDF of {submitted.period_title} version 1").click()
    with open(download_info.value.path(), "rb") as downloaded:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(downloaded.read())).pages)
    for statement in IMPACT_STATEMENTS:
        assert statement in text
    assert "DRAFT" not in text

    nav(tab, "Dashboard")
    expect(tab.get_by_role("heading", name="County dashboard")).to_be_visible()
    assert_accessible(tab)

    response = tab.goto(f"/families/{family.reference}/")
    assert response.status == 404
    expect(tab.get_by_role("heading", name="Page not found")).to_be_visible()
