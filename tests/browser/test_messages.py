"""Messages pages in Chromium (#18): a worker chooses what they are sent (a missing answer is named in the
error summary), a manager stops a family's reminders from its Messages page, and the family's own link in a
reminder stops them; axe-core on every page."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from notifications.services import stop_reminders_link
from tests.referrals.factories import allocated_referral

from . import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preferences_the_familys_messages_and_stopping_reminders(tab, cast):
    family = allocated_referral(
        team=cast.team, manager=cast.manager, worker=cast.worker, referrer_email="jo@nhs.example"
    ).family
    family.safe_contact_channel, family.contact_phone, family.reminders_wanted = "text", "07700900123", True
    family.save()

    sign_in(tab, cast.worker)
    tab.goto("/account/")
    tab.get_by_role("link", name="Choose which messages you are sent, and when").click()
    expect(tab.get_by_role("heading", name="Messages you are sent")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("group", name="When a family is allocated to you").get_by_label("In my daily digest at 7am").check()
    tab.evaluate("document.querySelectorAll('input[name=fund_awaiting]').forEach(i => i.checked = false)")
    tab.get_by_role("button", name="Save preferences").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose how to be told when a fund application is waiting for your decision")
    assert_accessible(tab)
    tab.get_by_role("group", name="When a fund application is waiting for your decision").get_by_label(
        "Not at all"
    ).check()
    tab.get_by_role("button", name="Save preferences").click()
    expect(tab.locator(".govuk-notification-banner")).to_contain_text("Your message preferences are saved")
    sign_out(tab)

    sign_in(tab, cast.manager)
    tab.goto(f"/families/{family.reference}/")
    tab.get_by_role("tab", name="Timeline").click()
    tab.get_by_role("link", name="Messages sent to or about the family").click()
    expect(tab.get_by_role("table", name="Messages")).to_contain_text("Outcome of a referral (to the referrer)")
    expect(tab.get_by_role("table", name="Messages")).not_to_contain_text("jo@nhs.example")
    assert_accessible(tab)
    tab.get_by_role("button", name="Stop reminders").click()
    expect(tab.locator(".govuk-notification-banner")).to_contain_text("Reminders stopped")
    expect(tab.get_by_text("Off: the family is not sent reminders.")).to_be_visible()
    assert_accessible(tab)
    sign_out(tab)

    family.reminders_wanted = True
    family.save()
    tab.goto(urlsplit(stop_reminders_link(family)).path)  # the link's path, on the test server
    expect(tab.get_by_role("heading", name="Stop reminders")).to_be_visible()
    expect(tab.locator("main")).not_to_contain_text(family.reference)
    assert_accessible(tab)
    tab.get_by_role("button", name="Stop reminders").click()
    expect(tab.get_by_role("heading", name="Reminders stopped")).to_be_visible()
    assert_accessible(tab)
    family.refresh_from_db()
    assert family.reminders_wanted is False
