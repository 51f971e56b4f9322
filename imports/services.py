"""Importing open cases from a previous provider (the CSV format is in docs/import-format.md).

The whole file is checked first and every problem collected with its line and column. A file with any problem
imports nothing. Otherwise every row is imported in one transaction through the services a person would use:
``family_create``, ``referral_create`` → ``referral_decide`` (accept) → ``referral_allocate``, and for a plan
``plan_create`` (after an assessment marked as carried over, for one-to-one plans). The plan is a draft: the
worker records start scores and submits it for approval as for any plan.

Rows already imported (same previous provider and id) are skipped, so running a file again creates nothing.
A row that may be a family already held (``duplicate_candidates``) is never merged: it goes to an
``ImportReview`` for a team manager of the row's base.
"""

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bases.models import Base, District, Locality
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from families.models import Determinant, Family, Person, SupportPlan
from families.rules import name_key, validate_person_dates
from families.selectors import duplicate_candidates, restriction_filter
from families.services import (
    assessment_complete,
    assessment_start,
    family_create,
    managed_teams,
    plan_create,
)
from families.validators import normalise_postcode, validate_uk_postcode
from referrals.models import Referral, Source, TriageDecision
from referrals.services import referral_allocate, referral_create, referral_decide, referral_record_first_contact

from .models import ImportBatch, ImportedRecord, ImportReview

MAX_CHILDREN = 4
MAX_PARENTS = 2
PERSON_COLUMNS = ("first_name", "last_name", "dob")
REQUIRED_COLUMNS = (
    "previous_provider",
    "previous_id",
    "address_line_1",
    "town",
    "postcode",
    "district",
    "locality",
    "base",
    "referral_received",
    "referral_source",
    "reasons",
    "consent_given",
    "consent_date",
    "safe_contact_only",
    "withheld_address",
    "safeguarding_note",
    "worker_email",
    "plan_kind",
    "plan_goals",
    "parent1_first_name",
    "parent1_last_name",
    "child1_first_name",
    "child1_last_name",
    "child1_dob",
)
OPTIONAL_COLUMNS = (
    "address_line_2",
    "referrer_name",
    "consent_given_by",
    "safe_contact_notes",
    "first_contact_date",
    "assessment_agreed_on",
    *(f"parent{n}_{part}" for n in range(1, MAX_PARENTS + 1) for part in (*PERSON_COLUMNS, "relationship")),
    *(f"child{n}_{part}" for n in range(2, MAX_CHILDREN + 1) for part in PERSON_COLUMNS),
    "unborn1_first_name",
    "unborn1_last_name",
    "unborn1_due_date",
)
KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS) | frozenset(OPTIONAL_COLUMNS)
PLAN_KINDS = {"one_to_one": SupportPlan.Kind.ONE_TO_ONE, "group": SupportPlan.Kind.GROUP, "none": None}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
PROGRESS_EVERY = 50

Progress = Callable[[str, int, int], None]


# The report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        if not self.line:
            return self.message
        where = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class RowOutcome:
    line: int
    previous_provider: str
    previous_id: str
    family_reference: str = ""


@dataclass
class ImportReport:
    rows_total: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: list[RowOutcome] = field(default_factory=list)
    already_imported: list[RowOutcome] = field(default_factory=list)
    for_review: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if self.errors:
            lines = len({error.line for error in self.errors})
            return (
                f"Nothing was imported: {len(self.errors)} problem{'s' if len(self.errors) != 1 else ''} "
                f"on {lines} line{'s' if lines != 1 else ''}. Correct the file and run it again."
            )
        verb = "would be imported" if self.dry_run else "imported"
        return (
            f"{self.rows_total} row{'s' if self.rows_total != 1 else ''} read: {len(self.imported)} {verb}, "
            f"{len(self.already_imported)} already imported, {len(self.for_review)} "
            f"{'would go' if self.dry_run else 'sent'} to a manager for review."
        )

    def lines(self) -> list[str]:
        """The row-by-row report, as printed by the command."""
        out = [str(error) for error in self.errors]
        for outcome in self.imported:
            ref = f" as {outcome.family_reference}" if outcome.family_reference else ""
            out.append(f"line {outcome.line}: {outcome.previous_provider} {outcome.previous_id} imported{ref}")
        for outcome in self.already_imported:
            out.append(f"line {outcome.line}: {outcome.previous_provider} {outcome.previous_id} already imported")
        for outcome in self.for_review:
            out.append(
                f"line {outcome.line}: {outcome.previous_provider} {outcome.previous_id} may be a family already "
                "held: sent to a team manager for review, not imported"
            )
        out.append(self.summary)
        return out


