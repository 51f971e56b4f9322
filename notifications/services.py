"""Writes to the outbox: queue a message (in the caller's transaction), deliver it once, people's preferences,
the daily digest, families' reminders and stopping them."""

import logging
import smtplib
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, group_name
from families.models import ContactChannel, Family, PlannedVisit
from venues.models import Enrolment, GroupSession

from . import content
from .models import ALWAYS_IMMEDIATE, STAFF_CHOOSABLE, Channel, Kind, Message, Preference
from .sms import TextNotSent, text_backend

logger = logging.getLogger(__name__)

Status = Message.Status
Delivery = Preference.Delivery

# What a delivery may fail with and be tried again later: the mail server or Notify away or refusing.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, TextNotSent)
STOP_REMINDERS_SALT = "notifications.stop-reminders"


# Queueing ---------------------------------------------------------------------------------------------------


def message_queue(
    *,
    key: str,
    kind: str,
    channel: str,
    text: content.Content,
    recipient_user=None,
    recipient_address: str = "",
    family: Family | None = None,
    reference: str = "",
    status: str = Status.QUEUED,
) -> Message | None:
    """Put one message in the outbox, inside the caller's transaction; it is sent after commit.

    ``key`` names the event and the recipient: a second call with the same key (the event recorded again, a
    job run twice) adds nothing and returns None."""
    if Message.objects.filter(idempotency_key=key).exists():
        return None
    message = Message.objects.create(
        idempotency_key=key,
        kind=kind,
        channel=channel,
        recipient_user=recipient_user,
        recipient_address=recipient_address,
        family=family,
        reference=reference,
        subject=text.subject,
        body=text.body,
        status=status,
        created_at=timezone.now(),
    )
    # Not on the family's timeline: it shows the message once, when it is sent (or fails).
    audit_record(
        actor=None,
        action=AuditAction.MESSAGE_QUEUED,
        obj=message,
        summary=f"{message.get_kind_display()}: {message.get_channel_display().lower()}, "
        f"{message.get_status_display().lower()}",
    )
    if status == Status.QUEUED:
        _send_after_commit(message)
    return message


def _send_after_commit(message: Message) -> None:
    from .tasks import send_message

    # robust: a broker that is away must not fail the change that queued the message (the sweep sends it later).
    transaction.on_commit(partial(send_message.delay, message.pk), robust=True)


def delivery_for(user, kind: str) -> str:
    if kind in ALWAYS_IMMEDIATE:
        return Delivery.IMMEDIATE
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    return chosen or Delivery.IMMEDIATE


def staff_notify(
    *, user, kind: str, key: str, text: content.Content, family: Family | None = None, reference: str = ""
) -> Message | None:
    """Email a member of staff, now or in their digest, as they chose (safeguarding always now)."""
    if not user.is_active or not user.email:
        return None
    delivery = delivery_for(user, kind)
    if delivery == Delivery.OFF:
        return None
    return message_queue(
        key=key,
        kind=kind,
        channel=Channel.EMAIL,
        text=text,
        recipient_user=user,
        family=family,
        reference=reference,
        status=Status.HELD if delivery == Delivery.DIGEST else Status.QUEUED,
    )


def family_notify(
    *,
    channel_choice: str,
    email: str,
    phone: str,
    key: str,
    kind: str,
    text: content.Content,
    family: Family | None,
    reference: str,
) -> Message | None:
    """A message to a family, only through the way they said is safe: email or text; a letter is listed for
    staff to post (the system sends none); phone, "do not contact" or no answer: nothing."""
    if channel_choice == ContactChannel.EMAIL and email:
        channel, address, status = Channel.EMAIL, email, Status.QUEUED
    elif channel_choice == ContactChannel.TEXT and phone:
        channel, address, status = Channel.TEXT, phone, Status.QUEUED
    elif channel_choice == ContactChannel.LETTER:
        channel, address, status = Channel.LETTER, "", Status.NOT_SENT
    else:
        return None
    return message_queue(
        key=key,
        kind=kind,
        channel=channel,
        text=text,
        recipient_address=address,
        family=family,
        reference=reference,
        status=status,
    )


# Delivering -------------------------------------------------------------------------------------------------


