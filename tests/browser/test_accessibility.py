"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on the page types the journeys do not reach, role by role.

The journeys check the pages they pass through; this sweeps the rest: each role's home page, the sign-in page
with an error, the county and venue pages, and the forms and lists around a family, a plan and a group.
Every page of a role is checked before the test fails, so one run lists all the violations.
"""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from families.services import professional_add
from privacy.services import subject_access_create
from tests.families.factories import home_visit
from tests.referrals.factories import accepted_referral
from tests.support_fund.factories import application, budget, family_in_support
from tests.venues.factories import course, enrolled, parent_of, past_sessions

from . import assert_accessible, axe_violations, format_violations, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sweep(page: Page, paths: list[str]) -> list[str]:
    """Visit each path (it must answer 200) and return the axe report of each page with violations."""
    reports = []
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        violations = axe_violations(page)
        if violations:
            reports.append(format_violations(path, violations))
    return reports


def assert_no_reports(reports: list[str]) -> None:
    if reports:
        print("\n\n".join(reports))
        raise AssertionError("\n\n".join(reports))


def test_sign_in_page_with_an_error(tab, cast):
    tab.goto("/sign-in/")
    tab.get_by_label("Email address").fill(cast.worker.email)
    tab.get_by_label("Password").fill("not the password")
    tab.get_by_role("button", name="Sign in").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a correct email address and password")
    assert_accessible(tab)


def test_worker_and_manager_pages(tab, cast):
    family = family_in_support(cast)
    plan = family.plans.get()
    contact = home_visit(family=family, worker=cast.worker, concern=True)
    budget(cast, "500.00")
    the_application = application(cast, family)
    group = course(cast=cast)
    enrolment = enrolled(group, [parent_of(family)], actor=cast.worker)[0]
    session = past_sessions(group)[0]
    accepted = accepted_referral(team=cast.team, manager=cast.manager)
    ref = family.reference

    sign_in(tab, cast.worker)
    reports = sweep(
        tab,
        [
            "/my-week/",
            f"/families/{ref}/household/",
            f"/families/{ref}/members/new/",
            f"/families/{ref}/professionals/new/",
            f"/families/{ref}/progress/new/",
            f"/contacts/{contact.uuid}/",
            f"/plans/{plan.uuid}/review/",
            f"/plans/{plan.uuid}/close/",
            f"/plans/{plan.uuid}/actions/new/",
            "/groups/programmes/",
            "/groups/courses/new/",
            f"/groups/courses/{group.uuid}/enrol/",
            f"/groups/sessions/{session.uuid}/",
            f"/groups/enrolments/{enrolment.uuid}/measures/",
            "/fund/",
            f"/fund/applications/{the_application.uuid}/",
            "/county/",
            "/venues/",
        ],
    )
    sign_out(tab)
    sign_in(tab, cast.manager)
    reports += sweep(
        tab,
        [
            "/families/",
            f"/families/{ref}/",
            f"/families/{ref}/reallocate/",
            f"/families/{ref}/co-worker/",
            f"/families/{ref}/restriction/",
            f"/families/{ref}/address/withheld/",
            f"/families/{ref}/legal-hold/",
            f"/referrals/{accepted.uuid}/",
            "/referrals/?status=received&overdue=1",
            f"/plans/{plan.uuid}/",
            "/my-week/",
        ],
    )
    assert_no_reports(reports)


def test_commissioner_and_admin_pages(tab, cast):
    family = family_in_support(cast)
    professional_add(family=family, actor=cast.worker, agency="health_visiting", name="Nina Hale")
    sar = subject_access_create(
        actor=cast.admin, family_reference=family.reference, requester_name="Kerry", received_on=date(2026, 11, 2)
    )
    sign_in(tab, cast.commissioner)
    reports = sweep(tab, ["/", "/county/", "/venues/"])
    sign_out(tab)
    sign_in(tab, cast.admin)
    reports += sweep(
        tab,
        [
            "/",
            "/fund/budgets/",
            "/privacy/subject-access/",
            "/privacy/subject-access/new/",
            f"/privacy/subject-access/{sar.uuid}/",
            "/privacy/retention/",
        ],
    )
    assert_no_reports(reports)


def test_an_admin_records_a_subject_access_request_with_the_keyboard_and_mouse(tab, cast):
    family = family_in_support(cast)
    sign_in(tab, cast.admin)
    tab.goto("/privacy/subject-access/new/")
    tab.get_by_role("button", name="Record the request").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the family's reference")
    assert_accessible(tab)
    tab.get_by_label("Family reference").fill(family.reference)
    tab.get_by_label("Who made the request").fill("Kerry Howes")
    tab.get_by_label("Day").fill("2")
    tab.get_by_label("Month").fill("11")
    tab.get_by_label("Year").fill("2026")
    tab.get_by_role("button", name="Record the request").click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("SAR-")
    expect(tab.locator(".govuk-summary-list")).to_contain_text("2 December 2026")
    with tab.expect_download() as download_info:
        tab.get_by_role("link", name="Download the bundle as a PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
