"""Two-factor in the browser: a team manager sets up an authenticator app at their first sign-in, saves the
recovery codes, and signs in again with one of them; every page is checked with axe."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD

from . import assert_accessible, assert_no_horizontal_scroll, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(setup_key: str) -> str:
    """What an authenticator app shows now for the key typed from the setup page."""
    totp = TOTP(b32decode(setup_key.replace(" ", "")))
    return str(totp.token()).zfill(6)


def password_step(tab, user):
    tab.goto("/sign-in/")
    tab.get_by_label("Email address").fill(user.email)
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()


def test_manager_sets_up_two_factor_then_signs_in_with_a_recovery_code(tab, cast):
    password_step(tab, cast.manager)
    expect(tab.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(tab.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_accessible(tab)
    tab.set_viewport_size({"width": 375, "height": 800})
    assert_no_horizontal_scroll(tab)
    tab.set_viewport_size({"width": 1280, "height": 900})

    tab.get_by_label("Code from your authenticator app").fill("12")
    tab.get_by_role("button", name="Confirm").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the code as 6 numbers")
    assert_accessible(tab)

    tab.get_by_label("Code from your authenticator app").fill(app_code(tab.locator("#setup-key").inner_text()))
    tab.get_by_role("button", name="Confirm").click()
    expect(tab.get_by_role("heading", name="Two-factor authentication is on")).to_be_visible()
    codes = tab.locator("main li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(tab)
    tab.get_by_role("button", name="I have saved my recovery codes").click()
    expect(tab.get_by_role("heading", name="Your teams")).to_be_visible()
    sign_out(tab)

    password_step(tab, cast.manager)
    expect(tab.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    tab.get_by_role("button", name="Continue").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter the 6-digit code from your authenticator app")
    assert_accessible(tab)
    tab.get_by_role("link", name="I do not have my phone: use a recovery code").click()
    tab.get_by_label("Recovery code").fill(codes[0])
    tab.get_by_role("button", name="Continue").click()
    expect(tab.get_by_text("You signed in with a recovery code")).to_be_visible()
    expect(tab.get_by_role("heading", name="Your teams")).to_be_visible()

    tab.goto("/account/")
    expect(tab.get_by_text("You have 9 unused recovery codes")).to_be_visible()
    assert_accessible(tab)
