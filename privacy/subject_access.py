"""Everything held about a family or one of its people, as a readable PDF and as JSON (reads only).

Third parties (the team around the family, referrers, and for one person's request the other members of
the household) can be taken out before release: their names, phone numbers and emails are replaced by
``[redacted]`` wherever they appear, free text included. A withheld address never appears.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone

from advice.models import AdviceEntry
from community.models import Connection
from development.models import DevelopmentReview
from documents.selectors import family_documents
from ecfs.audit.models import AuditEvent
from families.models import (
    Assessment,
    Contact,
    FollowUp,
    OutcomeAssessment,
    PlannedVisit,
    Professional,
    Review,
    SupportPlan,
)
from notifications.models import Message
from partnership.models import OnwardReferral, TafMeeting
from support_fund.models import Application
from venues.models import Attendance, Enrolment
from voice.models import Complaint, Feedback

from .models import SubjectAccessRequest

REDACTED = "[redacted]"
WITHHELD = "Withheld: this address is not released"
SKIPPED_FIELDS = {"id", "uuid", "family", "first_name_key", "last_name_key", "restricted", "anonymised_at"}
FAMILY_PRIVATE_FIELDS = {
    "restricted",
    "legal_hold",
    "legal_hold_reason",
    "address_withheld",
    "created_by",
    "modified_by",
}
ADDRESS_FIELDS = {"address_line_1", "address_line_2", "town", "postcode"}
# Someone hiding from a perpetrator: how to reach the family is withheld with where they live (as on the pages).
WITHHELD_FIELDS = {*ADDRESS_FIELDS, "contact_phone", "contact_email"}


@dataclass(frozen=True)
class ThirdParty:
    key: str
    label: str
    names: tuple[str, ...]
    contacts: tuple[str, ...] = ()


def third_parties(sar: SubjectAccessRequest) -> list[ThirdParty]:
    family = sar.family
    parties = [
        ThirdParty(
            f"professional:{p.uuid}",
            f"{p.name} ({p.get_agency_display()})",
            (p.name,),
            tuple(filter(None, (p.phone, p.email))),
        )
        for p in family.professionals.all()
    ]
    parties += [
        ThirdParty(
            f"referrer:{r.uuid}",
            f"{r.referrer_name} (referrer, {r.reference})",
            (r.referrer_name,),
            tuple(filter(None, (r.referrer_phone, r.referrer_email))),
        )
        for r in family.referrals.exclude(referrer_name="")
    ]
    if sar.person_id:
        parties += [
            ThirdParty(f"person:{p.uuid}", f"{p.full_name} ({p.get_kind_display().lower()})", (p.full_name,))
            for p in family.members.exclude(pk=sar.person_id)
        ]
    return parties


def _value(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    if isinstance(value, models.Model):
        full_name = getattr(value, "get_full_name", None)
        return full_name() if full_name else str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %B %Y, %H:%M")
    if isinstance(value, date):
        return value.strftime("%d %B %Y")
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def _row(obj, skip=()) -> dict:
    return {
        str(field.verbose_name).capitalize(): _value(obj, field)
        for field in obj._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS and field.name not in skip and _value(obj, field) not in (None, "")
    }


def _section(title: str, objects, skip=()) -> dict:
    return {"title": title, "rows": [_row(obj, skip) for obj in objects]}


def _family_row(family) -> dict:
    row = _row(family, skip=FAMILY_PRIVATE_FIELDS)
    if family.address_withheld:
        for field in WITHHELD_FIELDS:
            row.pop(str(family._meta.get_field(field).verbose_name).capitalize(), None)
        row["Address"] = WITHHELD
    return row


def _referral_rows(family) -> list[dict]:
    rows = []
    for referral in family.referrals.prefetch_related("people", "reasons", "decisions__decided_by"):
        row = _row(referral, skip=WITHHELD_FIELDS if family.address_withheld else ())
        row["Reasons"] = ", ".join(reason.name for reason in referral.reasons.all())
        row["People referred"] = ", ".join(f"{p.first_name} {p.last_name}" for p in referral.people.all())
        row["Decisions"] = [_row(decision) for decision in referral.decisions.all()]
        rows.append(row)
    return rows


# The outbox's own bookkeeping, and which member of staff an alert went to (their name is not the family's data).
MESSAGE_INTERNAL_FIELDS = ("idempotency_key", "recipient_user", "digest", "attempts", "last_error")


# A record entered on the wrong family (an assessment, contact, follow-up, outcome scores or development review
# marked recorded in error) is about someone else and is left out; the rows left say nothing about that.
IN_ERROR_FIELDS = ("in_error_at", "in_error_by", "in_error_reason")


def _document_rows(family) -> list[dict]:
    """The bundle is one PDF or JSON file, not an archive: each document is listed (recorded-in-error ones are not)."""
    return [
        {
            "Kind": document.get_kind_display(),
            "Description": document.description,
            "File name": document.original_name,
            "Type": document.content_type,
            "Size": filesizeformat(document.size),
            "Added": _value(document, document._meta.get_field("added_at")),
            "Added by": document.added_by.get_full_name() if document.added_by else "The system",
        }
        for document in family_documents(family=family)
    ]


def _meeting_rows(family) -> list[dict]:
    """Each team around the family meeting with who attended and the actions agreed (as they stand now)."""
    rows = []
    meetings = (
        TafMeeting.objects.filter(family=family)
        .select_related("lead_worker", "lead_professional", "created_by")
        .prefetch_related("workers", "people", "professionals", "actions__plan_action")
        .order_by("held_on", "pk")
    )
    for meeting in meetings:
        row = _row(meeting, skip=("lead_worker", "lead_professional"))
        row["Lead professional"] = meeting.lead_label
        row["Who attended"] = ", ".join(
            [worker.get_full_name() for worker in meeting.workers.all()]
            + [person.full_name for person in meeting.people.all()]
            + [f"{p.name} ({p.get_agency_display()})" for p in meeting.professionals.all()]
        )
        row["Actions"] = [
            {
                "Action": action.current.description,
                "Agency": action.agency_label,
                "Who": action.owner_label,
                "Due": _value(action.current, action._meta.get_field("due_on")),
                "Done": _value(action.current, action._meta.get_field("done_on")) or "Not yet",
            }
            for action in meeting.actions.all()
        ]
        rows.append(row)
    return rows


def bundle(sar: SubjectAccessRequest) -> dict:
    """The whole bundle as plain data, redactions applied."""
    family = sar.family
    plans = SupportPlan.objects.filter(family=family).select_related("worker").prefetch_related("goals__determinant")
    sections = [
        {"title": "The family", "rows": [_family_row(family)]},
        _section("People in the family", family.members.all()),
        _section("The team around the family", Professional.objects.filter(family=family)),
        {"title": "Referrals", "rows": _referral_rows(family)},
        _section(
            "Assessments",
            Assessment.objects.filter(family=family, in_error_at__isnull=True).prefetch_related("needs"),
            skip=IN_ERROR_FIELDS,
        ),
        {
            "title": "Support plans",
            "rows": [_row(plan) | {"Goals": [goal.description for goal in plan.goals.all()]} for plan in plans],
        },
        _section("Reviews", Review.objects.filter(plan__family=family).order_by("reviewed_on")),
        {
            "title": "Outcome scores",
            "rows": [
                _row(assessment, skip=IN_ERROR_FIELDS)
                | {score.determinant.name: score.score for score in assessment.scores.all()}
                for assessment in OutcomeAssessment.objects.filter(
                    plan__family=family, in_error_at__isnull=True
                ).prefetch_related("scores__determinant")
            ],
        },
        _section(
            "Contacts and visits",
            Contact.objects.filter(family=family, in_error_at__isnull=True)
            .select_related("created_by", "venue")
            .order_by("occurred_at"),
            skip=IN_ERROR_FIELDS,
        ),
        _section(
            "Follow-ups", FollowUp.objects.filter(plan__family=family, in_error_at__isnull=True), skip=IN_ERROR_FIELDS
        ),
        _section(
            "Child development reviews (ASQ-3) and EYFS profile results",
            DevelopmentReview.objects.filter(family=family, in_error_at__isnull=True)
            .select_related("child", "created_by")
            .order_by("child_id", "reviewed_on", "pk"),
            skip=IN_ERROR_FIELDS,
        ),
        _section("Planned visits", PlannedVisit.objects.filter(family=family).select_related("worker")),
        _section("Family support fund", Application.objects.filter(family=family).select_related("applicant")),
        _section("Groups", Enrolment.objects.filter(family=family).select_related("course__programme", "person")),
        _section("Group attendance", Attendance.objects.filter(family=family).select_related("session__course")),
        {
            "title": "Advice given",
            "rows": [
                _row(entry) | {"Topics": ", ".join(topic.name for topic in entry.topics.all())}
                for entry in AdviceEntry.objects.filter(family=family)
                .select_related("district", "locality", "referral", "team", "base", "created_by")
                .prefetch_related("topics")
                .order_by("given_on", "pk")
            ],
        },
        _section(
            "Connections to community groups and services",
            Connection.objects.filter(family=family).select_related("group").order_by("connected_on", "pk"),
        ),
        _section(
            "Messages sent to or about the family",
            Message.objects.filter(family=family).order_by("created_at", "pk"),
            skip=(*MESSAGE_INTERNAL_FIELDS, "recipient_address")
            if family.address_withheld
            else MESSAGE_INTERNAL_FIELDS,
        ),
        {"title": "Team around the family meetings", "rows": _meeting_rows(family)},
        _section(
            "Onward referrals to other services",
            OnwardReferral.objects.filter(family=family).select_related("referred_by").order_by("referred_on", "pk"),
        ),
        _section(
            "Complaints",
            Complaint.objects.filter(family=family)
            .select_related("base", "created_by", "modified_by")
            .order_by("received_on", "pk"),
        ),
        _section(
            "Feedback the family left",
            Feedback.objects.filter(family=family)
            .select_related("district", "base", "referral")
            .order_by("received_at", "pk"),
        ),
        {"title": "Documents on the record", "rows": _document_rows(family)},
        {
            "title": "Who accessed or changed these records",
            "rows": [
                {
                    "When": _value(event, event._meta.get_field("occurred_at")),
                    "Who": event.actor.get_full_name() if event.actor else "The system",
                    "What": event.summary or event.action,
                }
                for event in AuditEvent.objects.filter(family=family).select_related("actor").order_by("occurred_at")
            ],
        },
    ]
    data = {
        "request": {
            "reference": sar.reference,
            "subject": sar.person.full_name if sar.person_id else f"The family {family.reference}",
            "requested_by": sar.requester_name,
            "received_on": sar.received_on.isoformat(),
            "due_on": sar.due_on.isoformat(),
            "produced_at": timezone.localtime().isoformat(timespec="seconds"),
        },
        "sections": sections,
    }
    return redact(data, [party for party in third_parties(sar) if party.key in set(sar.redacted)])


def redact(data, parties: list[ThirdParty]):
    """Replace each redacted third party's names and contact details, wherever they appear."""
    needles = sorted({text for party in parties for text in (*party.names, *party.contacts) if len(text) > 2}, key=len)
    if not needles:
        return data
    pattern = re.compile("|".join(re.escape(text) for text in reversed(needles)), re.IGNORECASE)

    def walk(value):
        if isinstance(value, str):
            return pattern.sub(REDACTED, value)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    return walk(data)


def bundle_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _display(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_display(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "\n".join(_display(item) for item in value)
    return str(value)


def bundle_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    from reporting.documents import static_only_fetcher

    sections = [
        {"title": section["title"], "rows": [{k: _display(v) for k, v in row.items()} for row in section["rows"]]}
        for section in data["sections"]
    ]
    html = render_to_string("privacy/bundle_pdf.html", {"sar": data["request"], "sections": sections})
    return HTML(string=html, base_url=settings.STATIC_URL, url_fetcher=static_only_fetcher).write_pdf()
