"""Team around the family meetings (#20 item 1): recorded on the family record with attendees, decisions, the
lead professional, the next meeting and each agency's actions; actions join the active plan (or stay on the
meeting), ECFS's show in My week; sharing needs the family's consent; corrected with a reason; scoped; audited."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from families import services as family_services
from families.models import Family, Person, PlanAction
from families.support.selectors import worker_week
from partnership import services
from partnership.models import MeetingAction, TafMeeting
from partnership.services import ActionInput
from tests.families.factories import active_plan

from .factories import agency, family_with_agencies, meeting_on

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def family(cast):
    """Referred on 2 February 2026, five weeks before today."""
    with time_machine.travel(datetime(2026, 2, 2, 10, 0, tzinfo=LONDON), tick=False):
        return family_with_agencies(cast)


def _day(prefix, day):
    if day is None:
        return {f"{prefix}_day": "", f"{prefix}_month": "", f"{prefix}_year": ""}
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _meeting_form(family, cast, **overrides):
    health, housing = agency(family, "health_visiting"), agency(family, "housing")
    parent = family.members.get(kind="parent_carer")
    data = {
        **_day("held_on", TODAY),
        "workers": [cast.worker.pk],
        "people": [parent.uuid],
        "professionals": [health.uuid, housing.uuid],
        "decisions": "Health visitor to review speech; housing to inspect the damp.",
        "lead": f"professional:{health.uuid}",
        **_day("next_meeting_on", TODAY + timedelta(weeks=6)),
        "shared_with_agencies": "on",
        "action_1_description": "Book the 2-year review",
        "action_1_owner": f"professional:{health.uuid}",
        **_day("action_1_due_on", TODAY + timedelta(days=14)),
        "action_2_description": "Inspect the flat for damp",
        "action_2_owner": f"professional:{housing.uuid}",
        **_day("action_2_due_on", TODAY + timedelta(days=21)),
        "action_3_description": "Go with Kerry to the stay and play",
        "action_3_owner": f"worker:{cast.worker.pk}",
        **_day("action_3_due_on", TODAY + timedelta(days=3)),
    }
    data.update(overrides)
    return data


def test_a_worker_records_a_meeting_with_two_agencies_actions(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(reverse("taf-meeting-add", args=[family.reference]), _meeting_form(family, cast))
    assert response.status_code == 302
    meeting = TafMeeting.objects.get(family=family)
    assert response["Location"] == reverse("taf-meeting-detail", args=[meeting.uuid])
    assert meeting.held_on == TODAY and meeting.next_meeting_on == TODAY + timedelta(weeks=6)
    assert meeting.lead_professional == agency(family, "health_visiting") and meeting.lead_worker is None
    assert meeting.shared_with_agencies
    assert set(meeting.professionals.values_list("agency", flat=True)) == {"health_visiting", "housing"}
    assert list(meeting.workers.all()) == [cast.worker]
    # No active plan: the actions are the meeting's alone.
    actions = list(meeting.actions.order_by("due_on"))
    assert [(a.owner, a.plan_action) for a in actions] == [
        ("worker", None),
        ("professional", None),
        ("professional", None),
    ]
    assert [a.agency_label for a in actions] == ["ECFS", "Health visiting", "Housing"]
    event = AuditEvent.objects.get(action=AuditAction.TAF_MEETING_RECORDED)
    assert (event.actor, event.family_id, event.changes["actions"]) == (cast.worker, family.pk, 3)

    page = client.get(response["Location"]).content.decode()
    assert "Jo Health (Health visiting)" in page  # the lead professional
    assert "Inspect the flat for damp" in page and "Sam Homes" in page
    record = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert 'id="team-around-the-family"' in record
    assert reverse("taf-meeting-detail", args=[meeting.uuid]) in record


def test_with_an_active_plan_the_actions_join_the_plan_and_ecfs_actions_show_in_my_week(client, cast, family):
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    meeting = meeting_on(
        family,
        cast.worker,
        actions=[
            ActionInput("Book the 2-year review", "professional", TODAY + timedelta(days=14),
                        owner_professional=agency(family, "health_visiting")),
            ActionInput("Call housing with Kerry", "worker", TODAY + timedelta(days=2), owner_worker=cast.worker),
        ],
    )  # fmt: skip
    on_plan = PlanAction.objects.filter(plan=plan).order_by("due_on")
    assert [(a.description, a.owner) for a in on_plan] == [
        ("Call housing with Kerry", "worker"),
        ("Book the 2-year review", "professional"),
    ]
    assert {a.plan_action for a in meeting.actions.all()} == set(on_plan)
    week = [item.what for item in worker_week(user=cast.worker, today=TODAY)]
    # Once, through the plan (the meeting's copy is not listed again).
    assert week.count("Action: Call housing with Kerry") == 1
    assert not any(what.startswith("Meeting action") for what in week)
    # Marked done on the plan, the meeting shows it done.
    from families.support import services as support_services

    support_services.plan_action_done(action=on_plan[0], done_on=TODAY, actor=cast.worker)
    page = client_get_meeting(client, cast.worker, meeting)
    assert "10 Mar 2026" in page


def client_get_meeting(client, user, meeting):
    client.force_login(user)
    return client.get(reverse("taf-meeting-detail", args=[meeting.uuid])).content.decode()


def test_without_a_plan_the_workers_action_shows_in_my_week_until_done(client, cast, family):
    meeting = meeting_on(
        family,
        cast.worker,
        actions=[ActionInput("Visit with Kerry", "worker", TODAY + timedelta(days=3), owner_worker=cast.worker)],
    )
    [item] = [item for item in worker_week(user=cast.worker, today=TODAY) if item.what.startswith("Meeting action")]
    assert (item.what, item.when, item.overdue, item.url_name) == (
        "Meeting action: Visit with Kerry",
        TODAY + timedelta(days=3),
        False,
        "taf-meeting-detail",
    )
    # A week on it is overdue; the colleague (not allocated) never sees it.
    assert worker_week(user=cast.worker, today=TODAY + timedelta(days=7))
    later = [i for i in worker_week(user=cast.worker, today=TODAY + timedelta(days=7)) if i.what.startswith("Meeting")]
    assert later[0].overdue
    assert not [i for i in worker_week(user=cast.colleague, today=TODAY) if i.what.startswith("Meeting")]
    client.force_login(cast.worker)
    assert "Meeting action: Visit with Kerry" in client.get(reverse("my-week")).content.decode()

    action = meeting.actions.get()
    response = client.post(reverse("taf-meeting-action-done", args=[meeting.uuid, action.uuid]), _day("done_on", TODAY))
    assert response.status_code == 302
    assert MeetingAction.objects.get(pk=action.pk).done_on == TODAY
    assert not [i for i in worker_week(user=cast.worker, today=TODAY) if i.what.startswith("Meeting")]
    assert AuditEvent.objects.filter(action=AuditAction.TAF_MEETING_ACTION_DONE, family=family).exists()


def test_without_consent_to_share_a_meeting_is_recorded_but_not_as_shared(client, cast, family):
    family_services.family_update_characteristics(
        family=family, actor=cast.manager, consent_scope=Family.ConsentScope.HOLD
    )
    family.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        meeting_on(family, cast.worker, actions=[], shared_with_agencies=True)
    assert "has not agreed to their information being shared" in refused.value.message_dict["shared_with_agencies"][0]
    assert not TafMeeting.objects.exists()
    # An action for another agency shares the family's information too.
    with pytest.raises(ValidationError) as refused:
        meeting_on(family, cast.worker)
    assert "action_1_owner" in refused.value.message_dict
    # Recorded for ECFS's own record, not shared: fine.
    meeting = meeting_on(family, cast.worker, actions=[], held_on=TODAY - timedelta(days=1))
    assert not meeting.shared_with_agencies

    client.force_login(cast.worker)
    page = client.get(reverse("taf-meeting-add", args=[family.reference])).content.decode()
    assert "has not agreed to their information being shared with the team around the family" in page
    assert 'name="shared_with_agencies"' in page and "disabled" in page
    # A forged tick is ignored (the field is disabled), never stored as shared.
    no_agency_actions = {
        "action_1_description": "", "action_1_owner": "", **_day("action_1_due_on", None),
        "action_2_description": "", "action_2_owner": "", **_day("action_2_due_on", None),
    }  # fmt: skip
    response = client.post(
        reverse("taf-meeting-add", args=[family.reference]), _meeting_form(family, cast, **no_agency_actions)
    )
    assert response.status_code == 302
    assert not TafMeeting.objects.latest("pk").shared_with_agencies


def test_a_bad_action_saves_nothing_and_says_why(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(
        reverse("taf-meeting-add", args=[family.reference]),
        _meeting_form(family, cast, **_day("action_2_due_on", TODAY - timedelta(days=1))),
    )
    assert response.status_code == 400
    assert "Action 2 must be due on or after the meeting" in response.content.decode()
    assert not TafMeeting.objects.exists() and not MeetingAction.objects.exists()
    # A half-filled row is named.
    response = client.post(
        reverse("taf-meeting-add", args=[family.reference]), _meeting_form(family, cast, action_2_owner="")
    )
    assert response.status_code == 400
    assert "Select who will do action 2" in response.content.decode()
    # Nobody attended, no decisions, a next meeting before this one.
    response = client.post(
        reverse("taf-meeting-add", args=[family.reference]),
        _meeting_form(family, cast, workers=[], people=[], professionals=[], decisions="",
                      **_day("next_meeting_on", TODAY - timedelta(days=1))),
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter what was decided" in page
    assert not TafMeeting.objects.exists()


def test_another_agencys_professional_may_lead_or_an_ecfs_worker(cast, family):
    meeting = meeting_on(family, cast.worker, actions=[], lead_worker=cast.worker)
    assert meeting.lead_label == "Mandy Robinson (ECFS)"
    with pytest.raises(ValidationError) as refused:
        meeting_on(family, cast.worker, actions=[], lead_worker=cast.other_worker, held_on=TODAY - timedelta(days=1))
    assert "lead" in refused.value.message_dict


def test_a_meeting_is_corrected_with_a_reason_and_the_page_shows_what_was_there(client, cast, family):
    meeting = meeting_on(family, cast.worker, actions=[])
    client.force_login(cast.manager)
    url = reverse("taf-meeting-correct", args=[meeting.uuid])
    form = {**_day("held_on", TODAY - timedelta(days=1)), "decisions": meeting.decisions, "reason": ""}
    response = client.post(url, form)
    assert response.status_code == 400 and "Say why the record is being corrected" in response.content.decode()
    response = client.post(url, {**form, "reason": "Held the day before"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == TODAY - timedelta(days=1)
    page = client.get(reverse("taf-meeting-detail", args=[meeting.uuid])).content.decode()
    assert "Held the day before" in page, page[page.find("<h1") :][:1500]
    assert "10 March 2026" in page
    assert AuditEvent.objects.filter(action=AuditAction.TAF_MEETING_AMENDED, family=family).exists()
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.taf_meeting_amend(
            meeting=meeting, actor=cast.worker, reason="again", held_on=meeting.held_on, decisions=meeting.decisions,
            next_meeting_on=meeting.next_meeting_on, shared_with_agencies=meeting.shared_with_agencies,
        )  # fmt: skip


def test_another_workers_familys_meeting_is_404(client, cast, family):
    meeting = meeting_on(family, cast.worker)
    action = meeting.actions.first()
    for member in ("colleague", "other_worker", "other_manager"):
        client.force_login(getattr(cast, member))
        for url in (
            reverse("taf-meeting-detail", args=[meeting.uuid]),
            reverse("taf-meeting-correct", args=[meeting.uuid]),
            reverse("taf-meeting-action-done", args=[meeting.uuid, action.uuid]),
            reverse("taf-meeting-add", args=[family.reference]),
        ):
            assert client.get(url).status_code == 404, (member, url)
    client.force_login(cast.other_worker)
    response = client.post(reverse("taf-meeting-add", args=[family.reference]), _meeting_form(family, cast))
    assert response.status_code == 404
    assert TafMeeting.objects.count() == 1


def test_viewing_a_meeting_is_audited(client, cast, family):
    meeting = meeting_on(family, cast.worker, actions=[])
    client.force_login(cast.manager)
    client.get(reverse("taf-meeting-detail", args=[meeting.uuid]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED, family=family, actor=cast.manager).exists()


def test_the_same_meeting_sent_twice_is_refused_and_its_actions_not_added_again(client, cast, family):
    client.force_login(cast.worker)
    url = reverse("taf-meeting-add", args=[family.reference])
    assert client.post(url, _meeting_form(family, cast)).status_code == 302
    response = client.post(url, _meeting_form(family, cast))
    assert response.status_code == 400
    assert (
        f"A team around the family meeting on 10 March 2026 is already recorded for {family.reference}"
        in response.content.decode()
    )
    assert TafMeeting.objects.count() == 1 and MeetingAction.objects.count() == 3
    # Nor can a correction move another meeting onto that day.
    earlier = meeting_on(family, cast.worker, actions=[], held_on=TODAY - timedelta(days=7))
    with pytest.raises(ValidationError) as refused:
        services.taf_meeting_amend(
            meeting=earlier, actor=cast.worker, reason="Wrong date", held_on=TODAY, decisions=earlier.decisions,
            next_meeting_on=None, shared_with_agencies=False,
        )  # fmt: skip
    assert "already recorded" in refused.value.message_dict["held_on"][0]


def test_a_meeting_shared_before_consent_was_withdrawn_can_still_be_corrected(client, cast, family):
    meeting = meeting_on(family, cast.worker, actions=[], shared_with_agencies=True)
    family_services.family_update_characteristics(
        family=family, actor=cast.manager, consent_scope=Family.ConsentScope.HOLD
    )
    client.force_login(cast.worker)
    url = reverse("taf-meeting-correct", args=[meeting.uuid])
    assert "with the family&#x27;s consent at the time" in client.get(url).content.decode()
    # The sharing box is disabled now, so the page sends the meeting's own answer back.
    form = {**_day("held_on", TODAY - timedelta(days=1)), "decisions": meeting.decisions, "reason": "Wrong date"}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.shared_with_agencies) == (TODAY - timedelta(days=1), True)
    # Marking as shared one that was not still needs the consent.
    unshared = meeting_on(family, cast.worker, actions=[], held_on=TODAY - timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        services.taf_meeting_amend(
            meeting=unshared, actor=cast.worker, reason="It was shared", held_on=unshared.held_on,
            decisions=unshared.decisions, next_meeting_on=None, shared_with_agencies=True,
        )  # fmt: skip
    assert "shared_with_agencies" in refused.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "message", "not_shown"),
    [
        ({"decisions": "x" * 5001}, "What was decided must be 5,000 characters or fewer", "Ensure this value"),
        (
            {"action_1_description": "x" * 1001},
            "What will be done for action 1 must be 1,000 characters or fewer",
            "Enter what will be done for action 1",
        ),
        # A worker no longer allocated since the page was opened.
        (
            {"action_1_owner": "worker:0"},
            "Select who will do action 1: choose someone on the list",
            "Select a valid choice",
        ),
        ({"lead": "worker:0"}, "Select the lead professional from the list", "Select a valid choice"),
        (
            {"action_2_due_on_day": "31", "action_2_due_on_month": "2"},
            "The due date of action 2 must be a real date",
            "Due by must be a real date",
        ),
    ],
)
def test_a_refused_answer_is_named_once_with_a_message_that_says_which(
    client, cast, family, overrides, message, not_shown
):
    client.force_login(cast.worker)
    response = client.post(
        reverse("taf-meeting-add", args=[family.reference]), _meeting_form(family, cast, **overrides)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and not_shown not in page
    assert not TafMeeting.objects.exists()


def test_a_meeting_cannot_be_moved_after_the_actions_agreed_at_it(cast, family):
    meeting = meeting_on(family, cast.worker, held_on=TODAY - timedelta(days=20))  # actions due in 14 and 21 days

    def correct(held_on):
        return services.taf_meeting_amend(
            meeting=meeting, actor=cast.worker, reason="Wrong date", held_on=held_on, decisions=meeting.decisions,
            next_meeting_on=None, shared_with_agencies=meeting.shared_with_agencies,
        )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        correct(TODAY - timedelta(days=5))
    assert refused.value.message_dict["held_on"] == [
        "The meeting must be on or before 4 March 2026: one of its actions is due or was done then"
    ]
    assert correct(TODAY - timedelta(days=6)).held_on == TODAY - timedelta(days=6)


def test_an_unborn_child_neither_attends_nor_is_given_an_action(client, cast, family):
    baby = Person.objects.create(
        family=family, kind="unborn", first_name="Baby", last_name="Howes", expected_date=TODAY + timedelta(weeks=8)
    )
    client.force_login(cast.worker)
    page = client.get(reverse("taf-meeting-add", args=[family.reference])).content.decode()
    assert "Baby Howes" not in page
    with pytest.raises(ValidationError) as refused:
        meeting_on(family, cast.worker, actions=[], people=[baby])
    assert refused.value.message_dict["people"] == [
        "An unborn child cannot attend a meeting: choose family members who were there"
    ]
    with pytest.raises(ValidationError) as refused:
        meeting_on(family, cast.worker, actions=[ActionInput("Sleep", "family", TODAY, owner_person=baby)])
    assert "action_1_owner" in refused.value.message_dict
    assert not TafMeeting.objects.exists()
