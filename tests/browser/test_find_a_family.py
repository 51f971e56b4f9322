"""A worker's day (issue #17): find a family from the header by its surname as typed in a hurry, log a visit,
correct its date with a reason and see the correction on the record, then tick off a plan action. axe-core on
every page on the way."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect

from families.models import Contact
from tests.families.factories import active_plan, plan_action
from tests.families.test_search import family

from . import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def test_worker_finds_a_family_by_a_misspelt_surname_logs_a_visit_corrects_it_and_ticks_off_an_action(tab, cast):
    howes, _ = family(cast, received_at=timezone.now() - timedelta(days=7))  # so yesterday's visit can be true
    family(cast, "Lee", "Marsh")
    plan = active_plan(family=howes, worker=cast.worker, manager=cast.manager)
    action = plan_action(plan=plan, worker=cast.worker, description="Ring the nursery about a funded place")
    # PostgreSQL forgives the typo (trigrams); SQLite finds a name by its start.
    typed = "Howse" if connection.vendor == "postgresql" else "Howe"
    today = timezone.localdate()

    sign_in(tab, cast.worker)
    search = tab.get_by_role("search", name="Find a family")
    search.get_by_label("Find a family").fill(typed)
    search.get_by_role("button", name="Search").click()

    expect(tab.get_by_role("heading", name=f"1 family matches “{typed}”")).to_be_visible()
    results = tab.get_by_role("table")
    expect(results).to_contain_text("Kerry Howes and Alfie (2)")
    expect(results).not_to_contain_text("Lee Marsh")
    assert_accessible(tab)

    results.get_by_role("link", name=howes.reference).click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text(howes.reference)
    expect(tab.locator("main").get_by_text("Kerry Howes and Alfie (2)", exact=True)).to_be_visible()
    assert_accessible(tab)

    # A home visit, logged today although it was yesterday.
    tab.get_by_role("link", name="Record a contact").click()
    expect(tab.get_by_role("heading", name="Record a contact")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_label("What happened").fill("Talked about nursery places; Alfie was playing happily.")
    tab.get_by_role("group", name="Was Alfie seen?").get_by_label("Yes").check()
    tab.get_by_role("button", name="Save").click()
    expect_success(tab, "Contact recorded.")
    assert_accessible(tab)

    # The date is corrected, with a reason; the record keeps and shows what was there.
    contacts = tab.get_by_role("table", name="Recent contacts")
    contacts.get_by_role("link", name=re.compile(f"^{today:%-d %b %Y}")).click()
    assert_accessible(tab)
    tab.get_by_role("link", name="Correct this contact").click()
    assert_accessible(tab)
    yesterday = today - timedelta(days=1)
    fill_date(tab, "Date", yesterday)
    tab.get_by_role("button", name="Save the correction").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Say why the record is being corrected")
    assert_accessible(tab)
    tab.get_by_label("Why are you correcting it?").fill("Wrong date: the visit was yesterday")
    tab.get_by_role("button", name="Save the correction").click()
    corrections = tab.locator(".ecfs-amendments")
    expect(corrections).to_contain_text(f"by {cast.worker.get_full_name()}: Wrong date: the visit was yesterday")
    corrections.get_by_text("What was there before").click()
    expect(corrections).to_contain_text(f"{today:%-d}")
    assert_accessible(tab)
    contact = Contact.objects.get(family=howes)
    assert timezone.localdate(contact.occurred_at) == yesterday
    assert contact.history.count() == 2

    # Then the plan: the action is ticked off.
    tab.get_by_role("link", name=f"Back to {howes.reference}").click()
    tab.get_by_role("link", name="One-to-one plan").click()
    assert_accessible(tab)
    tab.get_by_role("link", name=re.compile("^Mark as done")).first.click()
    expect(tab.get_by_role("heading", name="Mark the action as done")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("button", name="Mark as done").click()
    expect_success(tab, "Action marked as done.")
    expect(tab.get_by_text(f"done {today:%-d %b %Y}")).to_be_visible()
    assert_accessible(tab)
    action.refresh_from_db()
    assert action.done_on == today
