"""The 07:00 digest lists exactly that person's overdue items; reminders go the day before, only where the
family's safe way of contact and its wish allow, and stopping them works at once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from families.support import services as support_services
from notifications import services, tasks
from notifications.models import Kind, Message
from tests.referrals.factories import allocated_referral, received_referral
from tests.venues.factories import group_scenario

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# A Monday in term time: nothing about the digest depends on the real date.
MORNING = datetime(2026, 3, 16, 7, 0, tzinfo=LONDON)


def body_of(message: Message) -> str:
    return message.subject + "\n" + message.body


@time_machine.travel(MORNING, tick=False)
def test_the_digest_lists_exactly_that_persons_overdue_items(cast, smtp, django_capture_on_commit_callbacks):
    weeks_ago = timezone.now() - timedelta(days=30)
    # The manager's base: one referral waiting too long for triage, one allocated family not yet contacted.
    late_triage = received_referral(team=cast.team, actor=cast.manager, received_at=weeks_ago)
    on_time = received_referral(team=cast.team, actor=cast.manager)
    with time_machine.travel(weeks_ago, tick=False):
        late_contact = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    # Another base's overdue triage: the other manager's, not this manager's.
    elsewhere = received_referral(team=cast.other_team, actor=cast.other_manager, received_at=weeks_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.apply().get() == 3  # manager, worker, other manager; colleague: nothing

    manager_digest = Message.objects.get(kind=Kind.DIGEST, recipient_user=cast.manager)
    lines = [line for line in manager_digest.body.splitlines() if line.startswith("- ")]
    assert lines[0].startswith(f"- Triage overdue: {late_triage.reference}")
    assert lines[1].startswith(f"- First contact overdue: {late_contact.reference}")
    assert len(lines) == 2
    assert on_time.reference not in manager_digest.body and elsewhere.reference not in manager_digest.body

    worker_digest = Message.objects.get(kind=Kind.DIGEST, recipient_user=cast.worker)
    worker_lines = [line for line in worker_digest.body.splitlines() if line.startswith("- ")]
    assert worker_lines == [f"- First contact overdue: {late_contact.reference}, due {_due(late_contact)}"]

    other = Message.objects.get(kind=Kind.DIGEST, recipient_user=cast.other_manager)
    assert elsewhere.reference in other.body and late_triage.reference not in other.body
    assert not Message.objects.filter(kind=Kind.DIGEST, recipient_user=cast.colleague).exists()
    assert len(smtp.to(cast.manager.email)) == 1 and len(smtp.to(cast.worker.email)) == 1
    for message in Message.objects.filter(kind=Kind.DIGEST):
        for private in ("Kerry", "Alfie", "Howes", "isolated"):
            assert private not in body_of(message)

    # Run again the same morning: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_daily_digests.apply()
    assert Message.objects.filter(kind=Kind.DIGEST).count() == 3
    assert len(smtp.to(cast.manager.email)) == 1


def _due(referral) -> str:
    due = referral.first_contact_due
    return f"{due:%A} {due.day} {due:%B %Y}"


@time_machine.travel(MORNING, tick=False)
def test_a_person_who_turned_the_digest_off_gets_none(cast):
    received_referral(team=cast.team, actor=cast.manager, received_at=timezone.now() - timedelta(days=30))
    services.preferences_set(user=cast.manager, choices={Kind.DIGEST: "off"})
    assert services.digest_queue(user=cast.manager, today=timezone.localdate()) is None
    tasks.send_daily_digests.apply()
    assert not Message.objects.filter(kind=Kind.DIGEST, recipient_user=cast.manager).exists()


# Reminders --------------------------------------------------------------------------------------------------

EVENING_BEFORE = datetime(2026, 3, 16, 10, 0, tzinfo=LONDON)


def family_wanting(cast, channel="text", wanted=True):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    family.safe_contact_channel = channel
    family.contact_phone, family.contact_email = "07700900123", "family@example.net"
    family.reminders_wanted = wanted
    family.save()
    return family


def plan_visit_tomorrow(cast, family):
    return support_services.visit_plan(
        family=family,
        actor=cast.worker,
        starts_at=datetime(2026, 3, 17, 11, 30, tzinfo=LONDON),
        mode="home_visit",
        notes="Bring the sleep diary for Alfie",
    )


@time_machine.travel(EVENING_BEFORE, tick=False)
def test_a_visit_tomorrow_is_reminded_once_by_text(cast, texts, django_capture_on_commit_callbacks):
    family = family_wanting(cast)
    plan_visit_tomorrow(cast, family)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders.apply().get() == 1
        assert tasks.send_reminders.apply().get() == 0  # run twice: one reminder
    [text] = texts()
    assert "07700900123" in text and "Tuesday 17 March 2026 at 11:30" in text and family.reference in text
    assert "Alfie" not in text and "sleep diary" not in text
    assert reverse("reminders-stop-public", args=["x"]).rsplit("x", 1)[0] in text  # the stop link
    message = Message.objects.get(kind=Kind.VISIT_REMINDER)
    assert (message.channel, message.status, message.family) == ("text", "sent", family)


@pytest.mark.parametrize(("channel", "wanted"), [("none", True), ("phone", True), ("letter", True), ("text", False)])
@time_machine.travel(EVENING_BEFORE, tick=False)
def test_no_reminder_without_a_safe_channel_and_the_familys_wish(cast, texts, smtp, channel, wanted):
    family = family_wanting(cast, channel=channel, wanted=wanted)
    plan_visit_tomorrow(cast, family)
    assert services.reminders_queue(today=timezone.localdate()) == []
    assert not Message.objects.filter(kind=Kind.VISIT_REMINDER).exists() and texts() == [] and smtp.received == []


@time_machine.travel(EVENING_BEFORE, tick=False)
def test_a_group_session_tomorrow_is_reminded_by_email_without_the_courses_name(
    cast, smtp, django_capture_on_commit_callbacks
):
    family = family_wanting(cast, channel="email")
    scenario = group_scenario(cast, family)
    from venues.models import GroupSession

    session = GroupSession.objects.get(uuid=scenario["group_session"][0])
    session.starts_at = datetime(2026, 3, 17, 9, 30, tzinfo=LONDON)
    session.save(update_fields=["starts_at"])
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.reminders_queue(today=timezone.localdate())
    [reminder] = [message for message in queued if str(session.uuid) in message.idempotency_key]
    assert reminder.kind == Kind.SESSION_REMINDER and reminder.channel == "email"
    [arrived] = [mail for mail in smtp.to("family@example.net") if mail["raw"]["X-ECFS-Message"] == str(reminder.uuid)]
    assert session.venue.name in arrived["body"] and session.course.programme.name not in arrived["body"]
    assert str(arrived["raw"]["List-Unsubscribe"]).strip().startswith("<http"), arrived["raw"]["List-Unsubscribe"]


@time_machine.travel(EVENING_BEFORE, tick=False)
def test_staff_stop_a_familys_reminders_at_once_and_it_is_audited(cast, client, texts):
    family = family_wanting(cast)
    plan_visit_tomorrow(cast, family)
    client.force_login(cast.worker)
    page = client.get(reverse("family-messages", args=[family.reference]))
    assert b"Stop reminders" in page.content
    response = client.post(reverse("family-reminders-stop", args=[family.reference]))
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.reminders_wanted is False
    assert AuditEvent.objects.filter(action="family.reminders_stopped", actor=cast.worker, family=family).exists()
    assert services.reminders_queue(today=timezone.localdate()) == []


def test_another_teams_worker_cannot_see_or_stop_a_familys_messages(cast, client):
    family = family_wanting(cast)
    client.force_login(cast.other_worker)
    assert client.get(reverse("family-messages", args=[family.reference])).status_code == 404
    assert client.post(reverse("family-reminders-stop", args=[family.reference])).status_code == 404
    family.refresh_from_db()
    assert family.reminders_wanted is True


def test_the_link_in_a_reminder_asks_then_stops(cast, client):
    family = family_wanting(cast)
    token = services.stop_reminders_link(family).rstrip("/").rsplit("/", 1)[1]
    url = reverse("reminders-stop-public", args=[token])
    page = client.get(url)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and family.reference.encode() not in page.content
    family.refresh_from_db()
    assert family.reminders_wanted is True
    assert client.post(url).status_code == 200
    family.refresh_from_db()
    assert family.reminders_wanted is False
    assert AuditEvent.objects.filter(action="family.reminders_stopped", actor=None, family=family).exists()
    assert client.get(reverse("reminders-stop-public", args=["forged"])).status_code == 404


def test_the_familys_messages_page_shows_kind_channel_status_and_date_only(
    cast, client, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        family = allocated_referral(
            team=cast.team, manager=cast.manager, worker=cast.worker, referrer_email="jo@nhs.example"
        ).family
    client.force_login(cast.manager)
    html = client.get(reverse("family-messages", args=[family.reference])).content.decode()
    assert "Outcome of a referral (to the referrer)" in html and "A family allocated to you" in html
    message = Message.objects.get(kind=Kind.REFERRAL_OUTCOME)
    assert message.subject not in html and "jo@nhs.example" not in html


def test_preferences_are_saved_audited_and_a_missing_answer_is_named(cast, client):
    client.force_login(cast.worker)
    url = reverse("message-preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"allocation": "digest", "plan_awaiting": "immediate"})
    assert response.status_code == 400
    assert "Choose how to be told when a fund application is waiting for your decision" in response.content.decode()
    answers = {"allocation": "digest", "plan_awaiting": "immediate", "fund_awaiting": "off", "digest": "immediate"}
    assert client.post(url, answers).status_code == 302
    assert services.delivery_for(cast.worker, Kind.ALLOCATION) == "digest"
    assert services.delivery_for(cast.worker, Kind.FUND_AWAITING) == "off"
    event = AuditEvent.objects.get(action="notification.preferences_changed", actor=cast.worker)
    assert event.changes["allocation"] == {"old": "immediate", "new": "digest"}
    client.force_login(cast.commissioner)
    assert client.get(url).status_code == 403


def test_the_familys_messages_page_reads_the_same_queries_however_many_messages(cast, client):
    family = family_wanting(cast)
    url = reverse("family-messages", args=[family.reference])
    client.force_login(cast.manager)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        services.message_queue(
            key=f"more:{n}",
            kind=Kind.ALLOCATION,
            channel="email",
            text=services.content.allocation(family_reference=family.reference),
            recipient_user=cast.worker,
            family=family,
            reference=family.reference,
            status="held",
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
