"""Fixtures for the API tests: a clean throttle cache, partner tokens, a scenario."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from ecfs.api.services import partner_system_create
from tests.advice.factories import advice_entry
from tests.community.factories import community_scenario
from tests.development.factories import review_of
from tests.families.factories import draft_plan, home_visit, plan_action
from tests.partnership.factories import partnership_scenario
from tests.referrals.factories import allocated_referral
from tests.support_fund.factories import application, budget, family_in_support
from tests.venues.factories import group_scenario
from tests.voice.factories import complaint


@pytest.fixture(autouse=True)
def clean_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def client_for(user=None, *, token=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def partner(db):
    partner, token = partner_system_create(name="Health visiting service")
    partner.token = token
    return partner


@pytest.fixture
def other_partner(db):
    partner, token = partner_system_create(name="School nursing")
    partner.token = token
    return partner


@pytest.fixture
def scenario(cast):
    """One family of each kind the API shows, all belonging to ``cast.worker`` in ``cast.team``."""
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    plan = draft_plan(family=referral.family, worker=cast.worker)
    action = plan_action(plan=plan, worker=cast.worker)
    contact = home_visit(family=referral.family, worker=cast.worker)
    for_fund = family_in_support(cast)
    budget(cast, "500")
    fund_application = application(cast, for_fund)
    group = group_scenario(cast, referral.family)
    return {
        "referral": (referral.uuid,),
        "family": (referral.family.reference,),
        "person": (referral.family.members.order_by("pk").first().uuid,),
        "plan": (plan.uuid,),
        "plan_action": (plan.uuid, action.uuid),
        "contact": (contact.uuid,),
        "application": (fund_application.uuid,),
        "group_course": group["group_course"],
        "group_session": group["group_session"],
        "advice": (advice_entry(actor=cast.worker).uuid,),
        "complaint": (complaint(actor=cast.manager, family=referral.family).uuid,),
        "development_review": (review_of(referral.family.members.get(kind="child"), cast.worker).uuid,),
        **community_scenario(cast, referral.family),
        **partnership_scenario(cast, referral.family),
        "objects": {
            "referral": referral,
            "family": referral.family,
            "plan": plan,
            "contact": contact,
            "fund_family": for_fund,
            "application": fund_application,
        },
    }
