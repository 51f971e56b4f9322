"""Serializer fields that look objects up *within what the caller may see*, by reference, uuid or code, and
input fields that accept exactly what their schema says (dates, date-times, amounts of money).

An object outside the caller's scope gets the same message as one that does not exist. (The determinant field is
``families.api_fields.DeterminantField``.)
"""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .dates import DATE_MESSAGE, DATE_SCHEMA, DATE_TIME_MESSAGE, DATE_TIME_SCHEMA, parse_date, parse_date_time


class _Scoped:
    default_error_messages = {"does_not_exist": "Not found, or not one you can use."}

    def __init__(self, *, scope, lookup: str, **kwargs):
        self.scope = scope
        self.lookup = lookup
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)  # the key itself: type, length, null
        if value is None:
            return None
        found = self.scope(self.context["request"]).filter(**{self.lookup: value}).first()
        if found is None:
            self.fail("does_not_exist")
        return found

    def to_representation(self, value):
        return super().to_representation(getattr(value, self.lookup))


class ScopedReferenceField(_Scoped, serializers.CharField):
    """An object by a text key (a family's reference, a venue's name)."""


class ScopedUUIDField(_Scoped, serializers.UUIDField):
    """An object by its uuid."""


@extend_schema_field(DATE_TIME_SCHEMA)
class DateTimeField(serializers.DateTimeField):
    """An RFC 3339 date and time with its offset (``2026-05-01T10:00:00+01:00``), from 1900 to 2099: the
    schema's pattern is the rule applied, so a year-17 value is refused rather than stored."""

    default_error_messages = {"invalid": DATE_TIME_MESSAGE}

    def to_internal_value(self, value):
        parsed = parse_date_time(value)
        if parsed is None:
            self.fail("invalid")
        return self.enforce_timezone(parsed)


@extend_schema_field(DATE_SCHEMA)
class DateField(serializers.DateField):
    """An RFC 3339 date (``2026-05-01``) from 1900 to 2099; the service's rules narrow it further (a date of
    birth in the past, an expected date in the next months)."""

    default_error_messages = {"invalid": DATE_MESSAGE}

    def to_internal_value(self, value):
        parsed = parse_date(value)
        if parsed is None:
            self.fail("invalid")
        return parsed


# 0.01 to 10,000.00 pounds, in pounds and pence: what the fund pays at most (support_fund.services.LARGEST_PAYMENT).
AMOUNT_PATTERN = r"^(?:0\.(?:0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,3}(?:\.[0-9]{1,2})?|10000(?:\.00?)?)$"
AMOUNT_MESSAGE = "Enter an amount in pounds from 0.01 to 10000.00, like 40 or 40.50, as a string."


@extend_schema_field({"type": "string", "format": "decimal", "pattern": AMOUNT_PATTERN, "example": "40.00"})
class AmountField(serializers.DecimalField):
    """An amount of money as a string of pounds and pence, exactly as the schema's pattern says (no
    spaces, signs, exponents or fractions of a penny)."""

    default_error_messages = {"invalid": AMOUNT_MESSAGE}

    def __init__(self, **kwargs):
        super().__init__(max_digits=7, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(AMOUNT_PATTERN, data):
            self.fail("invalid")
        return super().to_internal_value(data)
