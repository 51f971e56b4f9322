"""The public request for support in Chromium (#18 item 1): a health visitor refers a family at 768 px by keyboard
alone, and the manager finds it in the triage queue with its source and the duplicate check; a parent asks for
help and *Exit this page* takes them away and forgets their answers; axe finds nothing on any page."""

import re

import pytest
from playwright.sync_api import Page, expect

from referrals.models import Referral
from tests.frontdoor.journeys import area_for, child_born
from tests.referrals.factories import accepted_referral

from . import assert_accessible, assert_no_horizontal_scroll, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXIT_PAGE = "https://www.bbc.co.uk/weather"


def _is_focused(page: Page, locator) -> bool:
    return locator.evaluate("(element) => element === document.activeElement")


def tab_to(page: Page, locator, *, limit: int = 120) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user moves through the page."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _is_focused(page, locator):
            return
    raise AssertionError(f"Tab never reached {locator}")


def type_into(page: Page, label: str, text: str, *, exact: bool = True) -> None:
    field = page.get_by_label(label, exact=exact)
    tab_to(page, field)
    page.keyboard.type(text)


def choose(page: Page, label: str) -> None:
    """A radio: Tab into its group, then the arrow keys to the wanted one (they check as they move)."""
    wanted = page.get_by_label(label, exact=True)
    group = page.locator(f"input[name='{wanted.get_attribute('name')}']")
    tab_to(page, group.first)
    for _ in range(group.count() + 1):
        if wanted.is_checked():
            return
        page.keyboard.press("ArrowDown")
    assert wanted.is_checked(), label


def tick(page: Page, label: str) -> None:
    box = page.get_by_label(label, exact=True)
    tab_to(page, box)
    page.keyboard.press("Space")
    assert box.is_checked(), label


def select(page: Page, label: str, option_value: str) -> None:
    field = page.get_by_label(label, exact=True)
    values = field.locator("option").evaluate_all("(options) => options.map((o) => o.value)")
    tab_to(page, field)
    for _ in range(values.index(option_value)):
        page.keyboard.press("ArrowDown")
    assert field.input_value() == option_value


def date_by_keyboard(page: Page, prefix: str, when) -> None:
    tab_to(page, page.locator(f"#id_{prefix}_day"))
    page.keyboard.type(str(when.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(when.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(when.year))


def press_button(page: Page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name))
    page.keyboard.press("Enter")


def checked_page(page: Page, heading: str, shot: str | None = None) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    if shot:
        screenshot(page, shot)


def test_a_health_visitor_refers_a_family_by_keyboard_and_the_manager_finds_it(tab: Page, cast):
    known = accepted_referral(team=cast.team, manager=cast.manager).family
    child = known.members.get(kind="child")
    tab.set_viewport_size({"width": 768, "height": 1024})
    tab.goto("/request-support/")
    checked_page(tab, "Ask for support for a family with young children", "request-support-start")
    choose(tab, "A professional referring a family")
    press_button(tab, "Start now")

    checked_page(tab, "Which service do you work for?")
    press_button(tab, "Continue")  # nothing chosen: the error names the question
    expect(tab.get_by_role("link", name="Select the service you work for")).to_be_visible()
    checked_page(tab, "Which service do you work for?", "request-support-error")
    choose(tab, "Health visitor")
    press_button(tab, "Continue")

    checked_page(tab, "Your details")
    type_into(tab, "Your full name", "Jo Health")
    type_into(tab, "Organisation", "Norfolk Healthy Child Programme")
    type_into(tab, "Job title", "Health visitor")
    type_into(tab, "Work email address", "jo.health@nhs.example")
    type_into(tab, "Work phone number", "01603 123456")
    press_button(tab, "Continue")

    checked_page(tab, "Has the family agreed to this referral?")
    choose(tab, "Yes")
    press_button(tab, "Continue")

    checked_page(tab, "The children", "request-support-children")
    type_into(tab, "First child: first name", child.first_name)
    type_into(tab, "First child: last name", child.last_name)
    date_by_keyboard(tab, "child_date", child.date_of_birth)
    press_button(tab, "Continue")

    checked_page(tab, "The parents or carers")
    type_into(tab, "Parent or carer: first name", "Kerry")
    type_into(tab, "Parent or carer: last name", child.last_name)
    press_button(tab, "Continue")

    checked_page(tab, "The family's address")
    type_into(tab, "Address line 1", "12 Market Street")
    type_into(tab, "Town or village", "Norwich")
    type_into(tab, "Postcode", known.postcode)
    press_button(tab, "Continue")

    checked_page(tab, "Which town is nearest to the family?")
    select(tab, "Which town is nearest to the family?", area_for(cast.team))
    press_button(tab, "Continue")

    checked_page(tab, "The family's language")
    type_into(tab, "Which language does the family speak at home?", "English")
    choose(tab, "No")
    press_button(tab, "Continue")

    checked_page(tab, "Why the family needs support")
    tick(tab, "Isolation: few friends or family to turn to")
    type_into(tab, "What is happening for the family?", "Mum is isolated since the baby arrived.")
    press_button(tab, "Continue")

    checked_page(tab, "How urgent is it?")
    choose(tab, "Routine: we aim to contact the family within 10 working days")
    press_button(tab, "Continue")

    checked_page(tab, "Contacting")  # "How is it safe to contact the family?" is the first question
    choose(tab, "Text message")
    type_into(tab, "The family's phone number", "07700 900982")
    press_button(tab, "Continue")

    checked_page(tab, "Check your answers before sending", "request-support-check")
    assert Referral.objects.count() == 1  # only the known family's: nothing sent yet
    press_button(tab, "Send")

    checked_page(tab, "Referral sent", "request-support-sent")
    reference = tab.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"REF-\d{6}", reference)
    assert child.first_name not in tab.locator("main").inner_text()

    tab.context.clear_cookies()
    tab.set_viewport_size({"width": 1280, "height": 900})
    sign_in(tab, cast.manager)
    tab.goto("/referrals/")
    row = tab.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Health visitor")
    row.get_by_role("link", name=reference).click()
    expect(tab.get_by_text("through the online request form")).to_be_visible()
    expect(tab.get_by_role("heading", name="Possible matches with families already known")).to_be_visible()
    expect(tab.get_by_role("cell", name=known.reference)).to_be_visible()
    assert_accessible(tab)


