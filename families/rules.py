"""Rules about people that forms and services share, so a bad date is refused the same way everywhere."""

import re
import unicodedata
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from .models import Person

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
