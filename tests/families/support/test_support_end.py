"""DESIGN §4, caseload: ending support ends the allocations, so caseloads count only families in support."""

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Allocation, Family, FollowUp
from families.selectors import family_list, worker_caseloads
from families.services import family_add_co_worker
from families.support import services as support_services
from families.support.selectors import caseload, support_ended
from referrals import services as referral_services
from reporting.kpis import caseload_per_worker
from reporting.periods import period_containing
from tests.families.factories import active_plan, closed_plan
from tests.referrals.factories import allocated_referral


@pytest.fixture
def family(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    family_add_co_worker(family=family, worker=cast.colleague, actor=cast.manager)
    return family


def _open_allocations(family) -> int:
    return Allocation.objects.filter(family=family, ended_at__isnull=True).count()


def _caseload_of(cast, user) -> int:
    return next(row.open_families for row in worker_caseloads(manager=cast.manager) if row.user == user)


def test_closing_the_last_plan_ends_every_allocation_and_the_lead_keeps_sight_for_the_follow_up(client, cast, family):
    plan = closed_plan(family=family, worker=cast.worker, manager=cast.manager)

    family.refresh_from_db()
    assert family.status == Family.Status.CLOSED
    assert _open_allocations(family) == 0
    ended = Allocation.objects.filter(family=family)
    assert {a.end_reason for a in ended} == {"Support ended: plan closed (needs met)"}
    assert caseload(user=cast.worker, today=timezone.localdate()) == []
    assert _caseload_of(cast, cast.worker) == 0 and _caseload_of(cast, cast.colleague) == 0
    # The lead worker still sees the family to record the six-month follow-up; the co-worker does not.
    assert family_list(user=cast.worker).filter(pk=family.pk).exists()
    assert not family_list(user=cast.colleague).filter(pk=family.pk).exists()
    rows = support_ended(user=cast.worker)
    assert [row.family for row in rows] == [family]
    assert rows[0].follow_up_due == FollowUp.objects.get(plan=plan).due_on

    client.force_login(cast.worker)
    in_support = client.get(reverse("family-list")).content.decode()
    assert family.reference not in in_support and "No families are allocated to you." in in_support
    ended_page = client.get(reverse("family-list"), {"show": "ended"}).content.decode()
    assert family.reference in ended_page

    FollowUp.objects.filter(plan=plan).update(due_on=timezone.localdate())
    support_services.follow_up_record(follow_up=plan.follow_up, sustained=True, notes="", actor=cast.worker)
    assert not family_list(user=cast.worker).filter(pk=family.pk).exists()
    assert client.get(reverse("family-detail", args=[family.reference])).status_code == 404
    assert support_ended(user=cast.worker) == []


def test_a_plan_closed_as_stepped_up_leaves_no_follow_up_and_no_sight_of_the_family(cast, family):
    closed_plan(family=family, worker=cast.worker, manager=cast.manager, reason="stepped_up")
    assert _open_allocations(family) == 0
    assert not family_list(user=cast.worker).filter(pk=family.pk).exists()
    assert family_list(user=cast.manager).filter(pk=family.pk).exists()


def test_an_allocated_referral_stepped_up_before_any_plan_ends_support(cast, family):
    referral = family.referrals.get()
    referral_services.referral_decide(
        referral=referral, decision="step_up", reason="social_care", notes="Threshold met", actor=cast.manager
    )
    family.refresh_from_db()
    assert family.status == Family.Status.CLOSED
    assert _open_allocations(family) == 0
    assert _caseload_of(cast, cast.worker) == 0


def test_with_a_plan_open_a_withdrawn_referral_leaves_the_family_in_support(cast, family):
    active_plan(family=family, worker=cast.worker, manager=cast.manager)
    referral_services.referral_decide(
        referral=family.referrals.get(),
        decision="withdraw",
        reason="family_withdrew",
        notes="Family moving",
        actor=cast.manager,
    )
    family.refresh_from_db()
    assert family.status == Family.Status.OPEN
    assert _open_allocations(family) == 2


def test_the_returns_caseload_counts_only_families_in_support_at_the_period_end(cast, family):
    """By hand: the worker leads three families, the colleague co-works the first; the first's support ends.
    Open at the month's end: the worker's other two. Workers in the district: the worker and the colleague
    (and the other team's worker when its base is in the same district)."""
    allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    closed_plan(family=family, worker=cast.worker, manager=cast.manager, reason="stepped_up")
    district = cast.team.base.district
    workers = 3 if cast.other_team.base.district_id == district.pk else 2
    row = caseload_per_worker(period_containing("monthly", timezone.localdate()), [district.name])[0]
    assert row.bases[district.name] == workers
    assert row.values[district.name] == round(2 / workers, 2)
