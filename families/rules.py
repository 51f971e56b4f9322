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
