"""A review entered late, dated before one already recorded, does not bring the next review forward."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.support import services as support_services
from families.support.services import plan_corrections
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


def test_a_review_is_not_dated_before_the_plan_started_nor_twice_on_one_day(client, cast):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=True) as clock:
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        clock.move_to(datetime(2026, 3, 9, 9, 0, tzinfo=LONDON))
        plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)  # started 9 March
        clock.move_to(datetime(2026, 6, 10, 12, 0, tzinfo=LONDON))
        with pytest.raises(ValidationError) as before:
            _review(plan, cast.worker, date(2026, 3, 6))  # after the referral, before the plan started
        assert before.value.message_dict == {
            "reviewed_on": ["The review date must be on or after the plan started (9 March 2026)"]
        }
        first = _review(plan, cast.worker, date(2026, 6, 1))
        # The form sent twice: the second is refused, and nothing of it is kept.
        client.force_login(cast.worker)
        page = client.post(
            reverse("plan-review", args=[plan.uuid]),
            {
                "reviewed_on_day": "1",
                "reviewed_on_month": "6",
                "reviewed_on_year": "2026",
                **{f"progress_{goal.pk}": "positive" for goal in plan.goals.all()},
                **{f"score_{goal.determinant_id}": "6" for goal in plan.goals.all()},
                "notes": "Sent twice",
            },
        )
        assert page.status_code == 400
        assert "This plan already has a review on 1 June 2026" in page.content.decode()
        assert list(plan.reviews.all()) == [first]
        # Correcting a review to another's day is refused too; to its own day (other changes) is not.
        second = _review(plan, cast.worker, date(2026, 6, 8))

        def correct(day, notes=""):
            progress = {goal.pk: "positive" for goal in plan.goals.all()}
            return plan_corrections.review_amend(
                review=second, actor=cast.worker, reason="Wrong day", reviewed_on=day, notes=notes, progress=progress
            )

        with pytest.raises(ValidationError, match="already has a review on 1 June 2026"):
            correct(date(2026, 6, 1))
        with pytest.raises(ValidationError, match="on or after the plan started"):
            correct(date(2026, 3, 8))
        assert correct(date(2026, 6, 8), notes="Went well").notes == "Went well"
