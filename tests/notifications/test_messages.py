"""Messages (#18 items 3–6): written to the outbox in the event's transaction, sent through a real local SMTP
server after commit by the Celery task, once; never a name or a note."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import ContactChannel
from families.support import services as support_services
from notifications import services, tasks
from notifications.models import Kind, Message, Preference
from referrals import services as referral_services
from referrals.models import Referral, Source
from tests.families.factories import active_plan, draft_plan, home_visit, scores
from tests.notifications.conftest import free_port
from tests.referrals.factories import accepted_referral, allocated_referral, received_referral
from tests.support_fund.factories import application, budget

pytestmark = pytest.mark.django_db

REFERRER = "jo.health@nhs.example"
# What the test data holds that no message may carry: the family's names and the notes written about them.
PRIVATE_WORDS = ("Kerry", "Alfie", "Howes", "Isolated", "low mood", "Talked about", "Food while", "Better ")

DECISIONS = {
    "signpost": ("community_groups", "signposted"),
    "step_up": ("social_care", "stepped up"),
    "no_further_action": ("no_identified_need", "no further action"),
    "withdraw": ("referrer_withdrew", "withdrawn"),
}


def assert_private(message_text: str):
    for word in PRIVATE_WORDS:
        assert word not in message_text, f"{word!r} in a message"


def decide(referral, manager, decision):
    reason, _ = DECISIONS[decision]
    referral_services.referral_decide(
        referral=referral, decision=decision, reason=reason, notes="Isolated, low mood; see notes.", actor=manager
    )


@pytest.mark.parametrize("decision", list(DECISIONS))
def test_each_outcome_emails_the_professional_referrer_once(cast, smtp, django_capture_on_commit_callbacks, decision):
    referral = received_referral(team=cast.team, actor=cast.manager, referrer_email=REFERRER)
    with django_capture_on_commit_callbacks(execute=True):
        decide(referral, cast.manager, decision)
    arrived = smtp.to(REFERRER)
    assert len(arrived) == 1
    assert referral.reference in arrived[0]["subject"]
    assert DECISIONS[decision][1] in arrived[0]["body"]
    assert "rosie goodwin" in arrived[0]["body"].lower() and cast.manager.email in arrived[0]["body"]  # who to contact
    assert_private(arrived[0]["subject"] + arrived[0]["body"])

    message = Message.objects.get(kind=Kind.REFERRAL_OUTCOME)
    assert (message.status, message.attempts, message.recipient_address) == ("sent", 1, REFERRER)
    # The job run again (a retry, a second worker): the row is locked and already sent, so nothing more goes.
    assert tasks.send_message.apply(args=[message.pk]).get() == "sent"
    assert len(smtp.to(REFERRER)) == 1
    assert AuditEvent.objects.filter(action="message.sent", object_id=str(message.uuid)).count() == 1


def test_accepted_and_allocated_is_told_once_when_the_worker_is_allocated(
    cast, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = accepted_referral(team=cast.team, manager=cast.manager, referrer_email=REFERRER)
    assert smtp.to(REFERRER) == []  # accepted, not yet allocated: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        referral_services.referral_allocate(referral=referral, worker=cast.worker, actor=cast.manager)
    [arrived] = smtp.to(REFERRER)
    assert "accepted for support and allocated" in arrived["body"]
    with django_capture_on_commit_callbacks(execute=True):
        decide(Referral.objects.get(pk=referral.pk), cast.manager, "step_up")  # a later decision: told once only
    assert len(smtp.to(REFERRER)) == 1
    # The worker heard too, by their own email.
    [to_worker] = smtp.to(cast.worker.email)
    assert referral.family.reference in to_worker["subject"]
    assert_private(to_worker["subject"] + to_worker["body"])


def test_a_failed_delivery_is_kept_and_sent_once_when_the_server_is_back(cast, smtp, settings):
    settings.EMAIL_TIMEOUT = 2
    referral = received_referral(team=cast.team, actor=cast.manager, referrer_email=REFERRER)
    decide(referral, cast.manager, "signpost")  # no commit callbacks here: the sweep's case
    message = Message.objects.get(kind=Kind.REFERRAL_OUTCOME)
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is away
    assert services.message_deliver(message_id=message.pk).status == "queued"
    message.refresh_from_db()
    assert message.attempts == 1 and "Error" in message.last_error
    settings.EMAIL_PORT = smtp.port
    assert services.message_deliver(message_id=message.pk).status == "sent"
    assert services.message_deliver(message_id=message.pk).status == "sent"
    assert len(smtp.to(REFERRER)) == 1


def test_a_message_that_never_goes_is_marked_failed_and_audited(cast, smtp, settings):
    settings.ECFS_MESSAGE_MAX_ATTEMPTS = 2
    settings.EMAIL_TIMEOUT = 2
    referral = received_referral(team=cast.team, actor=cast.manager, referrer_email=REFERRER)
    decide(referral, cast.manager, "signpost")
    message = Message.objects.get(kind=Kind.REFERRAL_OUTCOME)
    settings.EMAIL_PORT = free_port()
    assert tasks.send_message.apply(args=[message.pk]).get() == "queued"  # left for the next try
    assert tasks.send_message.apply(args=[message.pk]).get() == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)
    assert AuditEvent.objects.filter(action="message.failed", object_id=str(message.uuid)).exists()


def test_a_referral_without_a_referrer_email_sends_nothing(cast, smtp, django_capture_on_commit_callbacks):
    referral = received_referral(team=cast.team, actor=cast.manager)
    with django_capture_on_commit_callbacks(execute=True):
        decide(referral, cast.manager, "signpost")
    assert smtp.received == [] and not Message.objects.exists()


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (ContactChannel.NONE, None),
        ("", None),
        (ContactChannel.PHONE, None),
        (ContactChannel.LETTER, ("letter", "not_sent")),
        (ContactChannel.EMAIL, ("email", "sent")),
        (ContactChannel.TEXT, ("text", "sent")),
    ],
)
def test_a_family_that_asked_for_help_hears_only_through_its_safe_channel(
    cast, smtp, texts, django_capture_on_commit_callbacks, channel, expected
):
    family_email, family_phone = "family@example.net", "07700900123"
    referral = received_referral(
        team=cast.team,
        actor=cast.manager,
        source=Source.SELF,
        referrer_name="Kerry Howes",
        referrer_email=family_email,
        contact_email=family_email,
        contact_phone=family_phone,
        safe_contact_channel=channel,
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide(referral, cast.manager, "signpost")
    messages = list(Message.objects.all())
    if expected is None:
        assert messages == [] and smtp.received == [] and texts() == []
        return
    [message] = messages
    assert (message.channel, message.status) == expected
    if channel == ContactChannel.EMAIL:
        [arrived] = smtp.to(family_email)
        assert_private(arrived["subject"] + arrived["body"])
        assert "signposted" not in arrived["body"]  # plain words for a family
    else:
        assert smtp.received == []
    if channel == ContactChannel.TEXT:
        [text] = texts()
        assert family_phone in text and referral.reference in text
        assert_private(text.split("\n\n", 1)[1])


def test_a_safeguarding_concern_reaches_every_manager_of_the_base_at_once(
    cast, deputy, smtp, django_capture_on_commit_callbacks
):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    for manager in (cast.manager, deputy):
        services.preferences_set(
            user=manager, choices={Kind.ALLOCATION: "off", Kind.PLAN_AWAITING: "digest", Kind.DIGEST: "off"}
        )
    with pytest.raises(ApplicationError, match="cannot be changed"):
        services.preferences_set(user=cast.manager, choices={Kind.SAFEGUARDING: "off"})
    with django_capture_on_commit_callbacks(execute=True):
        home_visit(family=family, worker=cast.worker, concern=True)
    for manager in (cast.manager, deputy):
        [arrived] = smtp.to(manager.email)
        assert "Safeguarding concern" in arrived["subject"] and family.reference in arrived["subject"]
        assert_private(arrived["subject"] + arrived["body"])
    assert smtp.to(cast.other_manager.email) == []
    assert smtp.to(cast.worker.email) == []


def test_a_contact_without_a_concern_tells_no_one(cast, smtp, django_capture_on_commit_callbacks):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    with django_capture_on_commit_callbacks(execute=True):
        home_visit(family=family, worker=cast.worker)
    assert not Message.objects.filter(kind=Kind.SAFEGUARDING).exists()


def test_a_plan_awaiting_approval_tells_the_bases_managers_as_each_chose(
    cast, deputy, smtp, django_capture_on_commit_callbacks
):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    services.preferences_set(user=deputy, choices={Kind.PLAN_AWAITING: "digest"})
    plan = draft_plan(family=family, worker=cast.worker)
    support_services.outcome_record(
        plan=plan, stage="start", scores=scores(plan, 3), assessed_on=timezone.localdate(), actor=cast.worker
    )
    with django_capture_on_commit_callbacks(execute=True):
        support_services.plan_submit_for_activation(plan=plan, actor=cast.worker)
    [arrived] = smtp.to(cast.manager.email)
    assert "awaiting your approval" in arrived["subject"] and str(plan.uuid) in arrived["body"]
    assert smtp.to(deputy.email) == []
    held = Message.objects.get(recipient_user=deputy, kind=Kind.PLAN_AWAITING)
    assert held.status == "held"
    # The deputy's digest carries it the next morning, and only once.
    with django_capture_on_commit_callbacks(execute=True):
        digest = services.digest_queue(user=deputy, today=timezone.localdate())
        assert services.digest_queue(user=deputy, today=timezone.localdate()) is None
    [to_deputy] = smtp.to(deputy.email)
    assert to_deputy["subject"].startswith("Your ECFS Case digest") and held.subject in to_deputy["body"]
    held.refresh_from_db()
    assert (held.status, held.digest) == ("in_digest", digest)


def test_a_fund_application_tells_its_deciders(cast, smtp, django_capture_on_commit_callbacks):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    active_plan(family=family, worker=cast.worker, manager=cast.manager)
    budget(cast, "1000.00")
    with django_capture_on_commit_callbacks(execute=True):
        made = application(cast, family)
    [arrived] = smtp.to(cast.manager.email)
    assert made.reference in arrived["subject"] and "a decision" in arrived["subject"]
    assert_private(arrived["subject"] + arrived["body"])
    assert smtp.to(cast.other_manager.email) == [] and smtp.to(cast.worker.email)[-1:] != [arrived]


def test_turning_a_kind_off_sends_nothing_of_it(cast, smtp, django_capture_on_commit_callbacks):
    services.preferences_set(user=cast.worker, choices={Kind.ALLOCATION: "off"})
    with django_capture_on_commit_callbacks(execute=True):
        allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    assert smtp.to(cast.worker.email) == []
    assert AuditEvent.objects.filter(action="notification.preferences_changed", actor=cast.worker).exists()


def test_every_kind_carries_a_reference_and_never_a_name_or_a_note(
    cast, deputy, smtp, texts, django_capture_on_commit_callbacks
):
    """One of each kind of message, through the real services; none holds the family's names or notes."""
    tomorrow = timezone.localtime() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        family = allocated_referral(
            team=cast.team, manager=cast.manager, worker=cast.worker, referrer_email=REFERRER
        ).family
        self_referral = received_referral(
            team=cast.team,
            actor=cast.manager,
            source=Source.SELF,
            referrer_name="Kerry Howes",
            contact_email="family@example.net",
            safe_contact_channel=ContactChannel.EMAIL,
        )
        decide(self_referral, cast.manager, "no_further_action")
        home_visit(family=family, worker=cast.worker, concern=True)
        plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
        budget(cast, "1000.00")
        application(cast, family)
        family.safe_contact_channel, family.contact_phone, family.reminders_wanted = "text", "07700900123", True
        family.save()
        support_services.visit_plan(
            family=family,
            actor=cast.worker,
            starts_at=tomorrow.replace(hour=11, minute=0),
            mode="home_visit",
            notes="Talked about Alfie's sleep",
        )
        services.reminders_queue(today=timezone.localdate())
        services.digest_queue(user=cast.worker, today=timezone.localdate() + timedelta(days=200))
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert kinds >= {
        Kind.REFERRAL_OUTCOME,
        Kind.SELF_REFERRAL_OUTCOME,
        Kind.ALLOCATION,
        Kind.SAFEGUARDING,
        Kind.PLAN_AWAITING,
        Kind.FUND_AWAITING,
        Kind.VISIT_REMINDER,
        Kind.DIGEST,
    }
    assert plan.uuid
    for message in Message.objects.all():
        assert_private(message.subject + message.body)
        assert message.reference or message.kind == Kind.DIGEST
    for arrived in smtp.received:
        assert_private(arrived["subject"] + arrived["body"])
    for text in texts():
        assert_private(text)
    assert Message.objects.filter(status="sent").count() == len(smtp.received) + len(texts())
    assert not Preference.objects.filter(kind=Kind.SAFEGUARDING).exists()
