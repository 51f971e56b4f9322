"""The workforce section worked out by hand from its published definitions, on the edges the existing tests leave:
a team manager who also holds the family support worker role, training with an expiry date entered by hand, and a
family allocated at 23:30 on the quarter's last day (UK time) or just after it.

Quarter 3 of 2026/27 (October to December 2026). Team A (district A): the worker, the colleague, the manager, and
a second manager who also holds the worker role ("dual"). Team B (district B): the other worker and the other
manager.

- Staff in post: A 2 workers and 2 managers (dual once, as a manager), B 1 and 1.
- Supervision (workers only, so not dual): the worker on 1 December, dual on 1 December; the colleague never.
  A: 1 of 2 = 50%.
- Training: the worker did all three courses on 1 March 2026, but safeguarding was entered as expiring on
  31 December 2026 (it lapses on the quarter's last day); the colleague all three on 10 January 2026 (data
  protection current to 10 January 2027). All three current in A: the colleague only, 1 of 4 = 25%.
- Caseload at the quarter's last moment: the worker was allocated a family at 23:30 on 31 December, the colleague
  one at 00:30 on 1 January (not counted). As in "Caseload per worker", everyone holding the worker role counts,
  dual included: A holds 1, 0, 0 (fewest 0, median 0, most 1, on 3); B 0 on 1.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from ecfs.roles import Role, group_name
from reporting.kpis import COUNTY
from reporting.periods import parse_period
from reporting.workforce_figures import (
    workforce_caseload_spread,
    workforce_in_post,
    workforce_supervision,
    workforce_training,
)
from tests.factories import staff_member
from tests.referrals.factories import allocated_referral
from tests.reporting.hand_checked import at, values
from tests.workforce.factories import all_training, supervision, training
from workforce.rules import Course

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Q3 = parse_period("2026-Q3")


@pytest.fixture
def world(cast):
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert a != b, "the cast's two teams must be in different districts for these sums"
    dual = staff_member(role=Role.MANAGER, team=cast.team, email="dual@example.org")
    dual.groups.add(Group.objects.get(name=group_name(Role.WORKER)))
    supervision(cast.worker, date(2026, 12, 1), supervisor=cast.manager)
    supervision(dual, date(2026, 12, 1), supervisor=cast.manager)
    for course in Course:
        expires = date(2026, 12, 31) if course == Course.SAFEGUARDING else None
        training(cast.worker, course, date(2026, 3, 1), expires_on=expires)
    all_training(cast.colleague, date(2026, 1, 10))
    with at(date(2026, 12, 31), 23, 30):
        allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    with at(date(2027, 1, 1), 0, 30):
        allocated_referral(team=cast.team, manager=cast.manager, worker=cast.colleague)
    return a, b


def test_a_manager_who_also_holds_the_worker_role_is_in_post_once_as_a_manager(world):
    a, b = world
    rows = workforce_in_post(Q3, [a, b])
    assert values(rows, "Family support worker", a, b) == (2, 1, 3)
    assert values(rows, "Team manager", a, b) == (2, 1, 3)
    share = workforce_supervision(Q3, [a, b])[0]
    assert (share.values[a], share.bases[a]) == (50.0, 2)


def test_training_entered_as_expiring_on_the_quarters_last_day_is_not_current(world):
    a, b = world
    rows = workforce_training(Q3, [a, b])
    assert values(rows, "All three courses current", a, b)[0] == 25.0
    assert values(rows, "Safeguarding children", a, b)[0] == 25.0  # the colleague only
    assert values(rows, "Data protection", a, b)[0] == 50.0  # the worker (to 1 March 2027) and the colleague


def test_caseload_spread_counts_allocations_open_at_the_last_moment_over_everyone_with_the_worker_role(world):
    a, b = world
    rows = workforce_caseload_spread(Q3, [a, b])
    assert values(rows, "Fewest", a, b) == (0.0, 0.0, 0.0)
    assert values(rows, "Median", a, b) == (0.0, 0.0, 0.0)
    assert values(rows, "Most", a, b) == (1.0, 0.0, 1.0)
    assert next(r for r in rows if r.label == "Median").bases == {a: 3, b: 1, COUNTY: 4}
