"""A review entered late, dated before one already recorded, does not bring the next review forward."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from families.support import services as support_services
from tests.families.factories import active_plan, scores
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


def _review(plan, worker, day):
    return support_services.plan_review(
        plan=plan,
        reviewed_on=day,
        progress={goal.pk: "positive" for goal in plan.goals.all()},
        scores=scores(plan, 5),
        notes="",
        actor=worker,
    )


def test_the_latest_review_sets_when_the_next_is_due(cast):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=True) as clock:
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
        clock.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=LONDON))
        weeks = timedelta(weeks=plan.review_interval_weeks)
        _review(plan, cast.worker, date(2026, 6, 1))
        plan.refresh_from_db()
        assert plan.next_review_due == date(2026, 6, 1) + weeks
        _review(plan, cast.worker, date(2026, 5, 1))  # the one before, recorded late
        plan.refresh_from_db()
        assert plan.next_review_due == date(2026, 6, 1) + weeks
