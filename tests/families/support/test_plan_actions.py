"""Plan actions (issue #17 item 5): marked done, reopened, reassigned and re-dated, each audited, through the
services in families/support/services/plans.py; the plan page's links and small form pages; My week; the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import PlanAction, SupportPlan
from families.services import family_add_co_worker
from families.support import services as support_services
from tests.api.conftest import client_for
from tests.families.factories import active_plan, closed_plan, draft_plan, plan_action
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


@pytest.fixture
def plan(cast, family):
    return active_plan(family=family, worker=cast.worker, manager=cast.manager)


@pytest.fixture
def action(cast, plan):
    return plan_action(plan=plan, worker=cast.worker, description="Ring the nursery about a funded place")


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _audited(action_name) -> AuditEvent:
    return AuditEvent.objects.filter(action=action_name).latest("pk")


# The services ----------------------------------------------------------------------------------


def test_an_action_is_marked_done_with_its_date_and_audited(cast, action):
    today = timezone.localdate()
    support_services.plan_action_done(action=action, done_on=today, actor=cast.worker)
    action.refresh_from_db()
    assert action.done_on == today
    assert "Ring the nursery" in _audited(AuditAction.PLAN_ACTION_DONE).summary
    with pytest.raises(ApplicationError, match="already marked done"):
        support_services.plan_action_done(action=action, done_on=today, actor=cast.worker)


def test_an_action_cannot_be_done_in_the_future_or_before_the_plan_started(cast, action):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as future:
        support_services.plan_action_done(action=action, done_on=today + timedelta(days=1), actor=cast.worker)
    assert future.value.message_dict["done_on"] == ["The date it was done must be today or in the past"]
    with pytest.raises(ValidationError) as before:
        support_services.plan_action_done(action=action, done_on=today - timedelta(days=1), actor=cast.worker)
    assert "on or after the day the plan started" in before.value.message_dict["done_on"][0]


def test_a_done_action_is_reopened_with_a_reason(cast, action):
    support_services.plan_action_done(action=action, done_on=timezone.localdate(), actor=cast.worker)
    with pytest.raises(ValidationError, match="Say why"):
        support_services.plan_action_reopen(action=action, reason=" ", actor=cast.worker)
    support_services.plan_action_reopen(action=action, reason="The nursery never rang back", actor=cast.worker)
    action.refresh_from_db()
    assert action.done_on is None
    assert "The nursery never rang back" in _audited(AuditAction.PLAN_ACTION_REOPENED).summary
    with pytest.raises(ApplicationError, match="not marked done"):
        support_services.plan_action_reopen(action=action, reason="Again", actor=cast.worker)


def test_an_action_is_re_dated_within_the_plans_life_with_a_reason(cast, plan, action):
    new_day = timezone.localdate() + timedelta(days=21)
    support_services.plan_action_redate(action=action, due_on=new_day, reason="Nursery closed", actor=cast.worker)
    action.refresh_from_db()
    assert action.due_on == new_day
    event = _audited(AuditAction.PLAN_ACTION_REDATED)
    assert "Nursery closed" in event.summary and event.changes["due_on"]["new"] == str(new_day)
    with pytest.raises(ValidationError) as too_early:
        support_services.plan_action_redate(
            action=action, due_on=timezone.localdate(plan.created_at) - timedelta(days=1), reason="x", actor=cast.worker
        )
    assert "plan was drafted" in too_early.value.message_dict["due_on"][0]
    with pytest.raises(ValidationError) as too_late:
        support_services.plan_action_redate(
            action=action, due_on=timezone.localdate() + timedelta(days=3 * 365), reason="x", actor=cast.worker
        )
    assert "2 years ahead" in too_late.value.message_dict["due_on"][0]
    with pytest.raises(ValidationError, match="Say why"):
        support_services.plan_action_redate(
            action=action, due_on=new_day + timedelta(days=1), reason="", actor=cast.worker
        )


def test_an_action_is_reassigned_to_an_allocated_worker_a_parent_or_an_agency(cast, family, action):
    with pytest.raises(ValidationError) as not_allocated:
        support_services.plan_action_reassign(
            action=action, owner="worker", owner_worker=cast.colleague, actor=cast.worker
        )
    assert not_allocated.value.message_dict["owner_worker"] == ["Choose a worker allocated to the family"]
    family_add_co_worker(family=family, worker=cast.colleague, actor=cast.manager, reason="Cover")
    support_services.plan_action_reassign(action=action, owner="worker", owner_worker=cast.colleague, actor=cast.worker)
    action.refresh_from_db()
    assert action.owner_worker == cast.colleague
    assert cast.colleague.get_full_name() in _audited(AuditAction.PLAN_ACTION_REASSIGNED).summary
    parent = family.members.filter(kind="parent_carer").first()
    support_services.plan_action_reassign(action=action, owner="family", owner_person=parent, actor=cast.worker)
    action.refresh_from_db()
    assert (action.owner, action.owner_person, action.owner_worker) == ("family", parent, None)


def test_only_the_plans_worker_an_allocated_worker_or_the_bases_manager_change_actions(cast, action):
    with pytest.raises(ApplicationError, match="Only the plan's worker"):
        support_services.plan_action_done(action=action, done_on=timezone.localdate(), actor=cast.other_manager)
    support_services.plan_action_done(action=action, done_on=timezone.localdate(), actor=cast.manager)


def test_actions_of_a_draft_or_closed_plan_cannot_be_changed(cast, family):
    draft = draft_plan(family=family, worker=cast.worker, kind=SupportPlan.Kind.GROUP)
    draft_action = plan_action(plan=draft, worker=cast.worker)
    with pytest.raises(ApplicationError, match="draft cannot have its actions marked done"):
        support_services.plan_action_done(action=draft_action, done_on=timezone.localdate(), actor=cast.worker)
    closed = closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    closed_action = PlanAction.objects.create(
        plan=closed, description="Old", owner="worker", owner_worker=cast.worker, due_on=timezone.localdate()
    )
    with pytest.raises(ApplicationError, match="closed cannot have its actions re-dated"):
        support_services.plan_action_redate(
            action=closed_action, due_on=timezone.localdate(), reason="x", actor=cast.worker
        )


# My week ---------------------------------------------------------------------------------------


def test_an_overdue_action_is_in_my_week_flagged_for_its_owner_only(client, cast, family, action):
    PlanAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(cast.worker)
    html = client.get(reverse("my-week")).content.decode()
    assert "Action: Ring the nursery" in html and "Overdue" in html
    family_add_co_worker(family=family, worker=cast.colleague, actor=cast.manager, reason="Cover")
    support_services.plan_action_reassign(action=action, owner="worker", owner_worker=cast.colleague, actor=cast.worker)
    assert "Ring the nursery" not in client.get(reverse("my-week")).content.decode()
    client.force_login(cast.colleague)
    html = client.get(reverse("my-week")).content.decode()
    assert "Action: Ring the nursery" in html and "Overdue" in html
    support_services.plan_action_done(action=action, done_on=timezone.localdate(), actor=cast.colleague)
    assert "Ring the nursery" not in client.get(reverse("my-week")).content.decode()


# The pages -------------------------------------------------------------------------------------


def test_a_worker_marks_an_action_done_from_the_plan_page(client, cast, plan, action):
    client.force_login(cast.worker)
    page = client.get(reverse("plan-detail", args=[plan.uuid])).content.decode()
    done_url = reverse("plan-action-done", args=[plan.uuid, action.uuid])
    assert done_url in page and reverse("plan-action-change", args=[plan.uuid, action.uuid]) in page
    form = client.get(done_url).content.decode()
    assert f'value="{timezone.localdate().year}"' in form  # the date defaults to today
    future = client.post(done_url, _date("done_on", timezone.localdate() + timedelta(days=1)))
    assert future.status_code == 400 and "must be today or in the past" in future.content.decode()
    response = client.post(done_url, _date("done_on", timezone.localdate()))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()


def test_a_worker_reopens_re_dates_and_reassigns_from_the_change_pages(client, cast, family, plan, action):
    client.force_login(cast.worker)
    args = [plan.uuid, action.uuid]
    new_day = timezone.localdate() + timedelta(days=14)
    no_reason = client.post(reverse("plan-action-redate", args=args), _date("due_on", new_day))
    assert no_reason.status_code == 400 and "Say why the due date is changing" in no_reason.content.decode()
    assert (
        client.post(
            reverse("plan-action-redate", args=args), {**_date("due_on", new_day), "reason": "Holiday"}
        ).status_code
        == 302
    )
    parent = family.members.filter(kind="parent_carer").first()
    assert (
        client.post(
            reverse("plan-action-reassign", args=args), {"owner": "family", "owner_person": parent.pk}
        ).status_code
        == 302
    )
    support_services.plan_action_done(action=action, done_on=timezone.localdate(), actor=cast.worker)
    assert "Reopen" in client.get(reverse("plan-action-change", args=args)).content.decode()
    assert client.post(reverse("plan-action-reopen", args=args), {"reason": "Not done after all"}).status_code == 302
    action.refresh_from_db()
    assert (action.due_on, action.owner_person, action.done_on) == (new_day, parent, None)


def test_another_workers_plan_action_pages_are_404(client, cast, plan, action):
    client.force_login(cast.other_worker)
    for name in ("plan-action-done", "plan-action-change", "plan-action-reopen", "plan-action-redate"):
        assert client.get(reverse(name, args=[plan.uuid, action.uuid])).status_code == 404, name


def test_an_action_of_another_plan_is_404(client, cast, family, plan):
    other_family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    other_plan = active_plan(family=other_family, worker=cast.worker, manager=cast.manager)
    other_action = plan_action(plan=other_plan, worker=cast.worker)
    client.force_login(cast.worker)
    assert client.get(reverse("plan-action-done", args=[plan.uuid, other_action.uuid])).status_code == 404


# The API ---------------------------------------------------------------------------------------


def test_the_api_marks_an_action_done(cast, plan, action):
    url = reverse("api-plan-action-done", args=[plan.uuid, action.uuid])
    api = client_for(cast.worker)
    future = api.post(url, {"done_on": str(timezone.localdate() + timedelta(days=1))}, format="json")
    assert future.status_code == 400 and "done_on" in future.json()["error"]["fields"]
    response = api.post(url, {"done_on": str(timezone.localdate())}, format="json")
    assert response.status_code == 200
    assert response.json()["uuid"] == str(action.uuid) and response.json()["done_on"] == str(timezone.localdate())
    again = api.post(url, {"done_on": str(timezone.localdate())}, format="json")
    assert again.status_code == 409
    detail = api.get(reverse("api-plan-detail", args=[plan.uuid])).json()
    assert detail["actions"][0]["uuid"] == str(action.uuid)


def test_the_api_action_of_another_workers_plan_is_404(cast, plan, action):
    url = reverse("api-plan-action-done", args=[plan.uuid, action.uuid])
    response = client_for(cast.other_worker).post(url, {"done_on": str(timezone.localdate())}, format="json")
    assert response.status_code == 404
    assert (
        client_for(cast.worker)
        .post(reverse("api-plan-action-done", args=[plan.uuid, "not-a-uuid"]), {}, format="json")
        .status_code
        == 404
    )