def _family_route(tab: Page, cast) -> None:
    """The parent's route, checking Exit this page and axe on every page."""
    born = child_born()

    def page_checks(heading):
        expect(tab.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(tab.get_by_role("button", name="Exit this page")).to_be_visible()
        assert_accessible(tab)

    tab.goto("/request-support/")
    tab.get_by_label("A parent or carer asking for help").check()
    tab.get_by_role("button", name="Start now").click()
    page_checks("Your children under 5")
    tab.get_by_role("button", name="Continue").click()
    expect(tab.get_by_role("link", name="Enter at least one child under 5")).to_be_visible()
    page_checks("Your children under 5")
    screenshot(tab, "request-support-family-children")
    tab.get_by_label("First child: first name").fill("Maisie")
    tab.get_by_label("First child: last name").fill("Clarke")
    tab.locator("#id_child_date_day").fill(str(born.day))
    tab.locator("#id_child_date_month").fill(str(born.month))
    tab.locator("#id_child_date_year").fill(str(born.year))
    tab.get_by_role("button", name="Continue").click()
    page_checks("Your name")
    tab.get_by_label("Your first name").fill("Leanne")
    tab.get_by_label("Your last name").fill("Clarke")
    tab.get_by_role("button", name="Continue").click()
    page_checks("Your address")
    tab.get_by_label("Address line 1").fill("3 Quay Road")
    tab.get_by_label("Town or village").fill("Norwich")
    tab.get_by_label("Postcode").fill("NR1 1AA")
    tab.get_by_role("button", name="Continue").click()
    page_checks("Which town is nearest?")
    tab.get_by_label("Which town is nearest?").select_option(area_for(cast.team))
    tab.get_by_role("button", name="Continue").click()
    page_checks("Your language")
    tab.get_by_label("Which language would you like us to use?").fill("Polish")
    tab.get_by_label("Yes").check()
    tab.get_by_role("button", name="Continue").click()
    page_checks("What would you like help with?")
    tab.get_by_label("Feeling alone, meeting other parents").check()
    tab.get_by_role("button", name="Continue").click()
    page_checks("Can we share what you tell us with other people who support your family?")
    tab.get_by_label("Yes").check()
    tab.get_by_role("button", name="Continue").click()
    page_checks("Contacting you safely")
    tab.get_by_label("Do not contact").check()
    tab.get_by_role("button", name="Continue").click()
    page_checks("Check your answers before sending")
    screenshot(tab, "request-support-family-check")
    tab.get_by_role("button", name="Send").click()
    page_checks("Request sent")


def test_a_parent_asks_for_help_and_exit_this_page_leaves_and_forgets(tab: Page, cast):
    tab.route(
        f"{EXIT_PAGE}**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!DOCTYPE html><html lang='en'><title>Weather</title></html>"
        ),
    )
    _family_route(tab, cast)
    assert Referral.objects.get().source == "self"

    # A second request, begun and then left in a hurry: the answers are gone from this browser.
    tab.goto("/request-support/family/children/")
    tab.get_by_label("First child: first name").fill("Maisie")
    tab.get_by_label("First child: last name").fill("Clarke")
    tab.locator("#id_child_date_day").fill("1")
    tab.locator("#id_child_date_month").fill("1")
    tab.locator("#id_child_date_year").fill(str(child_born().year))
    tab.get_by_role("button", name="Continue").click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Your name")
    tab.get_by_role("button", name="Exit this page").click()
    expect(tab).to_have_url(re.compile(r"^https://www\.bbc\.co\.uk/weather"))
    tab.goto("/request-support/family/children/")
    expect(tab.get_by_label("First child: first name")).to_have_value("")


def test_exit_this_page_answers_three_presses_of_shift(tab: Page, cast):
    tab.route(
        f"{EXIT_PAGE}**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!DOCTYPE html><html lang='en'><title>Weather</title></html>"
        ),
    )
    tab.goto("/request-support/family/children/")
    tab.locator("body").click()
    for _ in range(3):
        tab.keyboard.press("Shift")
    expect(tab).to_have_url(re.compile(r"^https://www\.bbc\.co\.uk/weather"))


def test_the_other_pages_are_accessible(tab: Page, cast):
    tab.goto("/request-support/professional/consent-needed/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("You need the family's agreement first")
    assert_accessible(tab)
    tab.goto("/request-support/professional/contact/")
    tab.get_by_label("Email", exact=True).check()
    tab.get_by_role("button", name="Continue").click()
    expect(tab.get_by_role("link", name="Enter the family's email address")).to_be_visible()
    assert_accessible(tab)
