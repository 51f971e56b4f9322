"""Which families' records are past their retention date (reads only; the anonymising is in anonymise.py).

The default rule, the one councils commonly apply to early help files: keep a family's records until the
youngest child's 25th birthday or until 6 years after the end of the financial year in which the last
plan closed, whichever is later. Both numbers are settings (``RETENTION_CHILD_AGE_YEARS``,
``RETENTION_YEARS_AFTER_CLOSURE``). Open families, families with an open plan and families on legal hold
are never due. A referral closed at triage and never linked to a family is kept by the same rule, counted from
the day it was closed.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from ecfs.financial_year import financial_year_of
from families.models import Family, Person, SupportPlan
from referrals.models import Referral

CHILD_KINDS = (Person.Kind.CHILD, Person.Kind.UNBORN, Person.Kind.OLDER_CHILD)


@dataclass(frozen=True)
class RetentionDue:
    family: Family
    keep_until: date
    rule: str


@dataclass(frozen=True)
class ReferralDue:
    referral: Referral
    keep_until: date
    rule: str


def financial_year_end(day: date) -> date:
    """31 March ending the financial year (April to March) that holds ``day``."""
    return date(financial_year_of(day) + 1, 3, 31)


def keep_until(*, youngest_born: date | None, last_closed: date) -> tuple[date, str]:
    """The retention date and the rule that set it."""
    years = settings.RETENTION_YEARS_AFTER_CLOSURE
    until = financial_year_end(last_closed) + relativedelta(years=years)
    rule = f"{years} years after the financial year the last plan closed"
    if youngest_born:
        age = settings.RETENTION_CHILD_AGE_YEARS
        birthday = youngest_born + relativedelta(years=age)
        if birthday > until:
            until, rule = birthday, f"the youngest child's {age}th birthday"
    return until, rule


def _local_date(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def retention_candidates():
    """Closed families not yet anonymised, with what the rule needs, in one query."""
    open_plan = SupportPlan.objects.filter(family=OuterRef("pk")).exclude(status=SupportPlan.Status.CLOSED)
    return (
        Family.objects.filter(status=Family.Status.CLOSED, anonymised_at__isnull=True)
        .annotate(
            has_open_plan=Exists(open_plan),
            youngest_born=Max("members__date_of_birth", filter=Q(members__kind__in=CHILD_KINDS)),
            youngest_due=Max("members__expected_date", filter=Q(members__kind=Person.Kind.UNBORN)),
            last_plan_closed=Max("plans__closed_at"),
        )
        .select_related("base")
        .order_by("reference")
    )


def _due_of(family: Family) -> RetentionDue | None:
    if family.has_open_plan:
        return None
    youngest = max(filter(None, (family.youngest_born, family.youngest_due)), default=None)
    # A family that never had a plan (closed at triage, say) counts from the day it was closed.
    last_closed = _local_date(family.last_plan_closed) or _local_date(family.closed_at)
    if last_closed is None:
        return None
    until, rule = keep_until(youngest_born=youngest, last_closed=last_closed)
    return RetentionDue(family=family, keep_until=until, rule=rule)


def families_due(*, today: date, include_held: bool = False) -> list[RetentionDue]:
    """Families whose retention date has passed, oldest first; held families only when asked for."""
    # Nothing closed within the last N years can be due (keep_until is at least closure + N years): this
    # keeps the scan to the few old families however large the county's history grows.
    closed_before = today - relativedelta(years=settings.RETENTION_YEARS_AFTER_CLOSURE)
    candidates = retention_candidates().filter(
        closed_at__lt=timezone.make_aware(datetime.combine(closed_before, time()))
    )
    due = []
    for family in candidates.iterator(chunk_size=2000):
        if family.legal_hold and not include_held:
            continue
        item = _due_of(family)
        if item and item.keep_until < today:
            due.append(item)
    return sorted(due, key=lambda item: (item.keep_until, item.family.reference or ""))


def referrals_due(*, today: date) -> list[ReferralDue]:
    """Referrals closed at triage and never linked to a family (signposted, stepped up, no further action,
    withdrawn, a duplicate not matched), whose retention date has passed: the family's rule, counted from the day
    the referral was closed and the youngest child named on it. Oldest first; referrals on legal hold never."""
    closed_before = today - relativedelta(years=settings.RETENTION_YEARS_AFTER_CLOSURE)
    candidates = (
        Referral.objects.filter(
            family__isnull=True,
            anonymised_at__isnull=True,
            legal_hold=False,
            status__in=Referral.CLOSED_AT_TRIAGE,
            closed_at__lt=timezone.make_aware(datetime.combine(closed_before, time())),
        )
        .annotate(
            youngest_born=Max("people__date_of_birth", filter=Q(people__kind__in=CHILD_KINDS)),
            youngest_due=Max("people__expected_date", filter=Q(people__kind=Person.Kind.UNBORN)),
        )
        .select_related("routed_team__base")
        .order_by("reference")
    )
    due = []
    for referral in candidates.iterator(chunk_size=2000):
        youngest = max(filter(None, (referral.youngest_born, referral.youngest_due)), default=None)
        until, rule = keep_until(youngest_born=youngest, last_closed=_local_date(referral.closed_at))
        if until < today:
            due.append(ReferralDue(referral=referral, keep_until=until, rule=rule))
    return sorted(due, key=lambda item: (item.keep_until, item.referral.reference or ""))


def families_on_hold():
    return Family.objects.filter(legal_hold=True).select_related("base").order_by("reference")


def referrals_on_hold():
    return Referral.objects.filter(legal_hold=True).select_related("routed_team__base").order_by("reference")
