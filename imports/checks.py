"""Checking an import file's rows (docs/import-format.md): every problem is collected with its line and column, and
a row without problems becomes a ``ParsedRow`` holding what the services need. One method per rule, named for it."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from bases.models import Base, District, Locality
from ecfs.roles import Role, has_role
from families.models import Determinant, Family, Person, SupportPlan
from families.rules import (
    earliest_history,
    name_key,
    too_old_for_history,
    validate_early_education,
    validate_event_date,
    validate_household_ages,
    validate_person_dates,
)
from families.validators import normalise_postcode, validate_uk_postcode
from referrals.models import Referral, Source

from .parsing import EARLY_EDUCATION_COLUMNS, MAX_CHILDREN, MAX_PARENTS, read_csv
from .report import ImportReport, Progress, RowError, report_progress

PLAN_KINDS = {"one_to_one": SupportPlan.Kind.ONE_TO_ONE, "group": SupportPlan.Kind.GROUP, "none": None}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
SUBJECT_KINDS = (Person.Kind.CHILD, Person.Kind.UNBORN)
# The person's fields the early education columns fill (the referral does not hold them).
EARLY_EDUCATION_FIELDS = dict(
    zip(
        ("funded_education_eligible", "funded_education_started_on", "funded_education_setting"),
        EARLY_EDUCATION_COLUMNS,
        strict=True,
    )
)


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
            if p["kind"] in SUBJECT_KINDS
        }
        return frozenset(children | {("postcode", self.family_fields["postcode"].replace(" ", ""))})


class Lookups:
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


def _active_with_role(user, role: str) -> bool:
    return user is not None and user.is_active and has_role(user, role)


class RowChecker:
    """Checks one row, collecting every problem with its column.

    ``check`` runs every rule in a fixed order (a row's problems keep that order, which a manager's review
    shows); each rule reports its own problems and returns the checked value, or None when it is missing or
    wrong. A row with any problem gives None."""

    def __init__(self, line: int, row: dict, lookups: Lookups, today: date):
        self.line, self.row, self.lookups, self.today = line, row, lookups, today
        self.errors: list[RowError] = []
        self.household: list[SimpleNamespace] = []  # the row's people so far, for the parents' and children's ages

    def check(self) -> ParsedRow | None:
        provider, previous_id = self.previous_record()
        address_1, town, postcode = self.address_line_1(), self.town(), self.postcode()
        district = self.district()
        locality, base = self.locality(district), self.base(district)
        received, source, reasons = self.referral_received(), self.referral_source(), self.reasons()
        consent = self.yes_no("consent_given")
        consent_date = self.consent_date(consent)
        safe_contact, withheld = self.yes_no("safe_contact_only"), self.yes_no("withheld_address")
        first_contact = self.first_contact_date(received)
        worker, team, manager = self.worker_and_team(base)
        plan_kind = self.plan_kind()
        goals = self.plan_goals(plan_kind)
        agreed_on = self.assessment_agreed_on(plan_kind, received)
        people = self.people()
        self.optional_text()

        if self.errors or None in (provider, previous_id, address_1, town, postcode, district, locality, base):
            return None
        if None in (received, source, reasons, consent, safe_contact, withheld, worker):
            return None
        note = self.cell("safeguarding_note") or ""
        return ParsedRow(
            line=self.line,
            raw=dict(self.row),
            previous_provider=provider,
            previous_id=previous_id,
            family_fields={
                **self.address_fields(address_1, town, postcode, district, locality),
                "base": base,
                **self.consent_fields(consent, consent_date, provider),
            },
            people=people,
            referral_fields={
                "received_at": timezone.make_aware(datetime.combine(received, time.min)),
                "received_via": Referral.ReceivedVia.PARTNER_SYSTEM,
                "source": source,
                "referrer_name": (self.cell("referrer_name") or provider)[:150],
                "referrer_agency": provider,
                "reason_details": self.reason_details(provider, previous_id, note),
                "consent_obtained": consent,
                "safe_contact_only": safe_contact,
                "safe_contact_notes": self.cell("safe_contact_notes") or "",
                **self.address_fields(address_1, town, postcode, district, locality),
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

    # Reading and reporting cells ---------------------------------------------------------------

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

    def at_most(self, column: str, value: str | None, limit: int, message: str) -> None:
        if value and len(value) > limit:
            self.error(column, message)

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
        if value and value < earliest_history(self.today):
            self.error(column, too_old_for_history(f"The {what}"))
            return None
        return value

    def codes(self, column: str) -> list[Determinant] | None:
        """Determinant codes separated by semicolons or commas, each known and given once."""
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

    # The previous provider's record ------------------------------------------------------------

    def previous_record(self) -> tuple[str | None, str | None]:
        """The previous provider's name and the family's id there: together they identify the row for good."""
        provider = self.required("previous_provider", "the previous provider's name")
        previous_id = self.required("previous_id", "the family's id at the previous provider")
        self.at_most("previous_provider", provider, 150, "The provider's name must be 150 characters or fewer")
        self.at_most("previous_id", previous_id, 100, "The id must be 100 characters or fewer")
        return provider, previous_id

    # Address and place -------------------------------------------------------------------------

    def address_line_1(self) -> str | None:
        value = self.required("address_line_1", "the first line of the address")
        self.at_most("address_line_1", value, 200, "Address lines must be 200 characters or fewer")
        return value

    def town(self) -> str | None:
        value = self.required("town", "the town")
        self.at_most("town", value, 100, "The town must be 100 characters or fewer")
        return value

    def optional_text(self) -> None:
        """Optional cells the database holds with a limit: a longer one is an error here, not a failed import."""
        self.at_most(
            "address_line_2", self.cell("address_line_2"), 200, "Address lines must be 200 characters or fewer"
        )
        self.at_most(
            "consent_given_by", self.cell("consent_given_by"), 150, "Who gave consent must be 150 characters or fewer"
        )

    def postcode(self) -> str | None:
        """A real UK postcode, normalised (upper case, one space)."""
        value = self.required("postcode", "the postcode")
        if not value:
            return value
        try:
            validate_uk_postcode(value)
        except ValidationError as error:
            self.error("postcode", error.messages[0])
            return None
        return normalise_postcode(value)

    def district(self) -> District | None:
        """One of the county's districts, by name or slug."""
        value = self.required("district", "the district")
        if not value:
            return None
        district = self.lookups.districts.get(value.casefold())
        if district is None:
            self.error("district", "Not a Norfolk district: use one of the seven district names")
        return district

    def locality(self, district: District | None) -> Locality | None:
        """A known locality, in the row's district when it belongs to one."""
        value = self.required("locality", "the locality")
        if not value:
            return None
        locality = self.lookups.localities.get(value.casefold())
        if locality is None:
            self.error("locality", "Not a known locality: use a market town's name or Other")
        elif district and locality.district_id not in (None, district.pk):
            self.error("locality", f"{locality} is not in {district}")
        return locality

    def base(self, district: District | None) -> Base | None:
        """One of the service's bases, in the row's district."""
        value = self.required("base", "the base")
        if not value:
            return None
        base = self.lookups.bases.get(value.casefold())
        if base is None:
            self.error("base", "Not one of the service's bases")
        elif district and base.district_id != district.pk:
            self.error("base", f"{base} is not in {district}")
        return base

    def address_fields(self, address_1, town, postcode, district, locality) -> dict:
        """The address as both the family and the referral hold it."""
        return {
            "address_line_1": address_1,
            "address_line_2": self.cell("address_line_2") or "",
            "town": town,
            "postcode": postcode,
            "district": district,
            "locality": locality,
        }

    # The referral ------------------------------------------------------------------------------

    def referral_received(self) -> date | None:
        return self.past_date("referral_received", "date the referral was received", required=True)

    def referral_source(self) -> str | None:
        value = self.required("referral_source", "the referral source")
        if value and value not in Source.values:
            self.error("referral_source", f"Use one of: {', '.join(Source.values)}")
            return None
        return value

    def reasons(self) -> list[Determinant] | None:
        """At least one determinant code."""
        reasons = self.codes("reasons")
        if reasons == [] and self.cell("reasons") == "":
            self.error("reasons", "Enter at least one reason (determinant codes separated by semicolons)")
        return reasons

    @staticmethod
    def reason_details(provider: str, previous_id: str, note: str) -> str:
        details = [f"Open case transferred from {provider} (their id {previous_id})."]
        if note:
            details.append(f"Safeguarding information from {provider}: {note}")
        return "\n\n".join(details)

    # Consent and contact -----------------------------------------------------------------------

    def consent_date(self, consent: bool | None) -> date | None:
        """Required when consent was given; blank when it was not."""
        consent_date = self.past_date("consent_date", "consent date", required=bool(consent))
        if consent is False and consent_date:
            self.error("consent_date", "Leave the consent date blank when consent was not given")
        return consent_date

    def consent_fields(self, consent: bool, consent_date: date | None, provider: str) -> dict:
        if not consent:
            return {"consent_given": consent, "consent_date": None, "consent_given_by": "", "consent_scope": ""}
        return {
            "consent_given": consent,
            "consent_date": consent_date,
            "consent_given_by": self.cell("consent_given_by") or f"Recorded by {provider}",
            "consent_scope": Family.ConsentScope.HOLD_AND_SHARE,
        }

    def first_contact_date(self, received: date | None) -> date | None:
        """Optional; not before the referral was received."""
        first_contact = self.past_date("first_contact_date", "first contact date", required=False)
        if first_contact and received and first_contact < received:
            self.error("first_contact_date", "The first contact cannot be before the referral was received")
        return first_contact

    # The worker --------------------------------------------------------------------------------

    def worker_and_team(self, base: Base | None) -> tuple:
        """An active family support worker in a team at the row's base, whose team has an active manager (who
        allocates the family): (worker, team, manager), with worker None when any of that fails."""
        email = self.required("worker_email", "the current worker's email address")
        if not email:
            return None, None, None
        worker = self.lookups.workers.get(email.casefold())
        if not _active_with_role(worker, Role.WORKER):
            self.error("worker_email", "No active family support worker has this email address")
            return None, None, None
        profile = getattr(worker, "staff_profile", None)
        if profile is None or profile.team is None or (base and profile.team.base_id != base.pk):
            self.error("worker_email", f"This worker is not in a team at {base or 'the base'}")
            return None, None, None
        team = profile.team
        if not _active_with_role(team.manager, Role.MANAGER):
            self.error("worker_email", f"{team} has no team manager to allocate the family")
            return None, team, team.manager
        return worker, team, team.manager

    # The plan ----------------------------------------------------------------------------------

    def plan_kind(self) -> str | None:
        """one_to_one, group or none (no plan: None)."""
        value = self.required("plan_kind", "the plan kind (one_to_one, group or none)")
        if value and value not in PLAN_KINDS:
            self.error("plan_kind", "Use one_to_one, group or none")
        return PLAN_KINDS.get(value) if value else None

    def plan_goals(self, plan_kind: str | None) -> list[Determinant]:
        """Determinant codes: required for a plan, blank when there is none."""
        goals = self.codes("plan_goals") or []
        if plan_kind and not goals and self.cell("plan_goals") == "":
            self.error("plan_goals", "Enter the plan's goals (determinant codes separated by semicolons)")
        if self.cell("plan_kind") == "none" and goals:
            self.error("plan_goals", "Leave the goals blank when there is no plan")
        return goals

    def assessment_agreed_on(self, plan_kind: str | None, received: date | None) -> date | None:
        """A one-to-one plan follows an assessment: the column and a past date are required for one. The same
        date rules as the assessment page (``families.rules.validate_event_date``): not after today, not before
        the referral; as the previous provider's history it may be older than the service."""
        one_to_one = plan_kind == SupportPlan.Kind.ONE_TO_ONE
        agreed_on = self.past_date("assessment_agreed_on", "date the assessment was agreed", required=one_to_one)
        if one_to_one and self.cell("assessment_agreed_on") is None:
            self.error(
                "assessment_agreed_on", "A one-to-one plan needs this column: the date the assessment was agreed"
            )
        if agreed_on is not None:
            try:
                validate_event_date(
                    agreed_on,
                    field="assessment_agreed_on",
                    today=self.today,
                    first_referred=received,
                    what="The date the assessment was agreed",
                    history=True,
                )
            except ValidationError as error:
                for message in error.message_dict["assessment_agreed_on"]:
                    self.error("assessment_agreed_on", message)
                return None
        return agreed_on

    # The people --------------------------------------------------------------------------------

    def people(self) -> list[dict]:
        """The parents or carers and the children: at least one child or unborn child."""
        people = [*self.parents(), *self.children()]
        if not any(p["kind"] in SUBJECT_KINDS for p in people):
            self.error("child1_first_name", "Name at least one child aged 0 to 5 or an unborn child")
        return people

    def parents(self) -> list[dict]:
        """Up to two parents or carers, at least one."""
        parents = []
        for n in range(1, MAX_PARENTS + 1):
            parent = self.person(f"parent{n}", Person.Kind.PARENT_CARER, relationship=self.parent_relationship(n))
            if parent:
                parents.append(parent)
            elif n == 1 and self.cell("parent1_first_name") is not None:
                self.error("parent1_first_name", "Enter at least one parent or carer")
        return parents

    def children(self) -> list[dict]:
        """Up to four children and an unborn child, each a subject child of the family."""
        columns = [
            *((f"child{n}", Person.Kind.CHILD) for n in range(1, MAX_CHILDREN + 1)),
            ("unborn1", Person.Kind.UNBORN),
        ]
        children = [
            self.person(prefix, kind, relationship=Person.Relationship.SUBJECT_CHILD) for prefix, kind in columns
        ]
        return [child for child in children if child]

    def parent_relationship(self, n: int) -> str:
        """Optional; one of the relationships a person can have to the family."""
        relationship = self.cell(f"parent{n}_relationship") or ""
        if relationship and relationship not in Person.Relationship.values:
            self.error(f"parent{n}_relationship", f"Use one of: {', '.join(Person.Relationship.values)}")
            return ""
        return relationship

    def person(self, prefix: str, kind: str, *, relationship: str = "") -> dict | None:
        """The person in the ``prefix`` columns, or None when they are all blank."""
        unborn = kind == Person.Kind.UNBORN
        date_column = f"{prefix}_due_date" if unborn else f"{prefix}_dob"
        first, last = self.cell(f"{prefix}_first_name"), self.cell(f"{prefix}_last_name")
        early_education = [] if unborn else [self.cell(f"{prefix}_{part}") for part in EARLY_EDUCATION_COLUMNS]
        if not any((first, last, self.cell(date_column), *early_education)):
            return None
        self.person_names(prefix, kind, first, last)
        what = "the expected date of birth" if unborn else "the date of birth"
        when = self.a_date(date_column, what, required=kind in SUBJECT_KINDS)
        person = {
            "kind": kind,
            "first_name": first or ("Baby" if unborn else ""),
            "last_name": last or "",
            "date_of_birth": None if unborn else when,
            "expected_date": when if unborn else None,
            "relationship": relationship,
        }
        if when is not None:
            self.person_dates(date_column, person)
            self.household_ages(date_column, person)
        if kind == Person.Kind.CHILD:
            person.update(self.early_education(prefix, when))
        return person

    def household_ages(self, date_column: str, person: dict) -> None:
        """A parent or carer at least 10 years older than each child in the row, as on the family record."""
        try:
            validate_household_ages(kind=person["kind"], date_of_birth=person["date_of_birth"], others=self.household)
        except ValidationError as error:
            for message in error.message_dict["date_of_birth"]:
                self.error(date_column, message)
        self.household.append(SimpleNamespace(kind=person["kind"], date_of_birth=person["date_of_birth"]))

    def early_education(self, prefix: str, date_of_birth: date | None) -> dict:
        """The child's funded early education, all optional: the same rules as on the family record
        (``families.rules.validate_early_education``), each reported on its column."""
        columns = {field: f"{prefix}_{part}" for field, part in EARLY_EDUCATION_FIELDS.items()}
        eligible_column = columns["funded_education_eligible"]
        eligible = self.yes_no(eligible_column) if self.cell(eligible_column) else False
        started_on = self.a_date(
            columns["funded_education_started_on"], "the funded place's start date", required=False
        )
        setting = self.cell(columns["funded_education_setting"]) or ""
        values = {
            "funded_education_eligible": bool(eligible),
            "funded_education_started_on": started_on,
            "funded_education_setting": setting,
        }
        if eligible is None or (started_on is None and self.cell(columns["funded_education_started_on"])):
            return values  # a cell that is not yes/no or not a date is reported already
        try:
            validate_early_education(
                date_of_birth=date_of_birth,
                eligible_2yo=bool(eligible),
                started_on=started_on,
                setting=setting,
                today=self.today,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.error(columns[field], message)
        return values

    def person_names(self, prefix: str, kind: str, first: str | None, last: str | None) -> None:
        """A first name (an unborn child may have none yet) and a last name, each at most 100 characters."""
        if not first and kind != Person.Kind.UNBORN:
            self.error(f"{prefix}_first_name", "Enter the first name")
        if not last:
            self.error(f"{prefix}_last_name", "Enter the last name")
        for column, value in ((f"{prefix}_first_name", first), (f"{prefix}_last_name", last)):
            self.at_most(column, value, 100, "Names must be 100 characters or fewer")

    def person_dates(self, date_column: str, person: dict) -> None:
        """The same date rules as for a person added by hand (a child aged 0 to 5, a due date ahead)."""
        try:
            validate_person_dates(
                kind=person["kind"],
                date_of_birth=person["date_of_birth"],
                expected_date=person["expected_date"],
                today=self.today,
            )
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    self.error(date_column, message)


def check_file(data: bytes, report: ImportReport, progress: Progress | None) -> list[ParsedRow]:
    """Read and check every row; the problems go in ``report`` (sorted by line and column)."""
    rows, errors = read_csv(data)
    report.errors.extend(errors)
    report.rows_total = len(rows)
    lookups = Lookups([row for _, row in rows])
    today = timezone.localdate()
    parsed: list[ParsedRow] = []
    for done, (line, row) in enumerate(rows, start=1):
        checker = RowChecker(line, row, lookups, today)
        result = checker.check()
        report.errors.extend(checker.errors)
        if result:
            parsed.append(result)
        report_progress(progress, "Checking", done, len(rows))
    report.errors.extend(family_twice_errors(parsed))
    report.errors.sort(key=lambda error: (error.line, error.column))
    return parsed


def family_twice_errors(parsed: list[ParsedRow]) -> list[RowError]:
    """A family twice in the file: the same previous id, or the same children at the same postcode."""
    errors = []
    first_by_id: dict[tuple, int] = {}
    first_by_family: dict[frozenset, int] = {}
    for row in parsed:
        if row.key in first_by_id:
            errors.append(RowError(row.line, "previous_id", f"The same family as line {first_by_id[row.key]}"))
            continue
        first_by_id[row.key] = row.line
        family_key = row.family_key()
        if family_key in first_by_family:
            message = f"The same family as line {first_by_family[family_key]} (same children and postcode)"
            errors.append(RowError(row.line, "child1_first_name", message))
            continue
        first_by_family[family_key] = row.line
    return errors