def _recipient(message: Message) -> str:
    return message.recipient_user.email if message.recipient_user_id else message.recipient_address


def _hand_over(message: Message) -> None:
    to = _recipient(message)
    if message.channel == Channel.EMAIL:
        headers = {"X-ECFS-Message": str(message.uuid)}
        if message.kind in (Kind.VISIT_REMINDER, Kind.SESSION_REMINDER) and message.family_id:
            headers["List-Unsubscribe"] = f"<{stop_reminders_link(message.family)}>"
        EmailMessage(subject=message.subject, body=message.body, to=[to], headers=headers, from_email=None).send(
            fail_silently=False
        )
    elif message.channel == Channel.TEXT:
        text_backend().send(to=to, body=message.body, reference=str(message.uuid))
    else:
        raise ApplicationError(f"A {message.get_channel_display().lower()} is not sent by the system.")


def message_deliver(*, message_id: int) -> Message:
    """Send a queued message once. The row is locked and its status checked first, so a task that runs twice
    (retried, or handed to a second worker) sends nothing more. A failure is recorded and left queued to be
    tried again, until ``ECFS_MESSAGE_MAX_ATTEMPTS``; then the message is marked failed."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("recipient_user", "family")
            .get(pk=message_id)
        )
        if message.status != Status.QUEUED:
            return message
        message.attempts += 1
        try:
            _hand_over(message)
        except DELIVERY_ERRORS as error:
            message.last_error = f"{type(error).__name__}: {error}"[:300]
            if message.attempts >= settings.ECFS_MESSAGE_MAX_ATTEMPTS:
                message.status = Status.FAILED
                audit_record(
                    actor=None,
                    action=AuditAction.MESSAGE_FAILED,
                    obj=message,
                    family=message.family,
                    summary=f"{message.get_kind_display()} not sent after {message.attempts} attempts",
                )
            message.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("message %s not sent (attempt %s): %s", message.uuid, message.attempts, message.last_error)
            return message
        message.status = Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        audit_record(
            actor=None,
            action=AuditAction.MESSAGE_SENT,
            obj=message,
            family=message.family,
            summary=f"{message.get_kind_display()} sent by {message.get_channel_display().lower()}",
        )
        return message


def messages_waiting(*, older_than: timedelta = timedelta(minutes=5)) -> list[int]:
    """Queued messages whose job never ran (the broker was away at commit): the sweep sends them."""
    return list(
        Message.objects.filter(status=Status.QUEUED, created_at__lt=timezone.now() - older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


# Preferences ------------------------------------------------------------------------------------------------


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> dict:
    """Save how ``user`` wants each kind they may choose for; safeguarding alerts cannot be changed."""
    changes = {}
    for kind, delivery in choices.items():
        if kind not in STAFF_CHOOSABLE:
            raise ApplicationError("Safeguarding alerts are always sent straight away and cannot be changed.")
        if delivery not in Delivery.values or (kind == Kind.DIGEST and delivery == Delivery.DIGEST):
            raise ApplicationError(f"Choose how to be sent “{Kind(kind).label}”.")
        old = delivery_for(user, kind)
        if old != delivery:
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
            changes[kind] = {"old": old, "new": delivery}
    if changes:
        audit_record(
            actor=user,
            action=AuditAction.NOTIFICATION_PREFERENCES_CHANGED,
            obj=user,
            summary="Message preferences changed",
            changes=changes,
        )
    return changes


# Families' reminders ----------------------------------------------------------------------------------------


def stop_reminders_link(family: Family) -> str:
    token = signing.dumps(str(family.uuid), salt=STOP_REMINDERS_SALT)
    return content.link("reminders-stop-public", token)


def family_from_stop_token(token: str) -> Family | None:
    try:
        family_uuid = signing.loads(token, salt=STOP_REMINDERS_SALT)
    except signing.BadSignature:
        return None
    return Family.objects.filter(uuid=family_uuid).first()


@transaction.atomic
def reminders_stop(*, family: Family, actor, how: str) -> bool:
    """Turn a family's reminders off at once (a member of staff on the family's record, or the family through
    the link in a reminder); reminders already sent stay listed. False when they were already off."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if not family.reminders_wanted:
        return False
    family.reminders_wanted = False
    family.save(update_fields=["reminders_wanted", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_REMINDERS_STOPPED,
        obj=family,
        family=family,
        summary=f"Reminders of visits and sessions stopped {how}",
        changes={"reminders_wanted": {"old": True, "new": False}},
    )
    return True


def _remindable(family: Family) -> bool:
    return (
        family.reminders_wanted
        and family.status == Family.Status.OPEN
        and family.safe_contact_channel in (ContactChannel.TEXT, ContactChannel.EMAIL)
    )


def _remind(*, family: Family, key: str, kind: str, text: content.Content) -> Message | None:
    return family_notify(
        channel_choice=family.safe_contact_channel,
        email=family.contact_email,
        phone=family.contact_phone,
        key=key,
        kind=kind,
        text=text,
        family=family,
        reference=family.reference,
    )


@transaction.atomic
def reminders_queue(*, today: date) -> list[Message]:
    """Reminders of tomorrow's planned visits and group sessions, to families whose safe way of contact is a
    text or an email and who want them. Run twice, it adds nothing (one key per visit, per session and family)."""
    tomorrow = today + timedelta(days=1)
    queued = []
    visits = PlannedVisit.objects.filter(
        cancelled_at__isnull=True, starts_at__date=tomorrow, family__reminders_wanted=True
    ).select_related("family")
    for visit in visits:
        if _remindable(visit.family):
            stop = stop_reminders_link(visit.family)
            text = content.visit_reminder(
                reference=visit.family.reference,
                mode_label=visit.get_mode_display(),
                starts_at=visit.starts_at,
                stop_link=stop,
            )
            queued.append(
                _remind(family=visit.family, key=f"reminder:visit:{visit.uuid}", kind=Kind.VISIT_REMINDER, text=text)
            )
    sessions = GroupSession.objects.filter(
        status=GroupSession.Status.SCHEDULED, starts_at__date=tomorrow
    ).select_related("venue")
    enrolled = (
        Enrolment.objects.filter(
            course__sessions__in=sessions, withdrawn_at__isnull=True, family__reminders_wanted=True
        )
        .values_list("course_id", "family_id")
        .distinct()
    )
    families_of_course = {}
    for course_id, family_id in enrolled:
        families_of_course.setdefault(course_id, set()).add(family_id)
    families = Family.objects.in_bulk({pk for ids in families_of_course.values() for pk in ids})
    for session in sessions:
        for family_id in sorted(families_of_course.get(session.course_id, ())):
            family = families[family_id]
            if _remindable(family):
                text = content.session_reminder(
                    reference=family.reference,
                    venue=session.venue.name,
                    starts_at=session.starts_at,
                    stop_link=stop_reminders_link(family),
                )
                queued.append(
                    _remind(
                        family=family,
                        key=f"reminder:session:{session.uuid}:{family.uuid}",
                        kind=Kind.SESSION_REMINDER,
                        text=text,
                    )
                )
    return [message for message in queued if message is not None]


# The daily digest -------------------------------------------------------------------------------------------


def digest_recipients():
    """Everyone on the front line with an email address (``digest_queue`` skips those who turned it off)."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, groups__name__in=[group_name(Role.MANAGER), group_name(Role.WORKER)])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def digest_queue(*, user, today: date) -> Message | None:
    """One digest for ``user`` today: what of theirs is overdue, and the messages they asked to have held.
    Nothing to tell: no digest. Run twice in a day, it adds nothing."""
    from .selectors import digest_overdue

    if delivery_for(user, Kind.DIGEST) == Delivery.OFF:
        return None
    overdue = digest_overdue(user=user, today=today)
    held = list(
        Message.objects.select_for_update().filter(recipient_user=user, status=Status.HELD).order_by("created_at")
    )
    if not overdue and not held:
        return None
    digest = message_queue(
        key=f"digest:{user.pk}:{today.isoformat()}",
        kind=Kind.DIGEST,
        channel=Channel.EMAIL,
        text=content.digest(today=today, overdue=overdue, held=held),
        recipient_user=user,
    )
    if digest is not None and held:
        Message.objects.filter(pk__in=[message.pk for message in held]).update(
            status=Status.IN_DIGEST, digest=digest, sent_at=timezone.now()
        )
    return digest
