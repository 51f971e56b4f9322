"""Rules about people that forms and services share, so a bad date is refused the same way everywhere."""

import re
import unicodedata
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError

from ecfs.errors import ApplicationError

from .models import ContactChannel, Family, Person

OLDEST_CHILD_AGE = 5  # the service is for children from pre-birth to 5
UNBORN_MONTHS_AHEAD = 10


def name_key(value: str) -> str:
    """Lower case, accents folded, letters only: "O'Brien-Smith " → "obriensmith"."""
    folded = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def validate_person_dates(*, kind: str, date_of_birth: date | None, expected_date: date | None, today: date) -> None:
    """Raise a ValidationError naming the field when a person's dates do not fit their kind."""
    if kind == Person.Kind.UNBORN:
        if expected_date is None:
            raise ValidationError({"expected_date": "Enter the expected date of birth"})
        if expected_date < today:
            raise ValidationError(
                {"expected_date": "Expected date of birth must be today or in the future: record a born child instead"}
            )
        if expected_date > today + relativedelta(months=UNBORN_MONTHS_AHEAD):
            raise ValidationError(
                {"expected_date": f"Expected date of birth must be within {UNBORN_MONTHS_AHEAD} months from today"}
            )
        return
    if expected_date is not None:
        raise ValidationError(
            {"expected_date": "Only an unborn child has an expected date of birth: enter a date of birth instead"}
        )
    if kind in (Person.Kind.CHILD, Person.Kind.OLDER_CHILD) and date_of_birth is None:
        raise ValidationError({"date_of_birth": "Enter the child's date of birth"})
    if date_of_birth is None:
        return
    if date_of_birth > today:
        raise ValidationError({"date_of_birth": "Date of birth must be today or in the past"})
    if kind == Person.Kind.CHILD and date_of_birth <= today - relativedelta(years=OLDEST_CHILD_AGE + 1):
        raise ValidationError(
            {"date_of_birth": "The child is older than 5: record them as a child over 5 in the family"}
        )
    if date_of_birth < today - relativedelta(years=120):
        raise ValidationError({"date_of_birth": "Date of birth must be a real date of birth"})


PARENT_YEARS_OLDER = 10  # fewer years between a parent or carer and a child is a mistyped date


def validate_household_ages(*, kind: str, date_of_birth: date | None, others) -> None:
    """A parent or carer is at least ``PARENT_YEARS_OLDER`` years older than every child in the household.

    ``others`` are the household's other members (anything with ``kind`` and ``date_of_birth``); the error names
    ``date_of_birth`` and the member it conflicts with, by date, so a mistyped year is found either way round.
    """
    if date_of_birth is None:
        return
    children = (Person.Kind.CHILD, Person.Kind.OLDER_CHILD)
    gap = relativedelta(years=PARENT_YEARS_OLDER)
    for other in others:
        born = other.date_of_birth
        if born is None:
            continue
        if kind == Person.Kind.PARENT_CARER and other.kind in children and date_of_birth > born - gap:
            message = (
                f"A parent or carer must be at least {PARENT_YEARS_OLDER} years older than the children in the family "
                f"(a child was born on {long_date(born)})"
            )
        elif kind in children and other.kind == Person.Kind.PARENT_CARER and born > date_of_birth - gap:
            message = (
                f"A child must be born at least {PARENT_YEARS_OLDER} years after the parents and carers in the family "
                f"(one was born on {long_date(born)})"
            )
        else:
            continue
        raise ValidationError({"date_of_birth": message})


EARLY_EDUCATION_FROM_AGE = 2  # a funded place starts at 2 for an eligible child
UNIVERSAL_PLACE_AGE = 3  # from 3 every child may take up a funded place
SETTING_MAX_LENGTH = 200


def validate_early_education(
    *, date_of_birth: date | None, eligible_2yo: bool, started_on: date | None, setting: str, today: date
) -> None:
    """Raise a ValidationError naming the fields (``funded_education_eligible``, ``funded_education_started_on``,
    ``funded_education_setting``) when a child's funded early education does not add up. The page, the API and
    the import file all check it here."""
    errors: dict[str, str] = {}
    if setting and started_on is None:
        errors["funded_education_started_on"] = "Enter the date the funded place started, or leave the setting blank"
    if len(setting or "") > SETTING_MAX_LENGTH:
        errors["funded_education_setting"] = f"The setting's name must be {SETTING_MAX_LENGTH} characters or fewer"
    if started_on is not None:
        if started_on > today:
            errors["funded_education_started_on"] = "The date the funded place started must be today or in the past"
        elif date_of_birth and started_on < date_of_birth + relativedelta(years=EARLY_EDUCATION_FROM_AGE):
            second = date_of_birth + relativedelta(years=EARLY_EDUCATION_FROM_AGE)
            errors["funded_education_started_on"] = (
                f"A funded place cannot start before the child's second birthday ({second:%-d %B %Y})"
            )
        elif (
            date_of_birth and started_on < date_of_birth + relativedelta(years=UNIVERSAL_PLACE_AGE) and not eligible_2yo
        ):
            errors["funded_education_eligible"] = (
                "A funded place that started before the child's third birthday needs the child to be eligible "
                "for a 2-year-old place"
            )
    if errors:
        raise ValidationError(errors)


