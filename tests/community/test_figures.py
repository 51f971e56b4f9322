"""The quarterly return's networks-of-support figures, and small numbers protected for commissioners."""

from datetime import date

import pytest
import time_machine

from community import services
from reporting.community_figures import community_connections, community_grants
from reporting.figures import compute_figures
from reporting.kpis import COUNTY
from reporting.periods import parse_period
from tests.referrals.factories import allocated_referral

from .factories import community_group, grant_application

pytestmark = pytest.mark.django_db

Q1 = parse_period("2026-Q1")  # April to June 2026


def on(day):
    return time_machine.travel(day, tick=False)


def row(rows, label):
    return next(r for r in rows if r.label == label)


@pytest.fixture
def connected(cast):
    """Six families connected in May; by the end of June two went, one did not, one could not be asked."""
    group = community_group(cast)
    families = [allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family for _ in range(6)]
    with on(date(2026, 5, 5)):
        connections = [services.connection_create(family=f, actor=cast.worker, group=group) for f in families]
    with on(date(2026, 6, 10)):
        for connection, outcome in zip(
            connections[:4], ["going_helping", "going_not_helping", "did_not_go", "unknown"], strict=True
        ):
            services.connection_record_outcome(connection=connection, actor=cast.worker, outcome=outcome)
    return families[0].district.name


def test_families_connected_and_the_share_who_went(cast, connected):
    districts = [connected]
    rows = community_connections(Q1, districts)

    assert row(rows, "Families connected").values[connected] == 6
    assert row(rows, "Followed up: families asked whether they went").values[COUNTY] == 3
    assert row(rows, "Went").values[COUNTY] == 2
    assert row(rows, "% who went").values[COUNTY] == 66.7


def test_an_answer_after_the_quarter_does_not_change_it(cast, connected):
    rows = community_connections(parse_period("2025-Q4"), [connected])
    assert row(rows, "Families connected").values[COUNTY] == 0


def test_grants_by_district_and_town(cast):
    services.grant_budget_adjust(financial_year=2026, amount="10000", reason="Committee", actor=cast.admin)
    with on(date(2026, 5, 1)):
        application = grant_application(cast)
        services.grant_assess(application=application, actor=cast.manager, quality_points=6)
        services.grant_approve(application=application, actor=cast.other_manager, amount="2000")
    district = application.district.name
    rows = community_grants(Q1, [district])

    assert rows[0].values[district] == "2000.00"
    assert row(rows, application.locality.name).values[COUNTY] == "2000.00"


def test_a_commissioner_sees_small_counts_protected(cast, connected):
    with on(date(2026, 7, 2)):
        figures = compute_figures(Q1, with_trend=False)
    kpi = next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == "community_connections")
    went = next(r for r in kpi["rows"] if r["label"] == "Went")
    share = next(r for r in kpi["rows"] if r["label"] == "% who went")
    assert went["display"][connected] == "[c]" and went["values"][connected] is None
    assert share["display"][connected] == "[c]"  # a percentage on a base under 5
    connected_row = next(r for r in kpi["rows"] if r["label"] == "Families connected")
    assert connected_row["display"][connected] == "6"
