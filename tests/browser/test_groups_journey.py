"""Groups (issue #17): enrolling a family found by typing its name, by keyboard alone (GOV.UK's
accessible-autocomplete), and correcting a register that was taken, with the correction shown. axe-core on every
page and state visited."""

import re

import pytest
from playwright.sync_api import expect

from tests.referrals.factories import allocated_referral, default_people
from tests.venues.factories import add_parents, course, enrolled, family_of, parent_of, past_sessions
from venues import services
from venues.models import Attendance

from . import assert_accessible, screenshot, sign_in
from .test_keyboard import press_tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_enrols_a_family_found_by_typing_its_name_by_keyboard_alone(tab, cast):
    family = family_of(cast)  # Kerry Howes and Alfie
    family_of(cast, last_name="Bird")
    allocated_referral(  # another team's Howes: never offered
        team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker, people=default_people("Howes")
    )
    the_course = course(cast=cast)
    sign_in(tab, cast.worker)
    tab.goto(f"/groups/courses/{the_course.uuid}/enrol/")
    expect(tab.get_by_role("heading", name="Enrol someone")).to_be_visible()
    field = tab.get_by_role("combobox", name="Which family?")
    expect(field).to_be_visible()  # the page's text field, enhanced
    assert_accessible(tab)

    press_tab_until(tab, lambda stop: stop["id"] == "id_family")
    # A screen reader hears the field's hint with the component's instructions.
    hint = tab.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent")
    assert hint.startswith("A parent's or child's name") and "up and down arrows" in hint
    tab.keyboard.type("Howe", delay=30)
    options = tab.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Kerry Howes and Alfie")
    expect(options.first).to_contain_text(family.reference)
    assert_accessible(tab)  # with the suggestions open
    screenshot(tab, "enrol-search")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")  # chooses the suggestion
    expect(field).to_have_value(re.compile(re.escape(family.reference)))
    tab.keyboard.press("Enter")  # the menu is closed: submits the search form

    who = tab.get_by_role("group", name="Who is joining the course?")
    expect(who).to_be_visible()
    expect(who).to_contain_text(family.reference)
    assert_accessible(tab)
    press_tab_until(tab, lambda stop: stop["type"] == "radio")
    tab.keyboard.press("Space")  # the first of the family: Alfie
    press_tab_until(tab, lambda stop: stop["tag"] == "button" and stop["text"] == "Enrol")
    tab.keyboard.press("Enter")
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Alfie Howes enrolled.")
    assert the_course.enrolments.get().family == family
    assert_accessible(tab)


def test_without_javascript_enrolling_finds_the_family_by_name(chromium, live_server, cast):
    family_of(cast)
    family_of(cast)  # two Howes families: the page lists both to choose from
    the_course = course(cast=cast)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, cast.worker)
        page.goto(f"/groups/courses/{the_course.uuid}/enrol/")
        page.get_by_label("Which family?").fill("howes")
        page.get_by_role("button", name="Find family").click()
        expect(page.get_by_role("heading", name="Families matching “howes”")).to_be_visible()
        page.get_by_role("link", name=re.compile("Kerry Howes")).first.click()
        expect(page.get_by_role("group", name="Who is joining the course?")).to_be_visible()
    finally:
        context.close()


def test_whoever_took_a_register_corrects_it_with_a_reason_and_sees_the_correction(tab, cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    kerry, sam = enrolled(
        the_course, [parent_of(family), *add_parents(family, 1, actor=cast.worker)], actor=cast.worker
    )
    session = past_sessions(the_course)[0]
    services.register_take(session=session, actor=cast.worker, attended={kerry.uuid})

    sign_in(tab, cast.worker)
    tab.goto(f"/groups/sessions/{session.uuid}/register/")
    expect(tab.get_by_role("heading", name="Correct the register")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("checkbox", name=re.compile(sam.person.full_name)).check()
    tab.get_by_role("button", name="Save the correction").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Say why the register is being corrected")
    assert_accessible(tab)
    tab.get_by_label("Why are you correcting the register?").fill("Came late and was missed")
    tab.get_by_role("button", name="Save the correction").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Register corrected for session 1.")
    corrections = tab.locator(".ecfs-amendments")
    expect(corrections).to_contain_text(f"by {cast.worker.get_full_name()}: Came late and was missed")
    corrections.get_by_text("What was there before").click()
    expect(corrections).to_contain_text("was absent; now attended")
    assert_accessible(tab)
    screenshot(tab, "register-corrected")
    assert Attendance.objects.get(enrolment=sam).attended is True
