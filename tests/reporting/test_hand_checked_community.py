"""The networks-of-support figures (reach section) worked out by hand from their published definitions, on the
edges a commissioner checks: follow-ups falling due on the quarter's first and last day, an answer given at 23:30
on the last day (UK time) and changed after the quarter, a family connected twice, a "could not find out".

Quarter 1 of 2026/27 (April to June 2026); a follow-up falls due four weeks after the connection. District A is
Team A's, district B Team B's.

- F1 (A): connected 2 June (due 30 June); "did not go" recorded at 23:30 on 30 June, changed on 3 July to "went".
- F2 (A): connected 4 March (due 1 April); "went" recorded on 1 April.
- F3 (A): connected on 5 May to a group and to another service (both due 2 June): went to one, not the other.
- F4 (A): connected 3 June (due 1 July, the next quarter); "went" recorded on 20 June.
- F5 (B): connected 31 March (due 28 April); "could not find out".

By hand: families connected in the quarter: F1, F3 (once), F4 = 3 (A). Follow-ups due in the quarter and answered
by its end: F1 (did not go, as it stood on 30 June), F2 (went), F3 (went, once) = 3; F5's is left out; F4's is
not due yet. Went: F2, F3 = 2, 66.7%.
"""

from datetime import date

import pytest

from bases.models import Locality
from community import services
from reporting.community_figures import community_connections, community_grants, community_grants_count
from reporting.periods import parse_period
from tests.community.factories import community_group, grant_application
from tests.referrals.factories import allocated_referral
from tests.reporting.hand_checked import at, values

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

Q1 = parse_period("2026-Q1")


@pytest.fixture
def quarter(cast):
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert a != b, "the cast's two teams must be in different districts for these sums"
    with at(date(2026, 2, 2)):
        group = community_group(cast)
        f1, f2, f3, f4 = (
            allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family for _ in range(4)
        )
        f5 = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker).family

    def connect(family, day, worker=cast.worker, **to):
        with at(day):
            return services.connection_create(family=family, actor=worker, **(to or {"group": group}))

    def answer(connection, moment, outcome, worker=cast.worker):
        with moment:
            services.connection_record_outcome(connection=connection, actor=worker, outcome=outcome)

    first = connect(f1, date(2026, 6, 2))
    answer(first, at(date(2026, 6, 30), 23, 30), "did_not_go")
    answer(first, at(date(2026, 7, 3)), "going_helping")
    answer(connect(f2, date(2026, 3, 4)), at(date(2026, 4, 1)), "going_helping")
    answer(connect(f3, date(2026, 5, 5)), at(date(2026, 6, 2)), "going_not_helping")
    answer(connect(f3, date(2026, 5, 5), service_name="Home-Start"), at(date(2026, 6, 2)), "did_not_go")
    answer(connect(f4, date(2026, 6, 3)), at(date(2026, 6, 20)), "going_helping")
    answer(
        connect(f5, date(2026, 3, 31), worker=cast.other_worker), at(date(2026, 4, 28)), "unknown", cast.other_worker
    )
    return a, b


def test_families_connected_in_the_quarter_each_once(quarter):
    a, b = quarter
    assert values(community_connections(Q1, [a, b]), "Families connected", a, b) == (3, 0, 3)


def test_the_share_who_went_reads_each_answer_as_it_stood_at_the_quarters_end(quarter):
    a, b = quarter
    rows = community_connections(Q1, [a, b])
    assert values(rows, "Followed up: families asked whether they went", a, b) == (3, 0, 3)
    assert values(rows, "Went", a, b) == (2, 0, 2)
    assert values(rows, "% who went", a, b) == (66.7, None, 66.7)


def test_the_next_quarter_has_its_own_follow_ups_and_the_changed_answer(quarter):
    a, b = quarter
    rows = community_connections(parse_period("2026-Q2"), [a, b])
    # Only F4's follow-up (due 1 July) falls in July to September: answered "went" in June.
    assert values(rows, "Followed up: families asked whether they went", a, b) == (1, 0, 1)
    assert values(rows, "Went", a, b) == (1, 0, 1)


# Community grants --------------------------------------------------------------------------------------------


@pytest.fixture
def grants(cast):
    """District A: approved 31 March (the quarter before, £900); approved 1 April and withdrawn 20 June (£800);
    approved at 23:30 on 30 June (£1,000) and withdrawn on 2 July; approved on 1 July (£700, the next quarter).
    District B: approved 15 May (£1,500); its monitoring: up to 31 May 10 families, up to 30 June 12, up to
    1 July 5.

    By hand, quarter 1: A £1,000 in 1 grant (the withdrawal came after the quarter; the £800 was withdrawn within
    it), B £1,500 in 1; county £2,500 in 2. Families reached in returns up to a date in the quarter: 10 + 12 =
    22 (B)."""
    a, b = cast.team.base.district.name, cast.other_team.base.district.name
    assert a != b, "the cast's two teams must be in different districts for these sums"
    for year in (2025, 2026):
        services.grant_budget_adjust(financial_year=year, amount="20000", reason="Committee", actor=cast.admin)

    def approved(moment, amount, **place):
        with moment:
            application = grant_application(cast, amount_requested=amount, **place)
            services.grant_assess(application=application, actor=cast.manager, quality_points=6)
            return services.grant_approve(application=application, actor=cast.other_manager, amount=amount)

    approved(at(date(2026, 3, 31)), "900")
    early = approved(at(date(2026, 4, 1)), "800")
    with at(date(2026, 6, 20)):
        services.grant_withdraw(application=early, actor=cast.manager, reason="The group folded")
    late = approved(at(date(2026, 6, 30), 23, 30), "1000")
    with at(date(2026, 7, 2)):
        services.grant_withdraw(application=late, actor=cast.manager, reason="The hall closed")
    approved(at(date(2026, 7, 1)), "700")
    district_b = cast.other_team.base.district
    town_b = Locality.objects.filter(district=district_b, is_other=False).order_by("name").first()
    funded = approved(at(date(2026, 5, 15)), "1500", district=district_b, locality=town_b)
    for day, families in ((date(2026, 5, 31), 10), (date(2026, 6, 30), 12), (date(2026, 7, 1), 5)):
        with at(date(2026, 7, 1), 12):
            services.grant_record_monitoring(
                application=funded, actor=cast.manager, period_end=day, families_reached=families, sessions_held=4
            )
    return a, b


def test_grants_approved_in_the_quarter_count_though_withdrawn_after_it(grants):
    a, b = grants
    rows = community_grants(Q1, [a, b])
    assert values(rows, "All grants", a, b) == ("1000.00", "1500.00", "2500.00")
    counted = community_grants_count(Q1, [a, b])
    assert values(counted, "Grants approved", a, b) == (1, 1, 2)
    assert values(counted, "Families the funded groups reached", a, b) == (0, 22, 22)


def test_a_grant_withdrawn_within_the_quarter_is_not_counted_and_the_next_quarter_has_its_own(grants):
    a, b = grants
    rows = community_grants(parse_period("2026-Q2"), [a, b])
    assert values(rows, "All grants", a, b) == ("700.00", "0.00", "700.00")
    assert values(community_grants(parse_period("2025-Q4"), [a, b]), "All grants", a, b)[0] == "900.00"