# Dates that cannot be true (issue #17) -------------------------------------------------------------
# One set of rules for the pages, the API and the import: the services call these, passing in what a rule needs
# (the family's first referral date, the plan's dates) rather than this module reading other apps.

SERVICE_START = date(2019, 10, 1)  # the service began on 1 October 2019: nothing is recorded before it
FORWARD_YEARS = 2  # planned visits, courses, sessions and action due dates: at most 2 years ahead


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def latest_forward(today: date) -> date:
    return today + relativedelta(years=FORWARD_YEARS)


def earliest_history(today: date) -> date:
    """The oldest a previous provider's record carried over by the import may be: anything older is past every
    retention date (kept at most until the youngest child is 25, ``RETENTION_CHILD_AGE_YEARS``), so is a mistake."""
    return today - relativedelta(years=settings.RETENTION_CHILD_AGE_YEARS)


def too_old_for_history(what: str) -> str:
    return (
        f"{what} is more than {settings.RETENTION_CHILD_AGE_YEARS} years ago: a record that old is past its "
        "retention date and cannot be imported"
    )


def validate_event_date(
    value: date,
    *,
    field: str,
    today: date,
    first_referred: date | None,
    what: str = "The date",
    history: bool = False,
) -> None:
    """Something that happened (a contact, an assessment, a review, scores, a payment, a parent's progress): not
    in the future, not before the family was first referred, and not before the service began — unless it is a
    previous provider's history carried over by the import (``history=True``), which may be older, though not past
    every retention date (``earliest_history``)."""
    if value > today:
        raise ValidationError({field: f"{what} must be today or in the past"})
    if first_referred is not None and value < first_referred:
        raise ValidationError(
            {field: f"{what} must be after the family was first referred ({long_date(first_referred)})"}
        )
    if not history and value < SERVICE_START:
        raise ValidationError({field: f"{what} must be after the service began ({long_date(SERVICE_START)})"})
    if history and value < earliest_history(today):
        raise ValidationError({field: too_old_for_history(what)})


def validate_forward_date(value: date, *, field: str, today: date, what: str = "The date") -> None:
    """A date that may be ahead (a planned visit, a course or a session): not before the service began and not
    more than FORWARD_YEARS years from today."""
    if value < SERVICE_START:
        raise ValidationError({field: f"{what} must be after the service began ({long_date(SERVICE_START)})"})
    if value > latest_forward(today):
        raise ValidationError(
            {field: f"{what} must be no more than {FORWARD_YEARS} years ahead ({long_date(latest_forward(today))})"}
        )


def validate_action_due(value: date, *, field: str, today: date, plan_created: date, plan_ends: date | None) -> None:
    """A plan action's due date lies within the plan's life: not before the plan was drafted, not after its
    planned end (if it has one), and not more than FORWARD_YEARS years ahead."""
    if value < plan_created:
        raise ValidationError(
            {field: f"The due date must be on or after the day the plan was drafted ({long_date(plan_created)})"}
        )
    if plan_ends is not None and value > plan_ends:
        raise ValidationError(
            {field: f"The due date must be on or before the plan's planned end ({long_date(plan_ends)})"}
        )
    if value > latest_forward(today):
        raise ValidationError(
            {
                field: f"The due date must be no more than {FORWARD_YEARS} years ahead "
                f"({long_date(latest_forward(today))})"
            }
        )


def validate_action_done(value: date, *, field: str, today: date, plan_started: date) -> None:
    """An action is done today or earlier, and not before the plan started."""
    if value > today:
        raise ValidationError({field: "The date it was done must be today or in the past"})
    if value < plan_started:
        raise ValidationError(
            {field: f"The date it was done must be on or after the day the plan started ({long_date(plan_started)})"}
        )


def validate_child_seen(*, field: str, first_name: str, date_of_birth: date | None, seen: bool, on: date) -> None:
    """A child cannot be seen before they were born."""
    if seen and date_of_birth is not None and on < date_of_birth:
        raise ValidationError(
            {field: f"{first_name} was born on {long_date(date_of_birth)}, after this contact: answer no"}
        )


def shares_with_team_around_family(family: Family) -> bool:
    """The family agreed to the service sharing what it holds with the professionals working with them."""
    return family.consent_given and family.consent_scope == Family.ConsentScope.HOLD_AND_SHARE


def require_consent_to_share(family: Family, *, doing: str) -> None:
    """Refuse ``doing`` (which shares the family's information with another agency) without their consent."""
    if not shares_with_team_around_family(family):
        raise ApplicationError(
            f"{family.reference} has not agreed to their information being shared with the team around the family, "
            f"so you cannot {doing}. Ask the family, then record their consent to share under "
            "Household details and consent."
        )


def validate_safe_contact(*, channel: str, phone: str, email: str) -> None:
    """The safe way to contact a family needs the detail it uses: a number for calls and texts, an email address
    for email."""
    if channel in (ContactChannel.PHONE, ContactChannel.TEXT) and not (phone or "").strip():
        raise ValidationError({"contact_phone": "Enter the phone number, or choose another safe way to contact"})
    if channel == ContactChannel.EMAIL and not (email or "").strip():
        raise ValidationError({"contact_email": "Enter the email address, or choose another safe way to contact"})
