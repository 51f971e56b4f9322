"""Browser journey (#19): a worker connects a family to a community group from its record, and records that
they went; the register and the gaps view for a manager. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from tests.community.factories import community_group
from tests.referrals.factories import allocated_referral

from . import assert_accessible, screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_connects_a_family_to_a_group_and_records_that_they_went(tab, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    group = community_group(cast, name="Little Acorns Stay and Play")

    sign_in(tab, cast.worker)
    tab.goto(f"/families/{family.reference}/")
    tab.get_by_role("link", name="Connect to a group").click()
    expect(tab.get_by_role("heading", name="Connect the family to a group or service")).to_be_visible()
    assert_accessible(tab)

    # Nothing chosen: the error summary names the field.
    tab.get_by_role("button", name="Connect").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Choose a community group, or name another service")
    assert_accessible(tab)

    tab.get_by_label("Community group").select_option(str(group.uuid))
    tab.get_by_label("How you helped them get there").fill("Introduced mum to Sue, the organiser")
    tab.get_by_role("button", name="Connect").click()
    expect(tab.locator(".govuk-notification-banner")).to_contain_text("connected to Little Acorns Stay and Play")
    table = tab.get_by_role("table")
    expect(table).to_contain_text("Little Acorns Stay and Play")
    screenshot(tab, "community-connect")

    table.get_by_role("link", name="record now").click()
    expect(tab.get_by_role("heading", name="Little Acorns Stay and Play")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_label("They went and it is helping").check()
    tab.get_by_label("Anything to add").fill("Goes every week; has made a friend")
    tab.get_by_role("button", name="Save").click()
    expect(tab.get_by_role("table")).to_contain_text("They went and it is helping")
    assert_accessible(tab)
    sign_out(tab)

    sign_in(tab, cast.manager)
    tab.goto("/community/groups/")
    expect(tab.get_by_role("heading", name="Community groups")).to_be_visible()
    expect(tab.get_by_role("table")).to_contain_text("Little Acorns Stay and Play")
    assert_accessible(tab)
    tab.get_by_role("link", name="Little Acorns Stay and Play").click()
    expect(tab.get_by_role("button", name="Checked: still right")).to_be_visible()
    assert_accessible(tab)
    tab.goto("/community/gaps/")
    expect(tab.get_by_role("heading", name="Where community groups are missing")).to_be_visible()
    assert_accessible(tab)
    tab.goto("/community/groups/add/")
    assert_accessible(tab)
