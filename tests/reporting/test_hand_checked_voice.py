"""The complaints figures of the voice section worked out by hand from their published definitions, on the edges
the existing tests leave: a complaint withdrawn on its due day and one withdrawn after it, a received date
corrected into the quarter, and a complaint naming a family (counted at the family's base).

Quarter 2 of 2026/27 (July to September 2026); a response is due 20 working days after the complaint came (31
August is a bank holiday). Team A's base is in district A, Team B's in district B.

- K1 (A): received 2 July, due 30 July; withdrawn on 30 July: left out of the timescale.
- K2 (A): received 6 July, due 3 August; withdrawn on 10 August: in the timescale, not on time.
- K3 (A): recorded as received 1 June, corrected on 10 July to 3 July (due 31 July); answered 31 July, upheld.
- K4 (A): names a family of Team A; received 1 September, due 29 September; not answered.
- K5 (B): received 20 August, due 18 September; answered 18 September, not upheld.

By hand: received in the quarter 5 (K3 as corrected): A 4, B 1. Answered or withdrawn in it: withdrawn 2 (K1,
K2), upheld 1 (K3), not upheld 1 (K5). Due in the quarter and not withdrawn by the due day: K2, K3, K4 (A) and K5
(B) = 4; answered by the due day: K3 (A), K5 (B) = 2; A 33.3%, B 100%, county 50%.
"""

from datetime import date

import pytest
import time_machine

from reporting.periods import parse_period
from reporting.voice_figures import voice_complaint_outcomes, voice_complaints_on_time, voice_complaints_received
from tests.referrals.factories import allocated_referral
from tests.reporting.hand_checked import values
from tests.voice.factories import complaint
from voice import services

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Q2 = parse_period("2026-Q2")


@pytest.fixture
def quarter(cast):
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert a != b, "the cast's two teams must be in different districts for these sums"
    with time_machine.travel(date(2026, 6, 20), tick=False):
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        k3 = complaint(actor=cast.manager, received_on=date(2026, 6, 1), category="quality")
    with time_machine.travel(date(2026, 7, 10), tick=False):
        services.complaint_correct(complaint=k3, actor=cast.manager, reason="Wrong month", received_on=date(2026, 7, 3))
    with time_machine.travel(date(2026, 10, 5), tick=False):

        def made(received, responded=None, outcome="", **where):
            item = complaint(actor=where.pop("actor", cast.manager), received_on=received, **where)
            if responded:
                services.complaint_respond(
                    complaint=item, actor=item.created_by, responded_on=responded, outcome=outcome
                )
            return item

        made(date(2026, 7, 2), date(2026, 7, 30), "withdrawn")  # K1
        made(date(2026, 7, 6), date(2026, 8, 10), "withdrawn")  # K2
        services.complaint_respond(complaint=k3, actor=cast.manager, responded_on=date(2026, 7, 31), outcome="upheld")
        made(date(2026, 9, 1), family=family)  # K4
        made(date(2026, 8, 20), date(2026, 9, 18), "not_upheld", actor=cast.other_manager)  # K5
    return a, b


def test_complaints_received_count_the_corrected_date(quarter):
    a, b = quarter
    rows = voice_complaints_received(Q2, [a, b])
    assert sum(r.values[a] for r in rows) == 4 and sum(r.values[b] for r in rows) == 1
    assert values(rows, "Quality of service", a, b) == (1, 0, 1)  # K3, moved from June


def test_outcomes_dated_in_the_quarter(quarter):
    a, b = quarter
    rows = voice_complaint_outcomes(Q2, [a, b])
    assert values(rows, "Withdrawn", a, b) == (2, 0, 2)
    assert values(rows, "Upheld", a, b) == (1, 0, 1)
    assert values(rows, "Not upheld", a, b) == (0, 1, 1)


def test_withdrawn_on_the_due_day_is_left_out_and_after_it_is_late(quarter):
    a, b = quarter
    rows = voice_complaints_on_time(Q2, [a, b])
    assert values(rows, "Response due in the quarter", a, b) == (3, 1, 4)
    assert values(rows, "Answered within 20 working days", a, b) == (1, 1, 2)
    assert values(rows, "% answered within 20 working days", a, b) == (33.3, 100.0, 50.0)
