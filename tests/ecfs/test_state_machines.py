"""The plan's and the fund application's state machines: one table each, read by the services and the pages."""

import pytest
from django.utils import timezone

from ecfs.errors import ApplicationError
from families.models import SupportPlan
from families.support import services as support_services
from families.support.services import plans as plan_rules
from support_fund import services as fund
from support_fund.models import Application
from tests.families.factories import active_plan, draft_plan, scores
from tests.referrals.factories import allocated_referral
from tests.support_fund.factories import application, budget, family_in_support


def test_every_plan_status_is_in_the_table_and_leads_only_to_plan_statuses():
    assert set(plan_rules.PLAN_TRANSITIONS) == set(SupportPlan.Status)
    for steps in plan_rules.PLAN_TRANSITIONS.values():
        assert set(steps.values()) <= set(SupportPlan.Status)


def test_every_application_status_is_in_the_table_and_leads_only_to_application_statuses():
    assert set(fund.APPLICATION_TRANSITIONS) == set(Application.Status)
    for steps in fund.APPLICATION_TRANSITIONS.values():
        assert set(steps.values()) <= set(Application.Status)
    finished = {Application.Status.DECLINED, Application.Status.PAID, Application.Status.CANCELLED}
    assert all(not fund.APPLICATION_TRANSITIONS[status] for status in finished)


def _refused(call) -> bool:
    try:
        call()
    except ApplicationError:
        return True
    return False


@pytest.mark.django_db
def test_plan_predicates_agree_with_the_services(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    plan = draft_plan(family=family, worker=cast.worker)
    # A draft: nobody can approve it or return it, and it cannot be closed.
    assert not plan_rules.can_approve_plan(cast.manager, plan)
    assert _refused(lambda: support_services.plan_approve_activation(plan=plan, actor=cast.manager))
    assert not plan_rules.can_return_plan(cast.manager, plan)
    assert _refused(lambda: support_services.plan_return_to_worker(plan=plan, reason="No", actor=cast.manager))
    assert not plan_rules.can_request_closure(cast.worker, plan)
    assert plan_rules.can_submit_plan(cast.worker, plan)
    support_services.outcome_record(
        plan=plan, stage="start", scores=scores(plan, 3), assessed_on=timezone.localdate(), actor=cast.worker
    )
    support_services.plan_submit_for_activation(plan=plan, actor=cast.worker)
    plan.refresh_from_db()
    # Awaiting approval: the worker cannot approve their own plan, a manager of another base cannot, theirs can.
    assert not plan_rules.can_approve_plan(cast.worker, plan)
    assert _refused(lambda: support_services.plan_approve_activation(plan=plan, actor=cast.worker))
    assert not plan_rules.can_approve_plan(cast.other_manager, plan)
    assert _refused(lambda: support_services.plan_approve_activation(plan=plan, actor=cast.other_manager))
    assert not plan_rules.can_submit_plan(cast.worker, plan)
    assert plan_rules.can_approve_plan(cast.manager, plan)
    support_services.plan_approve_activation(plan=plan, actor=cast.manager)
    plan.refresh_from_db()
    assert plan_rules.can_request_closure(cast.worker, plan) and plan_rules.can_review_plan(cast.worker, plan)
    assert not plan_rules.can_approve_plan(cast.manager, plan)
    assert _refused(lambda: support_services.plan_approve_closure(plan=plan, actor=cast.manager))


@pytest.mark.django_db
def test_a_closed_plan_allows_nothing(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    plan.status = SupportPlan.Status.CLOSED
    for predicate in (
        plan_rules.can_submit_plan,
        plan_rules.can_add_plan_action,
        plan_rules.can_review_plan,
        plan_rules.can_request_closure,
        plan_rules.can_approve_plan,
        plan_rules.can_return_plan,
    ):
        assert not predicate(cast.manager, plan)


@pytest.mark.django_db
def test_application_predicates_agree_with_the_services(cast):
    budget(cast, "1000.00")
    family = family_in_support(cast)
    submitted = application(cast, family)
    # The applicant cannot decide on their own application; a manager of another base cannot; theirs can.
    assert not fund.can_decide_application(cast.worker, submitted)
    assert _refused(lambda: fund.application_approve(application=submitted, actor=cast.worker))
    assert not fund.can_decide_application(cast.other_manager, submitted)
    assert _refused(lambda: fund.application_decline(application=submitted, actor=cast.other_manager, reason="No"))
    assert not fund.can_record_payment(cast.manager, submitted)
    assert _refused(
        lambda: fund.application_record_payment(
            application=submitted, paid_on=timezone.localdate(), reference="P1", actor=cast.manager
        )
    )
    assert fund.can_decide_application(cast.manager, submitted)
    approved = fund.application_approve(application=submitted, actor=cast.manager)
    assert not fund.can_decide_application(cast.manager, approved)
    assert _refused(lambda: fund.application_decline(application=approved, actor=cast.manager, reason="No"))
    assert not fund.can_record_payment(cast.other_manager, approved)
    assert fund.can_record_payment(cast.manager, approved)
    assert not fund.can_cancel_application(cast.worker, approved)
    assert _refused(lambda: fund.application_cancel(application=approved, actor=cast.worker, reason="No"))
    assert fund.can_cancel_application(cast.manager, approved)
    paid = fund.application_record_payment(
        application=approved, paid_on=timezone.localdate(), reference="P1", actor=cast.manager
    )
    assert not fund.can_cancel_application(cast.manager, paid)
    assert _refused(lambda: fund.application_cancel(application=paid, actor=cast.manager, reason="No"))
    # A draft: only its applicant submits or cancels it.
    draft = application(cast, family, submit=False)
    assert fund.can_submit_application(cast.worker, draft) and not fund.can_submit_application(cast.manager, draft)
    assert _refused(lambda: fund.application_submit(application=draft, actor=cast.manager))
    assert not fund.can_cancel_application(cast.manager, draft)
    assert _refused(lambda: fund.application_cancel(application=draft, actor=cast.manager, reason="No"))
    assert fund.can_cancel_application(cast.worker, draft)
