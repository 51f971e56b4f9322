"""The demo's registered families (#19 item 2, item 7): registered at universal sessions through the services,
named on the registers, a few referred later; made once. Built on the demo staff and one universal course."""

from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone

from bases.models import Locality, Team
from devdata.demo import DEMO_EMAIL_DOMAIN, demo_staff_seed
from devdata.demo_registration import demo_registration_seed, demo_registration_summary
from ecfs.roles import Role, group_name
from families.models import Family
from tests.venues.factories import programme
from venues import services as venue_services
from venues.models import Attendance, GroupCourse
from venues.selectors import group_venue_list

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def demo_sessions(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    demo_staff_seed()
    team = next(
        team
        for team in Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").order_by("name")
        if Locality.objects.filter(base=team.base, is_other=False).exists()
    )
    worker = team.members.filter(user__groups__name=group_name(Role.WORKER)).order_by("user__email").first().user
    start = timezone.localdate() - timedelta(weeks=20)
    with time_machine.travel(timezone.now() - timedelta(weeks=21), tick=False):
        course = venue_services.course_create(
            actor=team.manager,
            programme=programme(sessions_count=8),
            venue=group_venue_list().filter(district=team.base.district).first() or team.base.venue,
            team=team,
            offer_type=GroupCourse.OfferType.UNIVERSAL,
            start_date=start,
            start_time=time(10, 0),
            duration_minutes=90,
            capacity=20,
            creche=False,
            facilitators=[worker],
        )
    for session in course.sessions.order_by("number"):
        with time_machine.travel(session.starts_at + timedelta(hours=2), tick=False):
            venue_services.register_take(
                session=session, actor=worker, attended=set(), walk_in_adults=6, walk_in_children=7
            )
    return course


def test_the_demo_registers_families_at_universal_sessions_and_names_them(demo_sessions):
    counts = demo_registration_seed(session_share=1.0, referred_share=0.5)
    assert counts["created"] and counts["registered"] == counts["at_sessions"] == 8
    registered = Family.objects.filter(registered_on__isnull=False)
    for family in registered:
        row = Attendance.objects.get(family=family)
        assert row.attended and row.enrolment is None and row.session.course == demo_sessions
        assert family.registered_on == timezone.localdate(row.session.starts_at)
        assert family.registered_team == demo_sessions.team
    assert counts["attendances"] == 8 and counts["referred"] >= 1
    assert "registered at universal sessions" in demo_registration_summary(counts)
    again = demo_registration_seed(session_share=1.0)
    assert not again["created"] and again["registered"] == 8
