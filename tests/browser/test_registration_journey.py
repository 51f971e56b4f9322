"""Registering a family at a universal session (#19 item 2): a worker opens the session's register, registers a
new family in a few fields (marked present at once), tries the same family again and is offered the match instead
of a second record, uses it, and saves the register with the walk-in counts. axe-core on every page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bases.models import Locality
from families.models import Family
from venues.models import Attendance, GroupCourse

from ..venues.factories import course, past_sessions
from . import assert_accessible, assert_no_horizontal_scroll, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}


def fill_in_the_family(tab, born) -> None:
    tab.get_by_label("Parent or carer: first name").fill("Jodie")
    tab.get_by_label("Parent or carer: last name").fill("Brundle")
    tab.get_by_label("Child: first name (optional)", exact=True).fill("Poppy")
    group = tab.get_by_role("group", name="Child: date of birth")
    group.get_by_label("Day", exact=True).fill(str(born.day))
    group.get_by_label("Month", exact=True).fill(str(born.month))
    group.get_by_label("Year", exact=True).fill(str(born.year))
    tab.get_by_label("Postcode").fill("NR19 1AB")
    tab.get_by_role("group", name="How is it safe to contact them?").get_by_label("Text message").check()
    tab.get_by_label("Phone number").fill("07700 900123")
    tab.get_by_label("They agree to the service keeping these details").check()


def test_register_a_family_at_a_session_then_the_duplicate_check_offers_them(tab, cast):
    session = past_sessions(course(cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL))[-1]
    town = Locality.objects.filter(base=cast.team.base, is_other=False).order_by("name").first()
    born = timezone.localdate().replace(day=1) - timedelta(days=500)
    tab.set_viewport_size(PHONE)
    sign_in(tab, cast.worker)
    register = f"/groups/sessions/{session.uuid}/register/"
    tab.goto(register)
    expect(tab.get_by_role("heading", name="Register", exact=True)).to_be_visible()
    assert_accessible(tab)

    # A family new to the service: a few fields; the town starts as the base's.
    tab.get_by_role("link", name="Register a family").click()
    expect(tab.get_by_role("heading", name="Register a family")).to_be_visible()
    if town is not None:
        expect(tab.get_by_label("Which town is nearest?")).to_have_value(f"town-{town.pk}")
    assert_no_horizontal_scroll(tab)
    assert_accessible(tab)
    tab.get_by_role("button", name="Register family").click()  # nothing filled in: the messages first
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter the parent's first name")
    assert_accessible(tab)
    fill_in_the_family(tab, born)
    if town is None:
        tab.get_by_label("Which town is nearest?").select_option(index=1)
    tab.get_by_role("button", name="Register family").click()
    family = Family.objects.get()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{family.reference} registered and marked present."
    )
    expect(tab.get_by_role("group", name="Known families who came").get_by_role("checkbox")).to_be_checked()
    assert_accessible(tab)

    # The same family again (a second worker's try, say): the duplicate check offers the family first.
    tab.get_by_role("link", name="Register a family").click()
    fill_in_the_family(tab, born)
    if town is None:
        tab.get_by_label("Which town is nearest?").select_option(index=1)
    tab.get_by_role("button", name="Register family").click()
    expect(tab.get_by_text("This may be a family already known to the service")).to_be_visible()
    assert_no_horizontal_scroll(tab)
    assert_accessible(tab)
    screenshot(tab, "register-family-match")
    tab.get_by_role("button", name=f"Use this family ({family.reference})").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{family.reference} is already known to the service: marked present."
    )
    assert Family.objects.count() == 1

    # The register: the known family ticked, and the walk-ins counted (them included).
    tab.get_by_label("Adults who walked in").fill("3")
    tab.get_by_label("Children who walked in").fill("4")
    tab.get_by_role("button", name="Save register").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Register saved for session")
    assert_accessible(tab)
    row = Attendance.objects.get(session=session)
    assert (row.family, row.enrolment, row.attended) == (family, None, True)
    session.refresh_from_db()
    assert (session.walk_in_adults, session.walk_in_children) == (3, 4)
    assert family.registered_via == "universal_session" and family.registered_team == cast.team