class _Abort(Exception):
    """Raised inside the import transaction to roll every row back."""


# Reading and checking ---------------------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int
    raw: dict
    previous_provider: str
    previous_id: str
    family_fields: dict
    people: list[dict]
    referral_fields: dict
    reasons: list[Determinant]
    worker: object
    team: object
    manager: object
    plan_kind: str | None
    goals: list[Determinant]
    assessment_agreed_on: date | None
    first_contact_date: date | None
    withheld_address: bool
    safeguarding_note: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.previous_provider.casefold(), self.previous_id)

    def family_key(self) -> frozenset:
        """Same children (name and date of birth) at the same postcode: the same family."""
        children = {
            (name_key(p["first_name"]), name_key(p["last_name"]), p.get("date_of_birth") or p.get("expected_date"))
            for p in self.people
            if p["kind"] in (Person.Kind.CHILD, Person.Kind.UNBORN)
        }
        return frozenset(children | {("postcode", self.family_fields["postcode"].replace(" ", ""))})


class _Lookups:
    """Reference data read once per file."""

    def __init__(self, rows: list[dict]):
        self.districts = {}
        for district in District.objects.all():
            self.districts[district.name.casefold()] = district
            self.districts[district.slug.casefold()] = district
        self.localities = {locality.name.casefold(): locality for locality in Locality.objects.all()}
        self.bases = {base.name.casefold(): base for base in Base.objects.select_related("district")}
        self.determinants = {d.code: d for d in Determinant.objects.all()}
        emails = {(row.get("worker_email") or "").strip().casefold() for row in rows} - {""}
        User = get_user_model()
        self.workers = {
            user.email.casefold(): user
            for user in User.objects.filter(email__in=emails).select_related(
                "staff_profile__team__base", "staff_profile__team__manager"
            )
        }


