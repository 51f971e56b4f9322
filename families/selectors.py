"""Reads of families, always scoped to what the user may see (the rules: ``families.access``)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from bases.models import StaffProfile
from bases.selectors import managed_base_ids
from ecfs.audit.models import AuditEvent
from ecfs.roles import Role, group_name

from .access import family_scope, registering_teams
from .models import Allocation, Family, Person
from .names import household_prefetch
from .rules import name_key
from .validators import normalise_postcode


def family_list(*, user) -> QuerySet[Family]:
    return Family.objects.filter(family_scope(user))


def registered_by_my_team(*, user) -> QuerySet[Family]:
    """The families the user's team registered without a referral and that the user sees (not yet in support),
    most recently registered first, with who is in them: a worker's *Registered by your team*."""
    return (
        family_list(user=user)
        .filter(registered_on__isnull=False, registered_team__in=registering_teams(user))
        .select_related("locality")
        .prefetch_related(household_prefetch())
        .order_by("-registered_on", "reference")
    )


def first_referred_on(family: Family) -> date | None:
    """The day the family was first referred (its earliest referral's received date): the date rules in
    ``families.rules`` refuse events before it. None for a family with no referral."""
    first = family.referrals.aggregate(first=Min("received_at"))["first"]
    return timezone.localdate(first) if first else None


def family_get(*, user, reference: str) -> Family:
    """The family, or 404 when it does not exist *or* the user may not see it."""
    family = family_list(user=user).select_related("district", "locality", "base").filter(reference=reference).first()
    if family is None:
        raise Http404("No such family")
    return family


CONTACTS_PER_PAGE = 20
TIMELINE_PER_PAGE = 100


def family_detail(*, user, reference: str, contacts_page: int = 1, timeline_page: int = 1) -> Family:
    """Everything the family record page shows, in a fixed number of queries. Its contacts (20 at a time) and its
    timeline (100 at a time) come newest first, a page at a time (``contacts_page``, ``timeline_page``): one more
    row is read to know whether older ones follow, so no count query."""
    family = family_get(user=user, reference=reference)
    family.member_list = list(family.members.order_by("kind", "date_of_birth", "expected_date"))
    family.professional_list = list(family.professionals.all())
    family.allocation_list = list(
        family.allocations.select_related("worker", "allocated_by", "ended_by").order_by("-started_at")
    )
    family.referral_list = list(
        family.referrals.select_related("routed_team").prefetch_related("reasons", "decisions__decided_by")
    )
    first_event = (timeline_page - 1) * TIMELINE_PER_PAGE
    events = list(
        AuditEvent.objects.filter(family=family)
        .exclude(action="viewed")
        .select_related("actor")[first_event : first_event + TIMELINE_PER_PAGE + 1]
    )
    family.timeline = events[:TIMELINE_PER_PAGE]
    family.timeline_page = timeline_page
    family.older_events = len(events) > TIMELINE_PER_PAGE
    family.plan_list = list(family.plans.select_related("worker").order_by("-created_at"))
    first = (contacts_page - 1) * CONTACTS_PER_PAGE
    contacts = list(
        family.contacts.filter(in_error_at__isnull=True)
        .select_related("created_by", "venue", "safeguarding_action")
        .order_by("-occurred_at", "-pk")[first : first + CONTACTS_PER_PAGE + 1]
    )
    family.contact_list = contacts[:CONTACTS_PER_PAGE]
    family.contacts_page = contacts_page
    family.older_contacts = len(contacts) > CONTACTS_PER_PAGE
    family.open_assessment = family.assessments.filter(completed_at__isnull=True, in_error_at__isnull=True).first()
    family.upcoming_visits = list(
        family.planned_visits.filter(cancelled_at__isnull=True, starts_at__gte=timezone.now()).select_related("worker")
    )
    family.completed_assessment = (
        family.assessments.filter(completed_at__isnull=False, in_error_at__isnull=True)
        .prefetch_related("needs")
        .order_by("-completed_at")
        .first()
    )
    return family


def worker_caseloads(*, manager) -> QuerySet:
    """The workers a manager can allocate to, with their number of open families."""
    return (
        StaffProfile.objects.filter(
            team__manager=manager, user__is_active=True, user__groups__name=group_name(Role.WORKER)
        )
        .select_related("user", "team")
        .annotate(
            open_families=Coalesce(
                Subquery(
                    Allocation.objects.filter(worker=OuterRef("user_id"), ended_at__isnull=True)
                    .values("worker")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            )
        )
        .order_by("open_families", "user__last_name", "user__first_name")
    )


# Duplicate check ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    family: Family
    person: Person
    matched_on: tuple[str, ...]
    score: int


def _edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment): a swapped pair of letters counts as one typo."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _names_match(a: str, b: str) -> bool:
    if not a or not b:
        return False
    allowed = 0 if min(len(a), len(b)) <= 3 else 1 if min(len(a), len(b)) <= 6 else 2
    return _edit_distance(a, b) <= allowed


