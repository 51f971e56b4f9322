"""A team manager triages by keyboard alone on a laptop (1024 px) and a tablet (768 px) (issue #17): filters the
triage queue, opens a referral, decides and allocates with Tab, Shift+Tab, Enter, Space and the arrow keys; every
stop on the way shows the GOV.UK focus style; axe-core and no sideways scroll on every page at each width."""

import re

import pytest
from playwright.sync_api import Page, expect

from referrals.models import Referral, Source
from tests.referrals.factories import default_people, received_referral

from . import assert_accessible, assert_no_horizontal_scroll, focused, sign_in
from .test_keyboard import press_tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press_shift_tab_until(page: Page, done, *, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab")
        stop = focused(page)
        assert stop["focusVisible"], f"no visible focus style on {stop}"
        if done(stop):
            return
    raise AssertionError(f"not reached in {limit} presses of Shift+Tab")


def choose_by_arrows(page: Page, read, value: str, *, limit: int = 30) -> None:
    """On a focused select or radio group: the arrow keys move the choice until ``read()`` is ``value``."""
    if read() in (None, ""):
        page.keyboard.press("Space" if focused(page)["type"] == "radio" else "ArrowDown")
    for _ in range(limit):
        if read() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value!r} not reached with the arrow keys (at {read()!r})")


def checked(page: Page, name: str):
    return lambda: page.evaluate(f"document.querySelector('input[name={name}]:checked')?.value ?? null")


def selected(page: Page, select_id: str):
    return lambda: page.locator(f"#{select_id}").input_value()


def on_page(page: Page) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


@pytest.mark.parametrize("width", [1024, 768])
def test_manager_filters_the_queue_opens_decides_and_allocates_by_keyboard_alone(tab, cast, width):
    received_referral(team=cast.team, actor=cast.worker)  # from a health visitor: filtered out below
    school = received_referral(team=cast.team, actor=cast.worker, source=Source.SCHOOL, people=default_people("Bird"))
    tab.set_viewport_size({"width": width, "height": 900})
    sign_in(tab, cast.manager)
    tab.goto("/referrals/")
    expect(tab.get_by_role("heading", name="Triage queue")).to_be_visible()
    on_page(tab)

    # The filter: shown, the source chosen, applied.
    press_tab_until(tab, lambda stop: stop["tag"] == "button" and stop["text"] == "Show filter")
    tab.keyboard.press("Enter")
    expect(tab.locator(".moj-filter-layout__filter")).to_be_visible()
    on_page(tab)
    press_tab_until(tab, lambda stop: stop["id"] == "filter-source")
    choose_by_arrows(tab, selected(tab, "filter-source"), Source.SCHOOL)
    press_shift_tab_until(tab, lambda stop: stop["tag"] == "button" and stop["text"] == "Apply filters")
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(re.compile(r"[?&]source=school"))
    rows = tab.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(school.reference)
    on_page(tab)

    # The referral, opened from the filtered queue.
    press_tab_until(tab, lambda stop: stop["tag"] == "a" and stop["text"] == school.reference)
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("heading", name="Record a decision")).to_be_visible()
    on_page(tab)

    # Accept, for a new family.
    press_tab_until(tab, lambda stop: stop["name"] == "decision")
    choose_by_arrows(tab, checked(tab, "decision"), "accept")
    press_tab_until(tab, lambda stop: stop["name"] == "reason")
    choose_by_arrows(tab, selected(tab, "id_reason"), "meets_threshold")
    press_tab_until(tab, lambda stop: stop["name"] == "notes")
    tab.keyboard.type("Needs tier 2: the school is worried about Alfie's speech.")
    press_tab_until(tab, lambda stop: stop["name"] == "family_choice")
    choose_by_arrows(tab, checked(tab, "family_choice"), "new")
    press_tab_until(tab, lambda stop: stop["tag"] == "button" and stop["text"] == "Record decision")
    tab.keyboard.press("Enter")

    # Allocate to the first worker offered (fewest open families first).
    expect(tab.get_by_role("heading", name="Allocate a worker")).to_be_visible()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded: accept")
    on_page(tab)
    press_tab_until(tab, lambda stop: stop["name"] == "worker")
    if not focused(tab)["checked"]:
        tab.keyboard.press("Space")
    chosen = tab.locator("input[name=worker]:checked").get_attribute("id")
    chosen_name = tab.locator(f"label[for='{chosen}']").inner_text().split(" — ")[0]
    press_tab_until(tab, lambda stop: stop["tag"] == "button" and stop["text"] == "Allocate")
    tab.keyboard.press("Enter")
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text(f"allocated to {chosen_name}")
    on_page(tab)
    school.refresh_from_db()
    assert school.status == Referral.Status.ALLOCATED
