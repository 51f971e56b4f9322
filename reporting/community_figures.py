"""The quarterly return's networks-of-support figures (#19): families connected to community groups and
services and the share who went, and community grants by district and town.

Kept apart from kpis.py, which registers them by importing this module. Rows are the usual ``Row`` kinds, so
``reporting.disclosure`` protects their small numbers like every other breakdown's.
"""

from django.db.models import Count, Q, Sum

from community.models import Connection, GrantApplication, GrantMonitoring
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent

from .kpis import _count_row, _in_dates, _money_row, _percent_row, kpi
from .periods import QUARTERLY

CONNECTED = "Families connected"
ANSWERED = "Followed up: families asked whether they went"
WENT = "Went"
SHARE_WENT = "% who went"


def _families_by_district(connections) -> dict:
    rows = connections.values("family__district__name").annotate(n=Count("family", distinct=True)).order_by()
    return {row["family__district__name"]: row["n"] for row in rows}


def _answers_at_end(period, due) -> dict[int, str]:
    """Each follow-up's answer as it stood at the quarter's last moment. The connection keeps only its latest
    answer (an answer changed in July moves its date into July), so the answers recorded up to then are read from
    the audit trail that ``connection_record_outcome`` writes; a connection with no such event (written in bulk),
    or whose event lost its detail when the family was anonymised, counts its answer if recorded by then."""
    rows = due.values_list("pk", "uuid", "outcome", "outcome_recorded_on")
    connections = {str(uuid): (pk, outcome, on) for pk, uuid, outcome, on in rows}
    events = (
        AuditEvent.objects.filter(
            action=AuditAction.CONNECTION_OUTCOME,
            object_type=Connection._meta.label_lower,
            object_id__in=list(connections),
        )
        .order_by("occurred_at", "pk")
        .values_list("object_id", "occurred_at", "changes")
    )
    answers: dict[int, str] = {}
    audited: set[str] = set()
    for uuid, occurred_at, changes in events:
        audited.add(uuid)
        if occurred_at >= period.end_at:
            continue
        pk, outcome, _on = connections[uuid]
        recorded = (changes or {}).get("outcome")
        answers[pk] = recorded[1] if isinstance(recorded, list) and len(recorded) == 2 else outcome
    for uuid, (pk, outcome, on) in connections.items():
        if uuid not in audited and on is not None and on <= period.end:
            answers[pk] = outcome
    return answers


@kpi(
    code="community_connections",
    title="Families connected to community groups and services, and the share who went",
    section="reach",
    unit="count",
    returns=(QUARTERLY,),
    definition="""Families a worker connected to a community group or another service in the quarter (by the
    family's district), each once. Of the families whose four-week follow-up fell due in the quarter and was
    answered by its end ("went" or "did not go", the answer as it stood at the quarter's last moment: an answer
    changed later does not change the figure; "could not find out" is left out), how many went to at least one
    of them, and the share.""",
)
def community_connections(period, districts):
    made = Connection.objects.filter(_in_dates(period, "connected_on"))
    due = Connection.objects.filter(_in_dates(period, "follow_up_due"))
    answers = _answers_at_end(period, due)
    answered_ids = [pk for pk, outcome in answers.items() if outcome in Connection.ANSWERED]
    went_ids = [pk for pk, outcome in answers.items() if outcome in Connection.ATTENDED]
    answered = _families_by_district(Connection.objects.filter(pk__in=answered_ids))
    went = _families_by_district(Connection.objects.filter(pk__in=went_ids))
    return [
        _count_row(CONNECTED, _families_by_district(made), districts),
        _count_row(ANSWERED, answered, districts),
        _count_row(WENT, went, districts),
        _percent_row(SHARE_WENT, went, answered, districts, numerator=(WENT,), denominator=(ANSWERED,)),
    ]


def _approved_in(period):
    """Grants approved in the quarter and not withdrawn by its end: a grant withdrawn later was still approved in
    it (a later decision never changes a past figure). Only an approved grant has a decision date and can then be
    withdrawn, so a withdrawn one dated in the quarter was approved in it; when it was withdrawn is in the audit
    trail (``grant_withdraw``)."""
    decided = GrantApplication.objects.filter(_in_dates(period, "decided_on"))
    withdrawn = {
        str(uuid): pk for pk, uuid in decided.filter(status=GrantApplication.Status.WITHDRAWN).values_list("pk", "uuid")
    }
    withdrawn_later = AuditEvent.objects.filter(
        action=AuditAction.GRANT_WITHDRAWN,
        object_type=GrantApplication._meta.label_lower,
        object_id__in=list(withdrawn),
        occurred_at__gte=period.end_at,
    ).values_list("object_id", flat=True)
    return decided.filter(
        Q(status__in=(GrantApplication.Status.APPROVED, GrantApplication.Status.PAID))
        | Q(pk__in=[withdrawn[uuid] for uuid in withdrawn_later])
    )


@kpi(
    code="community_grants",
    title="Community grants approved, by district and town",
    section="reach",
    unit="money",
    returns=(QUARTERLY,),
    definition="""Community grants (the £250,000 for networks of support) approved in the quarter and not
    withdrawn by its end (a grant withdrawn later still counts: it was approved in the quarter), the amount
    approved, by the district of the group's place: the total, then each market town (and the rest of the
    county) where a grant was approved. Grants go to community groups, not families.""",
)
def community_grants(period, districts):
    approved = _approved_in(period)
    by_district = approved.values("district__name").annotate(total=Sum("amount_approved")).order_by()
    rows = [_money_row("All grants", {r["district__name"]: r["total"] for r in by_district}, districts)]
    by_town = (
        approved.values("locality__name", "locality__is_other", "district__name")
        .annotate(total=Sum("amount_approved"))
        .order_by("locality__is_other", "locality__name")
    )
    towns: dict = {}
    for row in by_town:
        label = "Outside the market towns" if row["locality__is_other"] else row["locality__name"]
        towns.setdefault(label, {})[row["district__name"]] = row["total"]
    rows += [_money_row(label, sums, districts) for label, sums in towns.items()]
    return rows


@kpi(
    code="community_grants_count",
    title="Community grants approved, and the groups' monitoring returns",
    section="reach",
    unit="count",
    returns=(QUARTERLY,),
    definition="""The number of community grants approved in the quarter and not withdrawn by its end (as
    "Community grants approved, by district and town"), by district; and the families the funded groups reported
    reaching in their monitoring returns that run up to a date in the quarter, by the grant's district: each
    return's own count, added up (a family a group reached in the periods of two returns counts in each).""",
)
def community_grants_count(period, districts):
    counts = {
        r["district__name"]: r["n"]
        for r in _approved_in(period).values("district__name").annotate(n=Count("pk")).order_by()
    }
    reached = {
        r["application__district__name"]: r["n"]
        for r in GrantMonitoring.objects.filter(_in_dates(period, "period_end"))
        .values("application__district__name")
        .annotate(n=Sum("families_reached"))
        .order_by()
    }
    return [
        _count_row("Grants approved", counts, districts),
        _count_row("Families the funded groups reached", reached, districts),
    ]