def _dates_match(a: date | None, b: date | None) -> bool:
    """Equal, day and month swapped, or one of day, month and year mistyped."""
    if a is None or b is None:
        return False
    if b in _dob_variants(a):
        return True
    return (a.year != b.year) + (a.month != b.month) + (a.day != b.day) == 1


def _dob_variants(value: date | None) -> list[date]:
    if value is None:
        return []
    variants = [value]
    if value.day <= 12 and value.day != value.month:
        variants.append(date(value.year, value.day, value.month))  # always valid: both are 1 to 12
    return variants


def duplicate_candidates(*, people: list[dict], postcode: str, limit: int = 10) -> list[DuplicateCandidate]:
    """Families that may already hold these people: name, date of birth and postcode, typo-tolerant.

    A narrow indexed search first (same date of birth or its day/month swap, same
    postcode, or same surname), then a typo-tolerant comparison of each hit. A
    person matching on at least two of name, date of birth and postcode is a
    candidate.
    """
    postcode = normalise_postcode(postcode)
    compact = postcode.replace(" ", "")
    wanted = [
        {
            "first": name_key(p.get("first_name", "")),
            "last": name_key(p.get("last_name", "")),
            "dob": p.get("date_of_birth") or p.get("expected_date"),
        }
        for p in people
        if p.get("first_name") or p.get("last_name")
    ]
    if not wanted:
        return []
    search = Q(family__postcode=postcode)
    for person in wanted:
        for variant in _dob_variants(person["dob"]):
            search |= Q(date_of_birth=variant) | Q(expected_date=variant)
        if person["last"]:
            search |= Q(last_name_key=person["last"])
    hits = Person.objects.filter(search).select_related("family__base")[:500]

    best: dict[int, DuplicateCandidate] = {}
    for hit in hits:
        hit_postcode = hit.family.postcode.replace(" ", "")
        for person in wanted:
            matched = []
            if _names_match(person["first"], hit.first_name_key) and _names_match(person["last"], hit.last_name_key):
                matched.append("name")
            if _dates_match(person["dob"], hit.date_of_birth or hit.expected_date):
                matched.append("date of birth")
            if compact and (hit_postcode == compact or _edit_distance(hit_postcode, compact) <= 1):
                matched.append("postcode")
            if len(matched) >= 2:
                candidate = DuplicateCandidate(hit.family, hit, tuple(matched), len(matched))
                current = best.get(hit.family_id)
                if current is None or candidate.score > current.score:
                    best[hit.family_id] = candidate
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.family.reference or ""))
    return ranked[:limit]


@dataclass(frozen=True)
class CandidateRow:
    """A possible match as ``user`` may see it: a restricted record they are not named on shows no reference."""

    reference: str | None
    person: str
    matched_on: tuple[str, ...]
    held_by: str
    linkable: bool


RESTRICTED_MATCH = "A record you cannot see matches: ask the team manager"


def duplicate_candidate_rows(*, user, candidates: list[DuplicateCandidate]) -> list[CandidateRow]:
    """The possible-matches table: names for families the user may see; a reference for another base's family
    (to ask its manager about); nothing that identifies a restricted record the user is not named on."""
    visible = set(family_list(user=user).filter(pk__in=[c.family.pk for c in candidates]).values_list("pk", flat=True))
    own_bases = set(managed_base_ids(user))
    rows = []
    for candidate in candidates:
        family = candidate.family
        base = f"{family.base.name} (your base)" if family.base_id in own_bases else family.base.name
        if family.pk in visible:
            rows.append(CandidateRow(family.reference, candidate.person.full_name, candidate.matched_on, base, True))
        elif family.restricted:
            rows.append(CandidateRow(None, RESTRICTED_MATCH, candidate.matched_on, base, False))
        else:
            rows.append(
                CandidateRow(
                    family.reference,
                    "Held by another base",
                    candidate.matched_on,
                    f"{base} — ask their team manager",
                    False,
                )
            )
    return rows


def family_access_log(*, family: Family, limit: int = 50) -> list[AuditEvent]:
    """Who viewed or changed this family, newest first: for its team managers."""
    return list(AuditEvent.objects.filter(family=family).select_related("actor")[:limit])
