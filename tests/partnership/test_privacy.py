"""Meetings and onward referrals in subject access bundles, and anonymised with the family by the retention job
(#20 items 1 and 2)."""

import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from families.models import PlanAction
from families.support import services as support_services
from partnership import services as partnership_services
from partnership.models import MeetingAction, OnwardReferral, TafMeeting
from partnership.services import ActionInput
from privacy import services
from privacy.services import retention_run
from tests.families.factories import active_plan, scores

from .factories import agency, family_with_agencies, meeting_on, onward_referral_on

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_the_bundle_lists_the_familys_meetings_and_onward_referrals(cast):
    family = family_with_agencies(cast)
    meeting_on(family, cast.worker, decisions="Speech review for Alfie; housing to inspect the damp.")
    onward_referral_on(family, cast.worker, organisation="Norfolk Portage", agency="portage")
    sar = services.subject_access_create(
        actor=cast.admin, family_reference=family.reference, requester_name="Kerry", received_on=date(2026, 10, 31)
    )
    data = json.loads(services.subject_access_download(sar=sar, actor=cast.admin, kind="json"))
    [meetings] = [s for s in data["sections"] if s["title"] == "Team around the family meetings"]
    [row] = meetings["rows"]
    assert row["What was decided"] == "Speech review for Alfie; housing to inspect the damp."
    assert "Kerry Howes" in row["Who attended"] and "Jo Health" in row["Who attended"]
    assert [(a["Action"], a["Agency"]) for a in row["Actions"]] == [
        ("Book the 2-year review", "Health visiting"),
        ("Assess the damp in the flat", "Housing"),
    ]
    [referrals] = [s for s in data["sections"] if s["title"] == "Onward referrals to other services"]
    assert [(r["Organisation"], r["Type of service"]) for r in referrals["rows"]] == [("Norfolk Portage", "Portage")]

    pdf = services.subject_access_download(sar=sar, actor=cast.admin, kind="pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Team around the family meetings" in text and "Norfolk Portage" in text


@pytest.mark.dates
def test_the_retention_job_anonymises_meetings_and_referrals_with_the_family(cast):
    with time_machine.travel(TODAY, tick=True):
        family = family_with_agencies(cast)
        # Children grown up: the closure rule decides (kept until 31 March 2033).
        family.members.filter(kind="child").update(date_of_birth=date(2002, 6, 1))
        plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
        today = timezone.localdate()
        meeting = meeting_on(
            family, cast.worker, decisions="Private words about the family",
            actions=[ActionInput("Inspect the damp", "professional", today + timedelta(days=7),
                                 owner_professional=agency(family, "housing")),
                     ActionInput("Call Kerry", "worker", today + timedelta(days=2), owner_worker=cast.worker)],
        )  # fmt: skip
        referral = onward_referral_on(family, cast.worker)
        partnership_services.onward_referral_outcome_record(
            referral=referral, actor=cast.worker, outcome="accepted", outcome_on=today, notes="Starts in May"
        )
        support_services.plan_request_closure(
            plan=plan, reason="needs_met", summary="Done", scores=scores(plan, 7), assessed_on=today, actor=cast.worker
        )
        support_services.plan_approve_closure(plan=plan, actor=cast.manager)
    assert {a.plan_action.plan for a in meeting.actions.all()} == {plan}

    results = retention_run(today=date(2033, 4, 1))  # no ProtectedError from the meetings' links

    assert [r.family for r in results if r.anonymised] == [family.reference]
    meeting = TafMeeting.objects.get(pk=meeting.pk)
    assert meeting.decisions == "Anonymised" and meeting.held_on == today  # the return still counts it
    assert set(MeetingAction.objects.filter(meeting=meeting).values_list("description", flat=True)) == {"Anonymised"}
    assert set(PlanAction.objects.filter(plan=plan).values_list("description", flat=True)) == {"Anonymised"}
    referral = OnwardReferral.objects.get(pk=referral.pk)
    assert (referral.reason, referral.outcome_notes, referral.outcome) == ("Anonymised", "", "accepted")
    # Their earlier versions held the words too: gone.
    assert not TafMeeting.history.filter(id=meeting.pk).exists()
    assert not OnwardReferral.history.filter(id=referral.pk).exists()
    assert not MeetingAction.history.filter(meeting_id=meeting.pk).exists()
