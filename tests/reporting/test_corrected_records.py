"""The returns read the support records as corrected (#17 item 3): a corrected score changes the outcome
figures, and scores or a follow-up marked recorded in error leave them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from families.models import Determinant
from families.support import services as support_services
from families.support.services import plan_corrections
from reporting.figures import computed_figures
from reporting.kpis import COUNTY
from reporting.periods import QUARTERLY, period_containing
from tests.families.factories import active_plan, closed_plan, scores
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


@pytest.fixture
def family(cast, clock):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    clock.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=LONDON))
    return family


def _row(code: str, label: str) -> dict:
    figures = computed_figures(period_containing(QUARTERLY, timezone.localdate()))
    kpi = next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == code)
    return next(row for row in kpi["rows"] if row["label"] == label)


def _improved():
    """Social networks is an impact 1 need: the plan's start and closing scores for it."""
    return _row("impact1_improvement", "Plans with improved scores")


def test_a_corrected_closing_score_is_what_the_outcome_figures_count(cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)  # start scores 3
    support_services.plan_request_closure(
        plan=plan,
        reason="needs_met",
        summary="Goes to stay and play",
        scores=scores(plan, 7),
        assessed_on=timezone.localdate(),
        actor=cast.worker,
    )
    social = Determinant.objects.get(code="social_networks")
    close = plan.outcome_assessments.get(stage="close")
    plan_corrections.scores_amend(
        assessment=close, actor=cast.worker, reason="Typed 7 for 2", scores={**scores(plan, 7), social.pk: 2}
    )
    support_services.plan_approve_closure(plan=plan, actor=cast.manager)
    assert _improved()["values"][COUNTY] == 0.0  # 3 → 2: not improved, as corrected (7 would have been)
    mean = _row("impact1_improvement", "Mean change in score per need")
    assert mean["values"][COUNTY] == -1.0


def test_closing_scores_marked_in_error_take_the_plan_out_of_the_outcome_figures(cast, family):
    plan = closed_plan(family=family, worker=cast.worker, manager=cast.manager)  # 3 → 7
    assert _improved()["values"][COUNTY] == 100.0 and _improved()["bases"][COUNTY] == 1
    plan_corrections.scores_mark_in_error(
        assessment=plan.outcome_assessments.get(stage="close"), actor=cast.manager, reason="Another family's scores"
    )
    after = _improved()
    assert after["values"][COUNTY] is None and after["bases"][COUNTY] == 0


def test_a_follow_up_marked_in_error_leaves_the_sustained_progress_figure(cast, family, clock):
    plan = closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    follow_up = plan.follow_up
    clock.move_to(datetime.combine(follow_up.due_on, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=12))
    support_services.follow_up_record(follow_up=follow_up, sustained=True, notes="", actor=cast.worker)
    sustained = _row("sustained_progress", "Progress sustained")
    assert sustained["values"][COUNTY] == 100.0
    follow_up.refresh_from_db()
    plan_corrections.follow_up_amend(
        follow_up=follow_up, actor=cast.worker, reason="Misheard", sustained=False, notes=""
    )
    assert _row("sustained_progress", "Progress sustained")["values"][COUNTY] == 0.0  # as corrected
    follow_up.refresh_from_db()
    plan_corrections.follow_up_mark_in_error(follow_up=follow_up, actor=cast.manager, reason="Wrong family")
    assert _row("sustained_progress", "Progress sustained")["values"][COUNTY] is None
