"""A parent leaves feedback on the public form (#20 item 7), from the request-for-support start page, at 375 px:
a mistake named at the top and on the field, then the thank-you page; the team manager reads it. axe-core on every
page on the way."""

import pytest
from playwright.sync_api import expect

from voice.models import Feedback

from . import assert_accessible, assert_no_horizontal_scroll, screenshot, sign_in, sign_out

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


def test_a_manager_records_and_answers_a_complaint_and_the_admin_enters_digital_reach(tab, cast):
    from tests.voice.factories import feedback

    feedback(district=cast.team.base.district, rating=2, could_be_better="Visits moved at short notice.")
    sign_in(tab, cast.manager)
    tab.goto("/voice/complaints/")
    assert_accessible(tab)
    tab.get_by_role("link", name="Record a complaint").click()
    expect(tab.get_by_role("heading", name="Record a complaint")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("group", name="How did the complaint come?").get_by_label("Letter", exact=True).check()
    tab.get_by_role("group", name="What is it about?").get_by_label("Communication", exact=True).check()
    tab.get_by_label("Summary of the complaint", exact=True).fill("Nobody rang back after the first visit.")
    tab.get_by_role("button", name="Save complaint").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("The response is due by")
    assert_accessible(tab)

    tab.get_by_role("group", name="Outcome").get_by_label("Partly upheld", exact=True).check()
    tab.get_by_role("button", name="Save response").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Response recorded.")
    expect(tab.locator("main")).to_contain_text("Partly upheld")
    tab.get_by_role("link", name="Correct this complaint").click()
    expect(tab.get_by_role("heading", name="Correct a complaint")).to_be_visible()
    assert_accessible(tab)
    tab.goto("/voice/feedback/")
    expect(tab.get_by_role("table")).to_contain_text("Poor")
    assert_accessible(tab)
    tab.goto("/")
    expect(tab.locator("main")).to_contain_text("No complaints overdue")
    assert_accessible(tab)

    sign_out(tab)
    sign_in(tab, cast.admin)
    tab.goto("/voice/digital-reach/")
    expect(tab.get_by_role("heading", name="Digital reach")).to_be_visible()
    tab.get_by_label("Visits to the service's web pages in the month", exact=True).fill("4210")
    tab.get_by_role("button", name="Save digital reach").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Digital reach saved")
    expect(tab.get_by_role("table")).to_contain_text("4210")
    assert_accessible(tab)
