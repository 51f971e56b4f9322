"""What each kind of message says. A message carries a reference and a link (or who to contact), never a
family member's name, an address, a case note or a reason written in free text: the mailbox or phone it
lands on may be read by someone else."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

SERVICE = "Early Childhood and Family Service"


@dataclass(frozen=True)
class Content:
    subject: str
    body: str


def link(url_name: str, *args) -> str:
    return settings.ECFS_SITE_URL + reverse(url_name, args=args)


def _day(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _time(value: datetime) -> str:
    return f"{timezone.localtime(value):%H:%M}"


def _signed(body: str) -> str:
    return f"{body}\n\n{SERVICE}\nThis is an automatic message: please do not reply to it."


# Referrers and families ------------------------------------------------------------------------------------

# The outcome of a referral as the referrer reads it ("Your referral REF-000123 has been ..."), by status.
REFERRER_OUTCOMES = {
    "allocated": "accepted for support and allocated to a family support worker",
    "signposted": "closed with the family signposted to other help",
    "stepped_up": "stepped up",
    "no_further_action": "closed with no further action",
    "duplicate": "closed as a duplicate",
    "withdrawn": "withdrawn",
}
# The same for a family that asked for help itself: plainer words, and nothing that would alarm or expose them.
FAMILY_OUTCOMES = {
    "allocated": "A family support worker will be in touch with you, the way you told us is safe.",
    "signposted": "We have suggested other help that may suit you better. Please contact us to hear more.",
    "stepped_up": "We have passed your request to another service who can help. Please contact us to hear more.",
    "no_further_action": "We are not able to offer support from this service at the moment. Please contact us "
    "if anything changes.",
    "duplicate": "We already have a request for help from you, so this one has been closed. Please contact us "
    "if you want to know more.",
    "withdrawn": "Your request has been closed. You can ask for help again at any time.",
}


def referral_outcome(*, reference: str, status: str, reason_label: str, contact: str) -> Content:
    outcome = REFERRER_OUTCOMES[status]
    why = f" ({reason_label[0].lower()}{reason_label[1:]})" if reason_label and status != "allocated" else ""
    return Content(
        subject=f"Your referral {reference}: {outcome}",
        body=_signed(
            f"Your referral {reference} to the {SERVICE} has been {outcome}{why}.\n\n"
            f"Who to contact about it: {contact}.\n"
            f"Please quote {reference}. We do not include the family's details or our notes in email."
        ),
    )


def self_referral_outcome(*, reference: str, status: str, contact: str) -> Content:
    return Content(
        subject=f"Your request for help {reference}",
        body=_signed(
            f"An update on your request for help, reference {reference}.\n\n{FAMILY_OUTCOMES[status]}\n\n"
            f"To contact us: {contact}. Please quote {reference}."
        ),
    )


def visit_reminder(*, reference: str, mode_label: str, starts_at: datetime, stop_link: str) -> Content:
    when = f"{_day(timezone.localdate(starts_at))} at {_time(starts_at)}"
    return Content(
        subject=f"Reminder: {mode_label.lower()} tomorrow",
        body=_signed(
            f"A reminder that your {mode_label.lower()} with the {SERVICE} is tomorrow, {when}. "
            f"Your reference is {reference}.\n\nTo stop these reminders: {stop_link}"
        ),
    )


def session_reminder(*, reference: str, venue: str, starts_at: datetime, stop_link: str) -> Content:
    # Not the programme's name: a course's title can say more than the family would want read out.
    when = f"{_day(timezone.localdate(starts_at))} at {_time(starts_at)}"
    return Content(
        subject="Reminder: your group session tomorrow",
        body=_signed(
            f"A reminder that your group session is tomorrow, {when}, at {venue}. "
            f"Your reference is {reference}.\n\nTo stop these reminders: {stop_link}"
        ),
    )


# Staff -----------------------------------------------------------------------------------------------------


def allocation(*, family_reference: str) -> Content:
    return Content(
        subject=f"Family {family_reference} allocated to you",
        body=_signed(
            f"Family {family_reference} has been allocated to you.\n\n"
            f"Open the family's record: {link('family-detail', family_reference)}"
        ),
    )


def safeguarding(*, family_reference: str, base: str, contact_uuid) -> Content:
    return Content(
        subject=f"Safeguarding concern raised: family {family_reference}",
        body=_signed(
            f"A safeguarding concern was raised on a contact with family {family_reference} at {base}. "
            "Record the action taken on it.\n\n"
            f"Open the contact: {link('contact-safeguarding', contact_uuid)}\n\n"
            "Safeguarding alerts cannot be turned off."
        ),
    )


def plan_awaiting(*, family_reference: str, plan_uuid, closing: bool) -> Content:
    what = "closure" if closing else "approval to start"
    return Content(
        subject=f"Support plan awaiting your {what}: family {family_reference}",
        body=_signed(
            f"A support plan for family {family_reference} is waiting for {what}.\n\n"
            f"Open the plan: {link('plan-detail', plan_uuid)}"
        ),
    )


def fund_awaiting(*, application_reference: str, family_reference: str, application_uuid, second: bool) -> Content:
    what = "a second approval" if second else "a decision"
    return Content(
        subject=f"Fund application {application_reference} awaiting {what}",
        body=_signed(
            f"Fund application {application_reference} for family {family_reference} is waiting for {what}.\n\n"
            f"Open the application: {link('fund-application', application_uuid)}"
        ),
    )


@dataclass(frozen=True)
class DigestLine:
    what: str
    reference: str
    due: date | None
    url: str

    def text(self) -> str:
        due = f", due {_day(self.due)}" if self.due else ""
        return f"- {self.what}: {self.reference}{due}\n  {self.url}"


def digest(*, today: date, overdue: list[DigestLine], held: list) -> Content:
    parts = [f"Your ECFS Case digest for {_day(today)}."]
    if overdue:
        parts.append(f"Overdue ({len(overdue)}):\n" + "\n".join(line.text() for line in overdue))
    if held:
        parts.append(f"Since your last digest ({len(held)}):\n" + "\n".join(f"- {message.subject}" for message in held))
    parts.append(f"Change what you are sent: {link('message-preferences')}")
    return Content(subject=f"Your ECFS Case digest: {len(overdue)} overdue", body=_signed("\n\n".join(parts)))
