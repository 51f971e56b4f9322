"""The complaints log: recorded by team managers for their bases, due 20 working days on, answered, corrected with a
reason, overdue ones on the manager's landing page, and another base's complaint answering 404."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from tests.referrals.factories import allocated_referral
from voice import services
from voice.models import Complaint

from .factories import complaint

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@time_machine.travel("2026-12-10 10:00 +0000", tick=False)
def test_the_response_is_due_20_working_days_on_bank_holidays_excluded(cast):
    # Received Monday 7 December 2026: 20 working days skip Christmas Day, Boxing Day (a Saturday: the bank
    # holiday is Monday 28 December) and New Year's Day: 7 January 2027. From 14 December: 14 January.
    made = complaint(actor=cast.manager, received_on=date(2026, 12, 7))
    assert made.response_due_on == date(2027, 1, 7)
    assert services.response_due(date(2026, 12, 14)) == date(2027, 1, 14)
    assert services.response_due(date(2026, 6, 1)) == date(2026, 6, 29)


def test_a_manager_records_a_complaint_about_a_family_of_their_base(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    client.force_login(cast.manager)
    assert client.get(reverse("voice-complaint-new")).status_code == 200
    today = date.today()
    response = client.post(
        reverse("voice-complaint-new"),
        {
            **_date("received_on", today),
            "received_how": "email",
            "category": "staff_conduct",
            "family": family.reference.lower(),
            "summary": "The worker was late twice.",
        },
    )
    made = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.family == family and made.base == family.base and made.created_by == cast.manager
    assert made.response_due_on == services.response_due(made.received_on)
    assert AuditEvent.objects.filter(action="complaint.recorded", family=family).count() == 1
    page = client.get(made.get_absolute_url()).content.decode()
    assert "The worker was late twice." in page and family.reference in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_how": ""}, "Select how the complaint came"),
        ({"category": ""}, "Select what the complaint is about"),
        ({"summary": ""}, "Enter a summary of the complaint"),
        ({"summary": "x" * 2001}, "The summary must be 2,000 characters or fewer"),
        ({"family": "ECFS-999999"}, "No family of your bases has this reference"),
        ({"received_on_year": "2031"}, "Date received must be today or in the past"),
    ],
)
def test_bad_answers_are_refused_with_a_message(client, cast, overrides, message):
    client.force_login(cast.manager)
    data = {**_date("received_on", date.today()), "received_how": "phone", "category": "other", "summary": "S"}
    data.update(overrides)
    response = client.post(reverse("voice-complaint-new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Complaint.objects.exists()


def test_another_bases_family_or_base_is_refused(cast):
    theirs = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker).family
    with pytest.raises(ValidationError) as refused:
        complaint(actor=cast.manager, family=theirs)
    assert "family" in refused.value.message_dict
    with pytest.raises(ValidationError):
        complaint(actor=cast.manager, base=cast.other_team.base)
    with pytest.raises(ApplicationError):
        complaint(actor=cast.worker, base=cast.team.base)


def test_another_bases_base_on_the_page_gets_one_message_naming_the_mistake(client, cast):
    client.force_login(cast.manager)
    data = {**_date("received_on", date.today()), "received_how": "phone", "category": "other", "summary": "S"}
    response = client.post(reverse("voice-complaint-new"), {**data, "base": str(cast.other_team.base.pk)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select one of your bases" in html
    assert "Select the base the complaint is about" not in html and "Select a valid choice" not in html
    assert not Complaint.objects.exists()


def test_the_correction_page_says_which_answer_is_missing(client, cast):
    made = complaint(actor=cast.manager)
    client.force_login(cast.manager)
    response = client.post(reverse("voice-complaint-correct", args=[made.uuid]), {"reason": "Typed in error"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select how the complaint came" in html and "Select what the complaint is about" in html
    assert "This field is required" not in html


def test_another_bases_complaint_is_404_in_pages_and_api(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    made = complaint(actor=cast.manager, family=family)
    client.force_login(cast.other_manager)
    for name in ("voice-complaint-detail", "voice-complaint-correct"):
        assert client.get(reverse(name, args=[made.uuid])).status_code == 404
    assert client.post(reverse("voice-complaint-respond", args=[made.uuid])).status_code == 404
    assert client.get(reverse("api-complaints-detail", args=[made.uuid])).status_code == 404
    assert client.get(reverse("api-complaints-list")).json()["count"] == 0
    assert str(made.uuid) not in client.get(reverse("voice-complaint-list")).content.decode()
    client.force_login(cast.manager)
    body = client.get(reverse("api-complaints-detail", args=[made.uuid])).json()
    assert body["family"] == family.reference and body["overdue"] is False
    for member in (cast.worker, cast.commissioner, cast.admin):
        client.force_login(member)
        assert client.get(reverse("voice-complaint-list")).status_code == 403
        assert client.get(reverse("api-complaints-list")).status_code == 403


def test_answering_a_complaint(client, cast):
    made = complaint(actor=cast.manager)
    client.force_login(cast.manager)
    url = reverse("voice-complaint-respond", args=[made.uuid])
    refused = client.post(url, {"outcome": ""})
    assert refused.status_code == 400 and "Select the outcome" in refused.content.decode()
    response = client.post(
        url, {**_date("responded_on", date.today()), "outcome": "partly_upheld", "learning": "Ring back in 2 days."}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.responded_on == date.today() and made.outcome == "partly_upheld"
    assert AuditEvent.objects.filter(action="complaint.responded").count() == 1
    with pytest.raises(ApplicationError):
        services.complaint_respond(complaint=made, actor=cast.manager, responded_on=date.today(), outcome="upheld")


def test_a_correction_needs_a_reason_keeps_the_earlier_version_and_moves_the_due_day(client, cast):
    with time_machine.travel("2026-07-20 10:00 +0100", tick=False):
        made = complaint(actor=cast.manager, received_on=date(2026, 7, 1))
        assert made.response_due_on == date(2026, 7, 29)
        client.force_login(cast.manager)
        url = reverse("voice-complaint-correct", args=[made.uuid])
        data = {
            **_date("received_on", date(2026, 7, 6)),
            "received_how": made.received_how,
            "category": "access",
            "summary": made.summary,
            "outcome": "",
            "learning": "",
            "reason": "",
        }
        refused = client.post(url, data)
        assert refused.status_code == 400 and "Say why the complaint is being corrected" in refused.content.decode()
        assert client.post(url, {**data, "reason": "Letter was date-stamped on the 6th"}).status_code == 302
        made.refresh_from_db()
        assert made.received_on == date(2026, 7, 6) and made.category == "access"
        assert made.response_due_on == date(2026, 8, 3)
        assert made.history.count() == 2
        assert made.history.first().history_change_reason == "Letter was date-stamped on the 6th"
        assert AuditEvent.objects.filter(action="complaint.corrected").count() == 1
        page = client.get(made.get_absolute_url()).content.decode()
        assert "Letter was date-stamped on the 6th" in page
        # An outcome without a response date is refused.
        bad = client.post(url, {**data, "outcome": "upheld", "reason": "Answered"})
        assert bad.status_code == 400 and "Enter the date of the response" in bad.content.decode()


def test_overdue_complaints_show_on_the_managers_landing_page(client, cast):
    with time_machine.travel("2026-09-01 10:00 +0100", tick=False):
        overdue = complaint(actor=cast.manager, received_on=date(2026, 7, 1))  # due 29 July
        complaint(actor=cast.manager, received_on=date(2026, 8, 28))  # due 28 September (31 August is a bank holiday)
        answered = complaint(actor=cast.manager, received_on=date(2026, 7, 2))
        services.complaint_respond(
            complaint=answered, actor=cast.manager, responded_on=date(2026, 8, 1), outcome="not_upheld"
        )
        client.force_login(cast.manager)
        home = client.get(reverse("home")).content.decode()
        assert "1 complaint past the day the response was due" in home
        listed = client.get(reverse("voice-complaint-list") + "?state=overdue").content.decode()
        assert str(overdue.uuid) in listed and str(answered.uuid) not in listed
        client.force_login(cast.other_manager)
        assert "No complaints overdue" in client.get(reverse("home")).content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_take_the_same_queries_however_many_they_hold(client, cast):
    from .factories import feedback

    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    complaint(actor=cast.manager, family=family)
    feedback(reference=family.reference)
    client.force_login(cast.manager)
    lists = (reverse("voice-complaint-list"), reverse("voice-feedback-list"))
    client.get(lists[0])  # the first request after signing in also saves the session
    # Session, user, two-factor device, roles, the managed bases (and their districts); the count and the page
    # (with base, family, recorder joined and whether the family is visible).
    few = [_queries(client, url) for url in lists]
    for _ in range(5):
        complaint(actor=cast.manager, family=family)
        complaint(actor=cast.manager)
        feedback(reference=family.reference)
        feedback(district=cast.team.base.district)
    assert [_queries(client, url) for url in lists] == few
    assert few == [7, 7], few


@time_machine.travel("2026-06-01 10:00 +0100", tick=False)
def test_the_api_filters_open_complaints_and_refuses_a_filter_it_cannot_read(client, cast):
    answered = complaint(actor=cast.manager, received_on=date(2026, 3, 2))
    services.complaint_respond(complaint=answered, actor=cast.manager, responded_on=date(2026, 3, 9), outcome="upheld")
    waiting = complaint(actor=cast.manager, received_on=date(2026, 3, 2))
    client.force_login(cast.manager)
    url = reverse("api-complaints-list")
    listed = client.get(url, {"open": "true"}).json()
    assert [row["uuid"] for row in listed["results"]] == [str(waiting.uuid)]
    for value in ("maybe", "yes", "1"):
        response = client.get(url, {"open": value})
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {"open": ["Enter true or false."]}
