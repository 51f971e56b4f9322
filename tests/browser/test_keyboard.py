"""Keyboard-only use of the two forms workers fill in most: the contact form and the session register.

Every control is reached with Tab and shows the GOV.UK focus style; radios and checkboxes are operated with
Space and the arrow keys; forms are submitted with Enter. A submission with an error puts focus on the
error summary (govuk-frontend's ErrorSummary does this on load), which lists the error and links to the field.
"""

import warnings

import pytest
from playwright.sync_api import Page, expect

from families.models import Contact
from tests.venues.factories import add_parents, course, enrolled, family_of, parent_of, past_sessions
from venues.models import GroupCourse

from . import assert_accessible, focused, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every control a person can operate in the page's POST form(s).
_CONTROLS = """() => [...document.querySelectorAll(
    "main form[method=post] :is(input:not([type=hidden]), select, textarea, button)")]
  .map((el) => ({id: el.id, name: el.getAttribute("name") || "", type: el.getAttribute("type") || ""}))"""


def press_tab_until(page: Page, done, *, limit: int = 80) -> list[dict]:
    """Press Tab until ``done(focused element)``; every stop on the way must show a visible focus style."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop["inNativePart"] and not stop["focusVisible"]:
            # Chromium's <input type=time> has a clock button of its own, a Tab stop after the time's parts.
            # On it the input does not match :focus, so the GOV.UK focus style is off and only the browser's
            # thin ring shows (WCAG 2.4.7 is met, the GOV.UK style is not). Known and reported; see the warning.
            warnings.warn(f"only the browser's own focus ring on the picker button of #{stop['id']}", stacklevel=2)
        else:
            assert stop["focusVisible"], f"no visible focus style on {stop}"
        stops.append(stop)
        if done(stop):
            return stops
    raise AssertionError(
        f"not reached in {limit} presses of Tab; focus went to {[s['id'] or s['text'] for s in stops]}"
    )


def assert_every_control_reached(page: Page, stops: list[dict]) -> None:
    """Each control was a Tab stop; for a radio group (one Tab stop, arrows within it), the group was."""
    reached_ids = {stop["id"] for stop in stops}
    reached_groups = {stop["name"] for stop in stops if stop["type"] == "radio"}
    missed = [
        control["name"] if control["type"] == "radio" else control["id"] or control["name"]
        for control in page.evaluate(_CONTROLS)
        if (control["name"] not in reached_groups if control["type"] == "radio" else control["id"] not in reached_ids)
    ]
    assert not missed, f"not reachable with Tab: {sorted(set(missed))}"


def is_submit(text: str):
    return lambda stop: stop["tag"] == "button" and stop["text"] == text


def expect_error_summary_focused(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


def test_contact_form_by_keyboard_alone(tab, cast):
    family = family_of(cast)
    child = family.members.get(kind="child")
    sign_in(tab, cast.worker)
    tab.goto(f"/families/{family.reference}/contacts/new/")
    expect(tab.get_by_role("heading", name="Record a contact")).to_be_visible()

    def operate(stop):
        if stop["name"] == "mode":  # the radio group: arrows move the choice, and back
            assert stop["checked"] and stop["id"] == "id_mode", stop
            tab.keyboard.press("ArrowDown")
            expect(tab.get_by_label("Community venue")).to_be_checked()
            assert focused(tab)["id"] == "id_mode-2"
            tab.keyboard.press("ArrowUp")
            expect(tab.get_by_label("Home visit")).to_be_checked()
        if stop["name"] == "people_seen" and stop["label"] == "Kerry Howes":
            tab.keyboard.press("Space")
            assert focused(tab)["checked"]
        return is_submit("Save")(stop)

    # First pass: through every control to Save, without saying what happened or whether Alfie was seen.
    stops = press_tab_until(tab, operate)
    assert_every_control_reached(tab, stops)
    tab.keyboard.press("Enter")

    expect_error_summary_focused(tab, "Enter what happened", f"Say whether {child.first_name} was seen")
    assert_accessible(tab)  # the form with errors
    expect(tab.get_by_label("Home visit")).to_be_checked()
    adults = tab.get_by_role("group", name="Which adults were seen (optional)")
    expect(adults.get_by_label("Kerry Howes")).to_be_checked()

    # From the summary, Tab to the first error and follow it: focus moves to the field.
    tab.keyboard.press("Tab")
    assert focused(tab)["text"] == "Enter what happened"
    tab.keyboard.press("Enter")
    expect(tab.get_by_label("What happened")).to_be_focused()
    tab.keyboard.type("Played with Alfie; talked about the stay and play group.")

    # On to "Was Alfie seen?": Space picks the first answer, the arrows move between the answers.
    press_tab_until(tab, lambda stop: stop["name"] == f"child_{child.pk}")
    tab.keyboard.press("Space")
    yes, no = (tab.get_by_role("group", name=f"Was {child.first_name} seen?").get_by_label(a) for a in ("Yes", "No"))
    expect(yes).to_be_checked()
    tab.keyboard.press("ArrowRight")
    expect(no).to_be_checked()
    tab.keyboard.press("ArrowLeft")
    expect(yes).to_be_checked()

    press_tab_until(tab, is_submit("Save"))
    tab.keyboard.press("Enter")
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Contact recorded.")
    contact = Contact.objects.get(family=family)
    assert contact.mode == "home_visit" and contact.notes.startswith("Played with Alfie")
    assert {p.first_name for p in contact.people_seen.all()} == {"Kerry", "Alfie"}  # Alfie: "Was Alfie seen?" yes
    assert contact.children_seen.get().seen is True


def test_register_by_keyboard_alone(tab, cast):
    family = family_of(cast)
    carers = [parent_of(family), *add_parents(family, 1, actor=cast.worker)]
    targeted = course(cast=cast)
    enrolments = enrolled(targeted, carers, actor=cast.worker)
    session = past_sessions(targeted)[0]
    universal = course(cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL)
    drop_in = past_sessions(universal)[0]
    sign_in(tab, cast.worker)

    # A targeted course: one checkbox per person enrolled; Space ticks the first, Enter on the button saves.
    tab.goto(f"/groups/sessions/{session.uuid}/register/")
    expect(tab.get_by_role("heading", name="Register")).to_be_visible()

    def tick_kerry(stop):
        if stop["name"] == "attended" and stop["label"].startswith("Kerry Howes"):  # "Kerry Howes (ECFS-…)"
            tab.keyboard.press("Space")
            assert focused(tab)["checked"]
        return is_submit("Save register")(stop)

    stops = press_tab_until(tab, tick_kerry)
    assert_every_control_reached(tab, stops)
    assert sum(stop["name"] == "attended" for stop in stops) == 2
    tab.keyboard.press("Enter")
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Register saved for session 1.")
    attended = {a.enrolment_id: a.attended for a in session.attendances.all()}
    assert attended == {enrolments[0].pk: True, enrolments[1].pk: False}

    # A universal session: walk-in numbers. A word where a number should be is an error.
    tab.goto(f"/groups/sessions/{drop_in.uuid}/register/")

    def type_a_word(stop):
        if stop["id"] == "id_walk_in_adults":
            tab.keyboard.press("ControlOrMeta+A")
            tab.keyboard.type("lots")
        return is_submit("Save register")(stop)

    stops = press_tab_until(tab, type_a_word)
    assert_every_control_reached(tab, stops)
    tab.keyboard.press("Enter")

    expect_error_summary_focused(tab, "Adults who walked in must be a whole number")
    assert_accessible(tab)
    tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")
    expect(tab.get_by_label("Adults who walked in")).to_be_focused()
    tab.keyboard.press("ControlOrMeta+A")
    tab.keyboard.type("4")
    tab.keyboard.press("Enter")  # implicit submission from a text input
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Register saved for session 1.")
    drop_in.refresh_from_db()
    assert drop_in.walk_in_adults == 4 and drop_in.register_taken_by == cast.worker