class _RowChecker:
    """Checks one row, collecting every problem with its column."""

    def __init__(self, line: int, row: dict, lookups: _Lookups, today: date):
        self.line, self.row, self.lookups, self.today = line, row, lookups, today
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def cell(self, column: str) -> str | None:
        """The stripped value; None when the file has no such column (already reported once, on line 1)."""
        value = self.row.get(column)
        return None if value is None else value.strip()

    def required(self, column: str, what: str) -> str | None:
        value = self.cell(column)
        if value == "":
            self.error(column, f"Enter {what}")
            return None
        return value

    def yes_no(self, column: str) -> bool | None:
        value = self.cell(column)
        if value is None:
            return None
        if value.casefold() in YES:
            return True
        if value.casefold() in NO:
            return False
        self.error(column, "Enter yes or no")
        return None

    def a_date(self, column: str, what: str, *, required: bool) -> date | None:
        value = self.cell(column)
        if not value:
            if value == "" and required:
                self.error(column, f"Enter {what}")
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time zone
            except ValueError:
                continue
        self.error(column, "Enter a real date, like 2024-03-31 or 31/03/2024")
        return None

    def past_date(self, column: str, what: str, *, required: bool) -> date | None:
        value = self.a_date(column, what, required=required)
        if value and value > self.today:
            self.error(column, f"The {what} must be today or in the past")
            return None
        return value

    def codes(self, column: str) -> list[Determinant] | None:
        value = self.cell(column)
        if value is None:
            return None
        codes = [code.strip() for code in re.split(r"[;,]", value) if code.strip()]
        found = []
        for code in codes:
            determinant = self.lookups.determinants.get(code)
            if determinant is None:
                self.error(column, f"“{code}” is not a determinant code (see docs/import-format.md)")
            elif determinant in found:
                self.error(column, f"“{code}” is given twice")
            else:
                found.append(determinant)
        return found

    def person(self, prefix: str, kind: str, *, relationship: str = "") -> dict | None:
        date_column = f"{prefix}_due_date" if kind == Person.Kind.UNBORN else f"{prefix}_dob"
        parts = [self.cell(f"{prefix}_first_name"), self.cell(f"{prefix}_last_name"), self.cell(date_column)]
        if not any(parts):
            return None
        first, last, _ = parts
        if not first and kind != Person.Kind.UNBORN:
            self.error(f"{prefix}_first_name", "Enter the first name")
        if not last:
            self.error(f"{prefix}_last_name", "Enter the last name")
        for column, value in ((f"{prefix}_first_name", first), (f"{prefix}_last_name", last)):
            if value and len(value) > 100:
                self.error(column, "Names must be 100 characters or fewer")
        what = "the expected date of birth" if kind == Person.Kind.UNBORN else "the date of birth"
        when = self.a_date(date_column, what, required=kind in (Person.Kind.CHILD, Person.Kind.UNBORN))
        person = {
            "kind": kind,
            "first_name": first or ("Baby" if kind == Person.Kind.UNBORN else ""),
            "last_name": last or "",
            "date_of_birth": None if kind == Person.Kind.UNBORN else when,
            "expected_date": when if kind == Person.Kind.UNBORN else None,
            "relationship": relationship,
        }
        if when is not None:
            try:
                validate_person_dates(
                    kind=kind,
                    date_of_birth=person["date_of_birth"],
                    expected_date=person["expected_date"],
                    today=self.today,
                )
            except ValidationError as error:
                for messages in error.message_dict.values():
                    for message in messages:
                        self.error(date_column, message)
        return person

    def check(self) -> ParsedRow | None:
        lookups = self.lookups
        provider = self.required("previous_provider", "the previous provider's name")
        previous_id = self.required("previous_id", "the family's id at the previous provider")
        if provider and len(provider) > 150:
            self.error("previous_provider", "The provider's name must be 150 characters or fewer")
        if previous_id and len(previous_id) > 100:
            self.error("previous_id", "The id must be 100 characters or fewer")

        address_1 = self.required("address_line_1", "the first line of the address")
        town = self.required("town", "the town")
        postcode = self.required("postcode", "the postcode")
        if postcode:
            try:
                validate_uk_postcode(postcode)
            except ValidationError as error:
                self.error("postcode", error.messages[0])
                postcode = None
            else:
                postcode = normalise_postcode(postcode)

        district = locality = base = None
        value = self.required("district", "the district")
        if value:
            district = lookups.districts.get(value.casefold())
            if district is None:
                self.error("district", "Not a Norfolk district: use one of the seven district names")
        value = self.required("locality", "the locality")
        if value:
            locality = lookups.localities.get(value.casefold())
            if locality is None:
                self.error("locality", "Not a known locality: use a market town's name or Other")
            elif district and locality.district_id not in (None, district.pk):
                self.error("locality", f"{locality} is not in {district}")
        value = self.required("base", "the base")
        if value:
            base = lookups.bases.get(value.casefold())
            if base is None:
                self.error("base", "Not one of the service's bases")
            elif district and base.district_id != district.pk:
                self.error("base", f"{base} is not in {district}")

        received = self.past_date("referral_received", "date the referral was received", required=True)
        source = self.required("referral_source", "the referral source")
        if source and source not in Source.values:
            self.error("referral_source", f"Use one of: {', '.join(Source.values)}")
            source = None
        reasons = self.codes("reasons")
        if reasons == [] and self.cell("reasons") == "":
            self.error("reasons", "Enter at least one reason (determinant codes separated by semicolons)")

        consent = self.yes_no("consent_given")
        consent_date = self.past_date("consent_date", "consent date", required=bool(consent))
        if consent is False and consent_date:
            self.error("consent_date", "Leave the consent date blank when consent was not given")
        safe_contact = self.yes_no("safe_contact_only")
        withheld = self.yes_no("withheld_address")
        first_contact = self.past_date("first_contact_date", "first contact date", required=False)
        if first_contact and received and first_contact < received:
            self.error("first_contact_date", "The first contact cannot be before the referral was received")

        worker = team = manager = None
        email = self.required("worker_email", "the current worker's email address")
        if email:
            worker = lookups.workers.get(email.casefold())
            profile = getattr(worker, "staff_profile", None) if worker else None
            if worker is None or not worker.is_active or not has_role(worker, Role.WORKER):
                self.error("worker_email", "No active family support worker has this email address")
                worker = None
            elif profile is None or profile.team is None or (base and profile.team.base_id != base.pk):
                self.error("worker_email", f"This worker is not in a team at {base or 'the base'}")
                worker = None
            else:
                team = profile.team
                manager = team.manager
                if manager is None or not manager.is_active or not has_role(manager, Role.MANAGER):
                    self.error("worker_email", f"{team} has no team manager to allocate the family")
                    worker = None

        plan_kind = None
        value = self.required("plan_kind", "the plan kind (one_to_one, group or none)")
        if value:
            if value not in PLAN_KINDS:
                self.error("plan_kind", "Use one_to_one, group or none")
            plan_kind = PLAN_KINDS.get(value)
        goals = self.codes("plan_goals") or []
        if plan_kind and not goals and self.cell("plan_goals") == "":
            self.error("plan_goals", "Enter the plan's goals (determinant codes separated by semicolons)")
        if value == "none" and goals:
            self.error("plan_goals", "Leave the goals blank when there is no plan")
        agreed_on = self.past_date(
            "assessment_agreed_on", "date the assessment was agreed", required=plan_kind == SupportPlan.Kind.ONE_TO_ONE
        )
        if plan_kind == SupportPlan.Kind.ONE_TO_ONE and self.cell("assessment_agreed_on") is None:
            self.error(
                "assessment_agreed_on", "A one-to-one plan needs this column: the date the assessment was agreed"
            )

        people = []
        for n in range(1, MAX_PARENTS + 1):
            relationship = self.cell(f"parent{n}_relationship") or ""
            if relationship and relationship not in Person.Relationship.values:
                self.error(f"parent{n}_relationship", f"Use one of: {', '.join(Person.Relationship.values)}")
                relationship = ""
            parent = self.person(f"parent{n}", Person.Kind.PARENT_CARER, relationship=relationship)
            if parent:
                people.append(parent)
            elif n == 1 and self.cell("parent1_first_name") is not None:
                self.error("parent1_first_name", "Enter at least one parent or carer")
        for n in range(1, MAX_CHILDREN + 1):
            child = self.person(f"child{n}", Person.Kind.CHILD, relationship=Person.Relationship.SUBJECT_CHILD)
            if child:
                people.append(child)
        unborn = self.person("unborn1", Person.Kind.UNBORN, relationship=Person.Relationship.SUBJECT_CHILD)
        if unborn:
            people.append(unborn)
        if not any(p["kind"] in (Person.Kind.CHILD, Person.Kind.UNBORN) for p in people):
            self.error("child1_first_name", "Name at least one child aged 0 to 5 or an unborn child")

        if self.errors or None in (provider, previous_id, address_1, town, postcode, district, locality, base):
            return None
        if None in (received, source, reasons, consent, safe_contact, withheld, worker):
            return None

        note = self.cell("safeguarding_note") or ""
        details = [f"Open case transferred from {provider} (their id {previous_id})."]
        if note:
            details.append(f"Safeguarding information from {provider}: {note}")
        return ParsedRow(
            line=self.line,
            raw=dict(self.row),
            previous_provider=provider,
            previous_id=previous_id,
            family_fields={
                "address_line_1": address_1,
                "address_line_2": self.cell("address_line_2") or "",
                "town": town,
                "postcode": postcode,
                "district": district,
                "locality": locality,
                "base": base,
                "consent_given": consent,
                "consent_date": consent_date if consent else None,
                "consent_given_by": (self.cell("consent_given_by") or f"Recorded by {provider}") if consent else "",
                "consent_scope": Family.ConsentScope.HOLD_AND_SHARE if consent else "",
            },
            people=people,
            referral_fields={
                "received_at": timezone.make_aware(datetime.combine(received, time.min)),
                "received_via": Referral.ReceivedVia.PARTNER_SYSTEM,
                "source": source,
                "referrer_name": (self.cell("referrer_name") or provider)[:150],
                "referrer_agency": provider,
                "reason_details": "\n\n".join(details),
                "consent_obtained": consent,
                "safe_contact_only": safe_contact,
                "safe_contact_notes": self.cell("safe_contact_notes") or "",
                "address_line_1": address_1,
                "address_line_2": self.cell("address_line_2") or "",
                "town": town,
                "postcode": postcode,
                "district": district,
                "locality": locality,
            },
            reasons=reasons,
            worker=worker,
            team=team,
            manager=manager,
            plan_kind=plan_kind,
            goals=goals,
            assessment_agreed_on=agreed_on,
            first_contact_date=first_contact,
            withheld_address=withheld,
            safeguarding_note=note,
        )


