"""The service admin adds a family support worker on one page; the worker opens the one-time link, chooses a
password and signs in (#17 item 11). Every page is checked with axe."""

import pytest
from playwright.sync_api import expect

from . import assert_accessible, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long new password 2026"


def test_admin_adds_a_worker_who_then_signs_in_with_the_link(tab, cast):
    sign_in(tab, cast.admin)
    tab.get_by_role("link", name="Staff", exact=True).click()
    expect(tab.get_by_role("heading", name="Staff", exact=True)).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("link", name="Add a member of staff").click()
    tab.get_by_role("button", name="Add member of staff").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter a first name")
    assert_accessible(tab)

    tab.get_by_label("First name").fill("Nia")
    tab.get_by_label("Last name").fill("Okafor")
    tab.get_by_label("Email address").fill("nia.okafor@example.org")
    tab.get_by_label("Family support worker").check()
    tab.get_by_label("Team and base").select_option(label=f"Team A ({cast.team.base.name})")
    tab.get_by_role("button", name="Add member of staff").click()
    expect(tab.get_by_text("Send this link to nia.okafor@example.org")).to_be_visible()
    assert_accessible(tab)
    link = tab.locator("#set-password-link").inner_text()
    sign_out(tab)

    tab.goto(link)
    expect(tab.get_by_role("heading", name="Choose your password")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_label("Choose a password").fill(PASSWORD)
    tab.get_by_label("Enter the password again").fill(PASSWORD)
    tab.get_by_role("button", name="Set password").click()
    expect(tab.get_by_text("Your password is set")).to_be_visible()

    tab.get_by_label("Email address").fill("nia.okafor@example.org")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.get_by_role("heading", name="Your work")).to_be_visible()

    sign_out(tab)
    tab.goto(link)
    expect(tab.get_by_role("heading", name="This link does not work")).to_be_visible()
