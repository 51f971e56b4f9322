"""Recording advice at a drop-in (#19 item 1), on a phone: at 375 px, one page, at most six fields filled by
keyboard (the rest start filled in: today, the team's district), then the entry in the team's log. axe-core on
every page on the way."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from advice.models import AdviceEntry

from . import assert_accessible, assert_no_horizontal_scroll, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}
MOST_FIELDS = 6


class Keyboard:
    """Fills fields the way a person does on a keyboard, counting the fields touched."""

    def __init__(self, page: Page):
        self.page, self.fields = page, set()

    def choose(self, group: str, option: str) -> None:
        control = self.page.get_by_role("group", name=group).get_by_label(option, exact=True)
        control.focus()
        self.page.keyboard.press("Space")
        expect(control).to_be_checked()
        self.fields.add(group)

    def type(self, label: str, text: str) -> None:
        self.page.get_by_label(label, exact=True).focus()
        self.page.keyboard.type(text)
        self.fields.add(label)


def test_recording_advice_at_a_drop_in_takes_one_page_and_at_most_six_fields(tab, cast):
    tab.set_viewport_size(PHONE)
    sign_in(tab, cast.worker)
    tab.goto("/advice/")
    expect(tab.get_by_role("heading", name="Advice log")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("button", name="Record advice").click()
    expect(tab.get_by_role("heading", name="Record advice")).to_be_visible()
    form_url = tab.url
    assert_no_horizontal_scroll(tab)
    assert_accessible(tab)
    screenshot(tab, "advice-entry-375")

    keys = Keyboard(tab)
    keys.choose("How did they ask?", "A drop-in session")
    keys.choose("What did they ask about?", "Housing and rent")
    keys.choose("What did you give?", "Signposted to a service or community group")
    keys.type("Signposted to (optional)", "Citizens Advice, Dereham")
    tab.keyboard.press("Enter")

    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Advice recorded.")
    assert tab.url == form_url  # back on the same page, ready for the next family
    assert len(keys.fields) <= MOST_FIELDS, keys.fields
    assert_accessible(tab)
    entry = AdviceEntry.objects.get()
    assert (entry.channel, entry.given, entry.signposted_to) == ("drop_in", "signposted", "Citizens Advice, Dereham")
    assert entry.given_on == timezone.localdate() and entry.district == cast.team.base.district
    assert entry.family is None and [t.code for t in entry.topics.all()] == ["housing"]

    # The next one starts from this one's way of asking; a mistake is named at the top and on the field.
    expect(tab.get_by_role("group", name="How did they ask?").get_by_label("A drop-in session")).to_be_checked()
    keys.choose("What did you give?", "Signposted to a service or community group")
    tab.get_by_role("button", name="Save advice").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select what they asked about")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Name the service or community group you signposted them to")
    ).to_be_visible()
    assert_no_horizontal_scroll(tab)
    assert_accessible(tab)

    tab.goto("/advice/")
    log = tab.get_by_role("table")
    expect(log).to_contain_text("A drop-in session")
    expect(log).to_contain_text("Citizens Advice, Dereham")
    assert_no_horizontal_scroll(tab)
    assert_accessible(tab)
    log.get_by_role("link").first.click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("A drop-in session")
    assert_accessible(tab)
