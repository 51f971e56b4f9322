import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_search(*, filters: dict) -> QuerySet[AuditEvent]:
    """Audit events matching the filters, newest first, with actor and family joined (no query per row).

    filters: family (reference, exact, any case), actor (email, exact, any case), action (starts with),
    object_type (exact, any case), date_from and date_to (inclusive local dates).
    """
    events = AuditEvent.objects.select_related("actor", "family").order_by("-occurred_at", "-pk")
    if filters.get("family"):
        events = events.filter(family__reference__iexact=filters["family"].strip())
    if filters.get("actor"):
        events = events.filter(actor__email__iexact=filters["actor"].strip())
    if filters.get("action"):
        events = events.filter(action__istartswith=filters["action"].strip())
    if filters.get("object_type"):
        events = events.filter(object_type__iexact=filters["object_type"].strip())
    if filters.get("date_from"):
        events = events.filter(occurred_at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(occurred_at__lt=_start_of(filters["date_to"] + datetime.timedelta(days=1)))
    return events


WITHHELD_SUMMARY = "Details withheld: only staff who may see this family's record see them"
# Records about families and the people in them: their summaries and changes can hold names, addresses and
# free-text reasons, so they show only to someone who may see the family.
CASE_RECORD_APPS = ("families.", "referrals.", "imports.", "privacy.")
CASE_RECORD_TYPES = {
    "api.partnerreferral",
    "support_fund.application",
    "support_fund.applicationevent",
    "venues.attendance",
    "venues.enrolment",
    "venues.parentmeasure",
}


def is_case_record(event: AuditEvent) -> bool:
    return (
        event.family_id is not None
        or event.object_type.startswith(CASE_RECORD_APPS)
        or (event.object_type in CASE_RECORD_TYPES)
    )


def shown_to(event: AuditEvent, *, visible_family_ids: set[int]) -> tuple[str, dict]:
    """The event's summary and changes as a viewer sees them: in full for what is not a case record or is
    about a family they may see; otherwise ``WITHHELD_SUMMARY`` and no changes (who, when, what and which
    record stay)."""
    if is_case_record(event) and event.family_id not in visible_family_ids:
        return WITHHELD_SUMMARY, {}
    return event.summary, event.changes