def _read_csv(data: bytes, report: ImportReport) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and (line, row) pairs; problems with the header or the shape of a line go in the report."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(RowError(1, "", "The file is not UTF-8 text: save it as “CSV UTF-8” and try again"))
        return [], []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        report.errors.append(RowError(1, "", "The file is empty"))
        return [], []
    except csv.Error as error:
        report.errors.append(RowError(1, "", f"The file is not readable as CSV ({error})"))
        return [], []
    seen = set()
    for name in header:
        if name in seen:
            report.errors.append(RowError(1, name, "This column appears twice"))
        elif name and name not in KNOWN_COLUMNS:
            report.errors.append(RowError(1, name, "Unknown column (see docs/import-format.md)"))
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            report.errors.append(RowError(1, name, "This column is missing"))

    rows = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.errors.append(RowError(line, "", f"This line is not readable as CSV ({error})"))
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            report.errors.append(RowError(line, "", "This line has more cells than the header has columns"))
            continue
        rows.append((line, {name: value for name, value in zip(header, cells, strict=False) if name in KNOWN_COLUMNS}))
    if not rows and not report.errors:
        report.errors.append(RowError(2, "", "The file has a header but no rows"))
    return header, rows


def _check_file(data: bytes, report: ImportReport, progress: Progress | None) -> list[ParsedRow]:
    _, rows = _read_csv(data, report)
    report.rows_total = len(rows)
    lookups = _Lookups([row for _, row in rows])
    today = timezone.localdate()
    parsed: list[ParsedRow] = []
    for done, (line, row) in enumerate(rows, start=1):
        checker = _RowChecker(line, row, lookups, today)
        result = checker.check()
        report.errors.extend(checker.errors)
        if result:
            parsed.append(result)
        if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress("Checking", done, len(rows))

    # A family twice in the file: the same previous id, or the same children at the same postcode.
    first_by_id: dict[tuple, int] = {}
    first_by_family: dict[frozenset, int] = {}
    for row in parsed:
        if row.key in first_by_id:
            report.errors.append(RowError(row.line, "previous_id", f"The same family as line {first_by_id[row.key]}"))
            continue
        first_by_id[row.key] = row.line
        family_key = row.family_key()
        if family_key in first_by_family:
            report.errors.append(
                RowError(
                    row.line,
                    "child1_first_name",
                    f"The same family as line {first_by_family[family_key]} (same children and postcode)",
                )
            )
            continue
        first_by_family[family_key] = row.line
    report.errors.sort(key=lambda error: (error.line, error.column))
    return parsed


