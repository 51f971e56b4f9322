"""Correcting tier-2 support records in Chromium (#17 item 3): a worker corrects a start score with a reason and
sees the correction on the plan; a refused correction names the field; axe-core on every correction page."""

import pytest
from playwright.sync_api import expect

from families.models import Determinant
from tests.families.factories import plan_action
from tests.support_fund.factories import family_in_support

from . import assert_accessible, axe_violations, format_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_corrects_a_score_and_sees_the_correction_on_the_plan(tab, cast):
    family = family_in_support(cast)  # an active one-to-one plan, start scores 3
    plan = family.plans.get()
    start = plan.outcome_assessments.get(stage="start")
    social = Determinant.objects.get(code="social_networks")
    sign_in(tab, cast.worker)
    tab.goto(f"/plans/{plan.uuid}/")
    tab.get_by_text("Each set of scores, to correct one").click()
    tab.get_by_role("link", name="Correct the start scores").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Correct the scores")

    tab.get_by_label("Social networks that offer support (1 to 10)").fill("11")
    tab.get_by_role("button", name="Save the correction").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Score must be a whole number from 1 to 10")
    expect(summary).to_contain_text("Say why the record is being corrected")
    assert_accessible(tab)

    tab.get_by_label("Social networks that offer support (1 to 10)").fill("2")
    tab.get_by_label("Why are you correcting it?").fill("Typed 3 for 2")
    tab.get_by_role("button", name="Save the correction").click()
    expect(tab.locator(".govuk-notification-banner")).to_contain_text("Corrected")
    assert start.scores.get(determinant=social).score == 2
    tab.get_by_text("Each set of scores, to correct one").click()
    tab.get_by_text("What was there before").first.click()
    expect(tab.locator(".ecfs-amendments").first).to_contain_text("Typed 3 for 2")
    expect(tab.locator(".ecfs-amendments").first).to_contain_text("was 3; now 2")
    assert_accessible(tab)
    screenshot(tab, "plan-scores-corrected")


def test_every_correction_page_is_accessible(tab, cast):
    family = family_in_support(cast)
    plan = family.plans.get()
    action = plan_action(plan=plan, worker=cast.worker)
    assessment = family.assessments.get()
    start = plan.outcome_assessments.get(stage="start")
    goal = plan.goals.first()
    sign_in(tab, cast.worker)
    reports = []
    for path in [
        f"/assessments/{assessment.uuid}/",
        f"/assessments/{assessment.uuid}/correct/",
        f"/assessments/{assessment.uuid}/recorded-in-error/",
        f"/plans/{plan.uuid}/goals/{goal.pk}/correct/",
        f"/plans/{plan.uuid}/actions/{action.uuid}/wording/",
        f"/plans/{plan.uuid}/scores/{start.pk}/correct/",
        f"/plans/{plan.uuid}/scores/{start.pk}/recorded-in-error/",
    ]:
        response = tab.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        violations = axe_violations(tab)
        if violations:
            reports.append(format_violations(path, violations))
    assert not reports, "\n\n".join(reports)
