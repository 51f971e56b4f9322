"""Pseudonymised extracts for analysis or data sharing (one CSV row per person).

Nothing that identifies a person directly leaves in the file: no names, addresses, exact dates of birth,
free text, case references, uuids or email addresses. Families and people are keyed by a salted HMAC of
their uuid, so extracts made with the same salt link up and extracts made with different salts do not.
See docs/extracts.md.
"""

import csv
import hashlib
import hmac
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Min, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ecfs.errors import ApplicationError
from referrals.models import Referral

from .models import Determinant, Family, OutcomeAssessment, Person, SupportPlan

MIN_SALT_LENGTH = 16
PSEUDO_ID_LENGTH = 16
CHUNK_SIZE = 2000

HOUSEHOLD_FIELDS = (
    "lone_parent",
    "teenage_parent",
    "parent_no_qualifications",
    "low_income",
    "english_additional_language",
    "interpreter_needed",
    "ethnicity",
    "disability_in_household",
    "send_in_household",
)

BASE_COLUMNS = (
    "pseudo_family_id",
    "pseudo_person_id",
    "kind",
    "birth_month",
    "district",
    "locality",
    "postcode_outward",
    "base",
    *HOUSEHOLD_FIELDS,
    "referral_count",
    "first_referral_month",
    "plan_count",
    "latest_plan_status",
    "latest_plan_closure_reason",
)


@dataclass(frozen=True)
class ExtractResult:
    rows: int
    families: int
    columns: tuple[str, ...]


def salt_check(salt: str | None) -> str:
    if not salt:
        raise ApplicationError("No salt: set the salt in the environment variable before running the extract.")
    if len(salt) < MIN_SALT_LENGTH:
        raise ApplicationError(f"The salt is too short: it needs at least {MIN_SALT_LENGTH} characters.")
    return salt


def pseudonym(salt: str, value) -> str:
    """HMAC-SHA256 of the value under the salt, hex, truncated to 16 characters."""
    digest = hmac.new(salt.encode(), str(value).encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDO_ID_LENGTH]


def postcode_outward(postcode: str) -> str:
    """The outward code only: "NR30" from "NR30 1AB" (the inward code is always the last three characters)."""
    compact = "".join((postcode or "").split()).upper()
    return compact[:-3] if len(compact) > 3 else ""


def month_of(value) -> str:
    return f"{value:%Y-%m}" if value else ""


def birth_month(person: Person) -> str:
    if person.kind == Person.Kind.UNBORN:
        return month_of(person.expected_date)
    return month_of(person.date_of_birth)


def score_columns(determinants) -> tuple[str, ...]:
    return tuple(f"{stage}_score_{d.code}" for d in determinants for stage in ("start", "latest"))


def _families():
    referral_count = (
        Referral.objects.filter(family=OuterRef("pk")).order_by().values("family").annotate(n=Count("pk")).values("n")
    )
    first_referral = (
        Referral.objects.filter(family=OuterRef("pk")).order_by().values("family").annotate(m=Min("received_at"))
    )
    plan_count = SupportPlan.objects.filter(family=OuterRef("pk")).order_by().values("family").annotate(n=Count("pk"))
    assessments = (
        OutcomeAssessment.objects.filter(in_error_at__isnull=True)
        .only("plan_id", "stage", "assessed_on")
        .prefetch_related("scores")
    )
    plans = (
        SupportPlan.objects.only("family_id", "status", "closure_reason", "created_at")
        .order_by("-created_at", "-pk")
        .prefetch_related(Prefetch("outcome_assessments", queryset=assessments))
    )
    people = Person.objects.only("family_id", "uuid", "kind", "date_of_birth", "expected_date").order_by("pk")
    return (
        Family.objects.select_related("district", "locality", "base")
        .only(
            "uuid",
            "postcode",
            "address_withheld",
            "district__name",
            "locality__name",
            "base__name",
            *HOUSEHOLD_FIELDS,
        )
        .annotate(
            referral_count=Coalesce(Subquery(referral_count, output_field=IntegerField()), 0),
            first_referral_at=Subquery(first_referral.values("m")[:1]),
            plan_count=Coalesce(Subquery(plan_count.values("n")[:1], output_field=IntegerField()), 0),
        )
        .prefetch_related(
            Prefetch("members", queryset=people),
            Prefetch("plans", queryset=plans),
        )
        .order_by("pk")
    )


def _scores(plan: SupportPlan | None, determinants) -> dict:
    """Start and latest scores of the latest plan, by determinant (blank where not scored)."""
    if plan is None:
        return {}
    assessments = sorted(plan.outcome_assessments.all(), key=lambda a: (a.assessed_on, a.pk))
    start = next((a for a in assessments if a.stage == OutcomeAssessment.Stage.START), None)
    latest = assessments[-1] if assessments else None
    row = {}
    for stage, assessment in (("start", start), ("latest", latest)):
        by_determinant = {s.determinant_id: s.score for s in assessment.scores.all()} if assessment else {}
        for determinant in determinants:
            row[f"{stage}_score_{determinant.code}"] = by_determinant.get(determinant.pk, "")
    return row


def pseudonymised_extract(*, out, salt: str) -> ExtractResult:
    """Write the extract as CSV to the text stream `out`; one row per person in every family."""
    salt = salt_check(salt)
    determinants = list(Determinant.objects.order_by("position"))
    columns = BASE_COLUMNS + score_columns(determinants)
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    rows = families = 0
    for family in _families().iterator(chunk_size=CHUNK_SIZE):
        families += 1
        plans = list(family.plans.all())
        latest_plan = plans[0] if plans else None
        first_referral = timezone.localtime(family.first_referral_at) if family.first_referral_at else None
        family_row = {
            "pseudo_family_id": pseudonym(salt, family.uuid),
            "district": family.district.name,
            "locality": family.locality.name,
            # Even the outward code narrows a withheld address down to a few streets: leave it out.
            "postcode_outward": "" if family.address_withheld else postcode_outward(family.postcode),
            "base": family.base.name,
            **{field: getattr(family, field) for field in HOUSEHOLD_FIELDS},
            "referral_count": family.referral_count,
            "first_referral_month": month_of(first_referral),
            "plan_count": family.plan_count,
            "latest_plan_status": latest_plan.status if latest_plan else "",
            "latest_plan_closure_reason": latest_plan.closure_reason if latest_plan else "",
            **_scores(latest_plan, determinants),
        }
        for person in family.members.all():
            writer.writerow(
                {
                    **family_row,
                    "pseudo_person_id": pseudonym(salt, person.uuid),
                    "kind": person.kind,
                    "birth_month": birth_month(person),
                }
            )
            rows += 1
    return ExtractResult(rows=rows, families=families, columns=columns)