# Importing --------------------------------------------------------------------------------------


def _import_row(row: ParsedRow, *, batch: ImportBatch, actor, matched_candidates: bool = False) -> ImportedRecord:
    """One family, referral, allocation and plan, through the services (inside the caller's transaction)."""
    people = [dict(person) for person in row.people]
    family = family_create(actor=actor, people=people, address_withheld=row.withheld_address, **row.family_fields)
    referral = referral_create(
        actor=actor,
        people=[{k: v for k, v in person.items() if k != "relationship"} for person in people],
        reasons=row.reasons,
        routed_team=row.team,
        **row.referral_fields,
    )
    referral_decide(
        referral=referral,
        decision=TriageDecision.Decision.ACCEPT,
        reason=TriageDecision.Reason.MEETS_THRESHOLD,
        notes=f"Open case transferred from {row.previous_provider} (their id {row.previous_id}).",
        actor=row.manager,
        family=family,
    )
    referral_allocate(referral=referral, worker=row.worker, actor=row.manager)
    if row.first_contact_date:
        referral_record_first_contact(
            referral=referral,
            when=timezone.make_aware(datetime.combine(row.first_contact_date, time.min)),
            actor=actor,
        )
    plan = None
    if row.plan_kind:
        if row.plan_kind == SupportPlan.Kind.ONE_TO_ONE:
            assessment = assessment_start(family=family, actor=row.worker)
            assessment_complete(
                assessment=assessment,
                needs=row.goals,
                strengths=f"Assessment carried over from {row.previous_provider} (their id {row.previous_id}): "
                "their records hold the detail.",
                family_view="",
                child_voice="",
                agreed_on=row.assessment_agreed_on,
                actor=row.worker,
            )
        plan = plan_create(
            family=family,
            kind=row.plan_kind,
            goals=[
                (d, f"Carried over from {row.previous_provider}: agree the wording with the family.") for d in row.goals
            ],
            actor=row.worker,
        )
    record = ImportedRecord.objects.create(
        previous_provider=row.previous_provider,
        previous_id=row.previous_id,
        batch=batch,
        line_number=row.line,
        family=family,
        referral=referral,
        plan=plan,
        withheld_address=row.withheld_address,
        safeguarding_note=row.safeguarding_note,
    )
    audit_record(
        actor=actor,
        action="family.imported",
        obj=family,
        family=family,
        summary=f"Imported from {row.previous_provider} (their id {row.previous_id})",
        changes={
            "previous_provider": row.previous_provider,
            "previous_id": row.previous_id,
            "batch": str(batch.uuid),
            "withheld_address": row.withheld_address,
            "safeguarding_note": bool(row.safeguarding_note),
            "after_review": matched_candidates,
        },
    )
    return record


