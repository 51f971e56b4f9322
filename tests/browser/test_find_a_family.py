"""Find a family from the header (issue #17): a worker types the surname as typed in a hurry, sees the family
with who is in it, and opens it; axe-core on the results page."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.families.test_search import family

from . import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_finds_a_family_by_a_misspelt_surname_and_opens_it(tab, cast):
    howes, _ = family(cast)
    family(cast, "Lee", "Marsh")
    # PostgreSQL forgives the typo (trigrams); SQLite finds a name by its start.
    typed = "Howse" if connection.vendor == "postgresql" else "Howe"

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
