"""The demo's workforce records (#20 item 6): every demo member of staff has training and a DBS check, every worker
but a few has supervision, some are overdue so the managers' pages flag them, and three vacancies; made once,
deterministic. Built on the demo staff only (quicker than the whole demo)."""

import pytest
from django.utils import timezone

from bases.models import StaffProfile, Team
from devdata.demo import DEMO_EMAIL_DOMAIN, demo_staff_seed
from devdata.demo_workforce import demo_workforce_seed, demo_workforce_summary
from workforce.models import BackgroundCheck, TrainingRecord, Vacancy
from workforce.selectors import flagged_workers, staff_overview

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_the_demo_has_workforce_records_with_some_to_flag(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    demo_staff_seed()
    counts = demo_workforce_seed()
    assert counts["created"] and counts["vacancies"] == 3 == Vacancy.objects.count()
    assert Vacancy.objects.filter(filled_on__isnull=False).count() == 1

    staff = StaffProfile.objects.filter(user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}", team__isnull=False)
    assert set(BackgroundCheck.objects.values_list("staff", flat=True)) == set(staff.values_list("user", flat=True))
    assert set(TrainingRecord.objects.values_list("staff", flat=True)) == set(staff.values_list("user", flat=True))

    today = timezone.localdate()
    flags = [
        flag
        for team in Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        for member in flagged_workers(manager=team.manager, today=today)
        for flag in member.flags
    ]
    assert any("over six weeks ago" in flag for flag in flags)
    assert any(flag == "No supervision recorded" for flag in flags)
    assert any("Safeguarding children: expires" in flag for flag in flags)
    assert any("Data protection: expired" in flag for flag in flags)
    assert any("Domestic abuse awareness: no training recorded" in flag for flag in flags)
    # Most workers are up to date: the flags are the exception.
    workers = [member for member in staff_overview(user=_admin(), today=today) if member.role != "Team manager"]
    assert sum(member.supervised for member in workers) > len(workers) / 2
    assert any(not member.dbs_current for member in staff_overview(user=_admin(), today=today))
    assert "supervision sessions" in demo_workforce_summary(counts)

    again = demo_workforce_seed()
    assert not again["created"] and again == {**counts, "created": False}


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=f"admin@{DEMO_EMAIL_DOMAIN}")