def _service_error(row: ParsedRow, error: Exception) -> list[RowError]:
    if isinstance(error, ApplicationError):
        return [RowError(row.line, "", error.message)]
    if hasattr(error, "error_dict"):
        return [
            RowError(row.line, "" if name == "__all__" else name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(row.line, "", message) for message in error.messages]


def _existing_keys(parsed: list[ParsedRow], model) -> set[tuple[str, str]]:
    ids = {row.previous_id for row in parsed}
    return {
        (provider.casefold(), previous_id)
        for provider, previous_id in model.objects.filter(previous_id__in=ids).values_list(
            "previous_provider", "previous_id"
        )
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse(report: ImportReport, *, data: bytes, file_name: str, actor, channel: str) -> ImportReport:
    if not report.dry_run:
        report.batch = ImportBatch.objects.create(
            file_name=file_name[:255],
            file_sha256=_sha256(data),
            channel=channel,
            status=ImportBatch.Status.REFUSED,
            rows_total=report.rows_total,
            errors=[error.as_dict() for error in report.errors],
            created_by=actor,
        )
    report.imported, report.already_imported, report.for_review = [], [], []
    return report


def open_cases_import(
    *,
    data: bytes,
    file_name: str,
    actor,
    channel: str = ImportBatch.Channel.COMMAND,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the whole file, then import every new row in one transaction, or nothing when any row is wrong."""
    if not has_role(actor, Role.ADMIN) or not actor.is_active:
        raise ApplicationError("Only a service admin can import open cases.")
    report = ImportReport(dry_run=dry_run)
    parsed = _check_file(data, report, progress)
    if report.errors:
        return _refuse(report, data=data, file_name=file_name, actor=actor, channel=channel)

    try:
        with transaction.atomic():
            imported_keys = _existing_keys(parsed, ImportedRecord)
            reviewed_keys = _existing_keys(parsed, ImportReview)
            batch = ImportBatch.objects.create(
                file_name=file_name[:255],
                file_sha256=_sha256(data),
                channel=channel,
                status=ImportBatch.Status.IMPORTED,
                rows_total=report.rows_total,
                created_by=actor,
            )
            for done, row in enumerate(parsed, start=1):
                outcome = RowOutcome(row.line, row.previous_provider, row.previous_id)
                if row.key in imported_keys or row.key in reviewed_keys:
                    report.already_imported.append(outcome)
                elif candidates := duplicate_candidates(people=row.people, postcode=row.family_fields["postcode"]):
                    _review_create(row, batch=batch, candidates=candidates)
                    report.for_review.append(outcome)
                else:
                    try:
                        record = _import_row(row, batch=batch, actor=actor)
                    except (ApplicationError, ValidationError) as error:
                        report.errors.extend(_service_error(row, error))
                        raise _Abort from error
                    report.imported.append(
                        RowOutcome(row.line, row.previous_provider, row.previous_id, record.family.reference)
                    )
                if progress and (done % PROGRESS_EVERY == 0 or done == len(parsed)):
                    progress("Importing", done, len(parsed))
            batch.rows_imported = len(report.imported)
            batch.rows_already_imported = len(report.already_imported)
            batch.rows_for_review = len(report.for_review)
            batch.save(update_fields=["rows_imported", "rows_already_imported", "rows_for_review"])
            audit_record(
                actor=actor,
                action="import.batch",
                obj=batch,
                summary=f"{file_name[:120]}: {batch.rows_imported} imported, {batch.rows_for_review} for review",
                changes={
                    "rows": batch.rows_total,
                    "imported": batch.rows_imported,
                    "already_imported": batch.rows_already_imported,
                    "for_review": batch.rows_for_review,
                },
            )
            if dry_run:
                raise _Abort
    except _Abort:
        if report.errors:
            return _refuse(report, data=data, file_name=file_name, actor=actor, channel=channel)
        # A dry run: everything rolled back on purpose, so no family reference exists.
        report.imported = [RowOutcome(o.line, o.previous_provider, o.previous_id) for o in report.imported]
        return report
    except IntegrityError:
        report.errors.append(
            RowError(0, "", "Another import of these records ran at the same time: nothing was imported, run it again")
        )
        return _refuse(report, data=data, file_name=file_name, actor=actor, channel=channel)
    report.batch = batch
    return report


# Reviews ----------------------------------------------------------------------------------------


def _review_create(row: ParsedRow, *, batch: ImportBatch, candidates) -> ImportReview:
    review = ImportReview.objects.create(
        previous_provider=row.previous_provider,
        previous_id=row.previous_id,
        batch=batch,
        line_number=row.line,
        base=row.family_fields["base"],
        row=row.raw,
        matched_on={c.family.reference: list(c.matched_on) for c in candidates},
    )
    review.candidates.set([c.family for c in candidates])
    audit_record(
        actor=batch.created_by,
        action="import.review_created",
        obj=review,
        summary=f"{row.previous_provider} {row.previous_id} may be a family already held: waiting for a manager",
    )
    return review


def can_decide_review(user, review: ImportReview) -> bool:
    return has_role(user, Role.MANAGER) and managed_teams(user).filter(base_id=review.base_id).exists()


@transaction.atomic
def import_review_decide(
    *, review: ImportReview, decision: str, notes: str, actor, family: Family | None = None
) -> ImportedRecord:
    """A team manager of the row's base decides: a new family (imported now) or one already held (linked to
    the previous provider's id; nothing in that family is changed)."""
    review = ImportReview.objects.select_for_update().select_related("batch", "base").get(pk=review.pk)
    if not can_decide_review(actor, review):
        raise ApplicationError("Only a team manager of the family's base can decide on this row.")
    if not review.is_pending:
        raise ApplicationError("This row has already been decided.")
    if not notes.strip():
        raise ValidationError({"notes": "Explain the decision"})
    if ImportedRecord.objects.filter(
        previous_provider=review.previous_provider, previous_id=review.previous_id
    ).exists():
        raise ApplicationError("This record has already been imported.")
    now = timezone.now()
    if decision == ImportReview.Status.SAME_FAMILY:
        if family is None or not review.candidates.filter(restriction_filter(actor), pk=family.pk).exists():
            raise ValidationError({"family": "Choose the family this row is"})
        checker = _RowChecker(review.line_number, review.row, _Lookups([review.row]), timezone.localdate())
        row = checker.check()
        record = ImportedRecord.objects.create(
            previous_provider=review.previous_provider,
            previous_id=review.previous_id,
            batch=review.batch,
            line_number=review.line_number,
            family=family,
            withheld_address=bool(row and row.withheld_address),
            safeguarding_note=row.safeguarding_note if row else (review.row.get("safeguarding_note") or ""),
            matched_existing=True,
        )
        if record.withheld_address and not family.address_withheld:
            Family.objects.filter(pk=family.pk).update(address_withheld=True)
        audit_record(
            actor=actor,
            action="family.import_matched",
            obj=family,
            family=family,
            summary=f"{review.previous_provider}'s record {review.previous_id} is this family: nothing merged",
            changes={"previous_provider": review.previous_provider, "previous_id": review.previous_id},
        )
    elif decision == ImportReview.Status.IMPORTED_AS_NEW:
        checker = _RowChecker(review.line_number, review.row, _Lookups([review.row]), timezone.localdate())
        row = checker.check()
        if row is None:
            raise ApplicationError(
                "The row can no longer be imported: " + "; ".join(str(error) for error in checker.errors)
            )
        record = _import_row(row, batch=review.batch, actor=actor, matched_candidates=True)
    else:
        raise ValidationError({"decision": "Choose what this row is"})
    review.status = decision
    review.decided_by = actor
    review.decided_at = now
    review.decision_notes = notes.strip()
    review.save(update_fields=["status", "decided_by", "decided_at", "decision_notes"])
    audit_record(
        actor=actor,
        action="import.review_decided",
        obj=review,
        family=record.family,
        summary=f"{review.previous_provider} {review.previous_id}: {review.get_status_display().lower()}",
        changes={"decision": decision},
    )
    return record
