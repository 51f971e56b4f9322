"""The demo staff (moved here from tests/bases/test_reference_data.py with devdata/demo.py)."""

import pytest
from django.contrib.auth import get_user_model

from bases.models import District, StaffProfile, Team
from devdata.demo import WORKERS_PER_BASE, demo_staff_seed
from ecfs.roles import Role, group_name

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_role_and_is_idempotent():
    User = get_user_model()
    logins = demo_staff_seed()
    counts = {role: User.objects.filter(groups__name=group_name(role)).count() for role in Role}
    assert counts[Role.MANAGER] == 15
    assert counts[Role.WORKER] == 15 * WORKERS_PER_BASE
    assert counts[Role.COMMISSIONER] == 2
    assert counts[Role.ADMIN] == 1
    for district in District.objects.all():
        assert Team.objects.filter(base__district=district, manager__isnull=False).exists()
    for team in Team.objects.all():
        workers = team.members.filter(user__groups__name=group_name(Role.WORKER)).count()
        assert workers >= 3
    assert len(logins) == User.objects.count()

    before = (User.objects.count(), Team.objects.count(), StaffProfile.objects.count())
    again = demo_staff_seed()
    assert (User.objects.count(), Team.objects.count(), StaffProfile.objects.count()) == before
    assert again == logins
