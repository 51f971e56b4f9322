import pytest

from tests.referrals.factories import allocated_referral


@pytest.fixture
def family(cast):
    """Kerry and Alfie Howes (Alfie about 2 years and a month old), allocated to the worker in Team A."""
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


@pytest.fixture
def child(family):
    return family.members.get(kind="child")
