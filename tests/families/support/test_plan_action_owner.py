"""A plan action given to a family member goes to someone born: an unborn baby is never offered nor accepted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Person, PlanAction
from tests.families.factories import active_plan, plan_action
from tests.families.support.test_support import _date
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def plan_and_baby(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    baby = Person.objects.create(
        family=family,
        kind=Person.Kind.UNBORN,
        first_name="Baby",
        last_name="Howes",
        expected_date=timezone.localdate() + timedelta(days=60),
    )
    return active_plan(family=family, worker=cast.worker, manager=cast.manager), baby


def test_an_action_cannot_be_given_to_an_unborn_baby(client, cast, plan_and_baby):
    plan, baby = plan_and_baby
    client.force_login(cast.worker)
    url = reverse("plan-action-add", args=[plan.uuid])
    assert f'value="{baby.pk}"' not in client.get(url).content.decode()
    due = _date("due_on", timezone.localdate() + timedelta(days=7))
    response = client.post(
        url, {"description": "Pack a hospital bag", "owner": "family", "owner_person": baby.pk, **due}
    )
    assert response.status_code == 400
    assert not PlanAction.objects.exists()


def test_an_action_cannot_be_reassigned_to_an_unborn_baby(cast, plan_and_baby):
    from django.core.exceptions import ValidationError

    from families.support import services

    plan, baby = plan_and_baby
    action = plan_action(plan=plan, worker=cast.worker)
    with pytest.raises(ValidationError, match="Choose the family member"):
        services.plan_action_reassign(action=action, owner="family", owner_person=baby, actor=cast.worker)
    action.refresh_from_db()
    assert action.owner == "worker"
