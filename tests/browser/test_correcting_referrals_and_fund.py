"""Issue #17 item 3 in Chromium: a team manager corrects a referral's details and a fund payment with a reason,
sees what was there before, and axe-core finds no WCAG 2.2 A/AA violation on the pages on the way (the correction
pages with and without an error, the referral and the application with their corrections)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from support_fund import services as fund_services
from tests.referrals.factories import received_referral
from tests.support_fund.factories import application, budget, family_in_support

from . import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_corrects_a_referrer_and_sees_the_correction(tab, cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    sign_in(tab, cast.manager)
    tab.goto(f"/referrals/{referral.uuid}/")
    tab.get_by_role("button", name="Correct the referral's details").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Correct the referral's details")
    assert_accessible(tab)

    tab.get_by_role("button", name="Save the correction").click()  # no reason given
    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Say why the referral is being corrected")
    assert_accessible(tab)

    tab.get_by_label("Referrer's name").fill("Jo Healey")
    tab.get_by_label("Why are you correcting it?").fill("Name misspelt on the call")
    tab.get_by_role("button", name="Save the correction").click()
    expect(tab.locator(".govuk-notification-banner")).to_contain_text("corrected")
    corrections = tab.locator(".ecfs-amendments")
    expect(corrections).to_contain_text(f"by {cast.manager.get_full_name()}: Name misspelt on the call")
    corrections.get_by_text("What was there before").click()
    expect(corrections).to_contain_text("was Jo Health; now Jo Healey")
    assert_accessible(tab)


def test_a_manager_corrects_a_payment_and_sees_the_correction(tab, cast):
    family = family_in_support(cast)
    budget(cast, "500.00")
    paid = fund_services.application_record_payment(
        application=fund_services.application_approve(application=application(cast, family), actor=cast.manager),
        paid_on=timezone.localdate(),
        reference="PAY-001",
        actor=cast.manager,
    )
    sign_in(tab, cast.manager)
    tab.goto(f"/fund/applications/{paid.uuid}/")
    tab.get_by_role("button", name="Correct the payment").click()
    assert_accessible(tab)
    tab.get_by_label("Amount in pounds").fill("38.75")
    tab.get_by_label("Payment reference").fill("PAY-0001")
    tab.get_by_label("Why are you correcting it?").fill("Bank statement")
    tab.get_by_role("button", name="Save the correction").click()
    corrections = tab.locator(".ecfs-amendments")
    expect(corrections).to_contain_text("Bank statement")
    corrections.get_by_text("What was there before").click()
    expect(corrections).to_contain_text("was £40.00; now £38.75")
    expect(corrections).to_contain_text("was PAY-001; now PAY-0001")
    assert_accessible(tab)
    screenshot(tab, "fund-payment-corrected")
