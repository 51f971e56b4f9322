"""A second approver from another base (#17 item 8): offered only what they may decide, and after deciding
lands on a page they can see, with the banner."""

import pytest
from django.urls import reverse

from bases.models import Base, Team
from ecfs.roles import Role
from support_fund import selectors, services
from support_fund.models import Application
from tests.factories import UserFactory

from .factories import application, budget, family_in_support

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(cast):
    """A team manager of another base in the same district as cast.team."""
    other_base = Base.objects.filter(district=cast.team.base.district).exclude(pk=cast.team.base_id).first()
    user = UserFactory(role=Role.MANAGER, email="neighbour@example.org")
    Team.objects.create(name="Neighbouring team", base=other_base, manager=user)
    return user


def test_a_second_approver_is_offered_only_what_they_may_decide(cast, neighbour):
    family = family_in_support(cast)
    budget(cast, "1000")
    big = application(cast, family, amount="300.00")
    small = application(cast, family, amount="10.00")
    services.application_approve(application=big, actor=cast.manager)
    big.refresh_from_db()
    assert big.status == Application.Status.AWAITING_SECOND
    # The neighbour may give the second approval, not decide the first.
    assert list(selectors.decision_queue(manager=neighbour)) == [big]
    assert services.can_decide_application(neighbour, big)
    # The first approver waits for someone else: the application leaves their queue.
    assert list(selectors.decision_queue(manager=cast.manager)) == [small]
    for app in selectors.decision_queue(manager=neighbour):
        assert services.can_decide_application(neighbour, app)


def test_after_the_second_approval_the_approver_lands_on_the_fund_queue_with_the_banner(client, cast, neighbour):
    family = family_in_support(cast)
    budget(cast, "1000")
    big = application(cast, family, amount="300.00")
    services.application_approve(application=big, actor=cast.manager)
    client.force_login(neighbour)
    response = client.post(reverse("fund-decide", args=[big.uuid]), {"decision": "approve", "reason": "Agreed"})
    assert response.status_code == 302
    assert response["Location"] == reverse("fund-home")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Decision recorded." in page.content.decode()
    big.refresh_from_db()
    assert big.status == Application.Status.APPROVED


def test_the_bases_own_manager_still_lands_on_the_application_after_deciding(client, cast):
    family = family_in_support(cast)
    budget(cast, "1000")
    small = application(cast, family, amount="10.00")
    client.force_login(cast.manager)
    response = client.post(reverse("fund-decide", args=[small.uuid]), {"decision": "approve", "reason": "Agreed"})
    assert response["Location"] == reverse("fund-application", args=[small.uuid])
