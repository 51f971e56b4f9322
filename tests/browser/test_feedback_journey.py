"""A parent leaves feedback on the public form (#20 item 7), from the request-for-support start page, at 375 px:
a mistake named at the top and on the field, then the thank-you page; the team manager reads it. axe-core on every
page on the way."""

import pytest
from playwright.sync_api import expect

from voice.models import Feedback

from . import assert_accessible, assert_no_horizontal_scroll, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}


def test_a_parent_leaves_feedback_from_the_request_for_support_pages(tab, cast):
    tab.set_viewport_size(PHONE)
    tab.goto("/request-support/")
    assert_accessible(tab)
    tab.get_by_role("link", name="Tell us what you think of our service").click()
    expect(tab.get_by_role("heading", name="Tell us what you think of our service")).to_be_visible()
    assert_no_horizontal_scroll(tab)
    assert_accessible(tab)
    screenshot(tab, "feedback-375")

    tab.get_by_label("What went well? (optional)", exact=True).fill("The baby massage group, and Mandy listening.")
    tab.get_by_role("button", name="Send feedback").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select how good the help you had from us was")).to_be_visible()
    assert_accessible(tab)
    assert not Feedback.objects.exists()

    rating = tab.get_by_role("group", name="Overall, how good was the help you had from us?")
    rating.get_by_label("Very good", exact=True).check()
    tab.get_by_label("Where do you live? (optional)", exact=True).select_option(label=cast.team.base.district.name)
    tab.get_by_role("button", name="Send feedback").click()
    expect(tab.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    assert_no_horizontal_scroll(tab)
    assert_accessible(tab)
    item = Feedback.objects.get()
    assert item.rating == 5 and item.district == cast.team.base.district
    assert item.went_well == "The baby massage group, and Mandy listening."

    sign_in(tab, cast.manager)
    tab.goto("/voice/feedback/")
    expect(tab.get_by_role("table")).to_contain_text("Very good")
    assert_accessible(tab)
    tab.goto(item.get_absolute_url())
    expect(tab.locator("main")).to_contain_text("The baby massage group, and Mandy listening.")
    assert_accessible(tab)
