"""The demo's partnership working (#20 items 1 and 2): team around the family meetings with several agencies'
actions, onward referrals with outcomes (some overdue) and consent forms on the record; through the services, once,
deterministic. Built on the demo staff and a few of their families (not the whole demo: quicker)."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from bases.models import Team
from devdata.demo import DEMO_EMAIL_DOMAIN, demo_staff_seed
from devdata.demo_partnership import consent_form_pdf, demo_partnership_seed, demo_partnership_summary
from documents.models import Document
from documents.storage import document_storage
from ecfs.roles import Role, group_name
from partnership.models import MeetingAction, OnwardReferral
from tests.families.factories import active_plan
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def demo_world(settings, tmp_path):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    demo_staff_seed()
    teams = Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").order_by("name")
    with time_machine.travel(timezone.now() - timedelta(days=120), tick=False):
        for index, team in enumerate(teams):
            workers = team.members.filter(user__groups__name=group_name(Role.WORKER)).order_by("user__email")
            for profile in workers[:3]:
                family = allocated_referral(team=team, manager=team.manager, worker=profile.user).family
                if index % 2:
                    active_plan(family=family, worker=profile.user, manager=team.manager)


def test_the_demo_has_meetings_referrals_with_outcomes_and_documents(demo_world):
    counts = demo_partnership_seed()

    assert counts["created"]
    assert counts["meetings"] >= 5 and counts["actions"] >= 3 * counts["meetings"]
    assert 0 < counts["on_plan"] < counts["actions"]  # some families had an active plan, some not
    agencies = set(
        MeetingAction.objects.filter(owner="professional").values_list("owner_professional__agency", flat=True)
    )
    assert len(agencies) >= 3
    assert counts["referrals"] >= 5 and counts["with_outcome"] >= 1 and counts["overdue"] >= 1
    assert OnwardReferral.objects.exclude(outcome="").values("outcome").distinct().count() >= 2
    assert counts["documents"] >= 1
    document = Document.objects.first()
    with document_storage.open(document.file.name, "rb") as stored:
        assert "consent to share" in PdfReader(stored).pages[0].extract_text()
    assert "team around the family meetings" in demo_partnership_summary(counts)

    again = demo_partnership_seed()
    assert not again["created"] and again == {**counts, "created": False}


def test_a_consent_form_for_a_name_beyond_latin_letters_reads_back():
    """A Polish name (the demo's families have them) is written without its accents, not refused."""
    pdf = consent_form_pdf("ECFS-000126", "Paulina Woźniak (mum)", date(2027, 7, 22))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Signed by Paulina Wozniak [mum] on 22 July 2027" in text
