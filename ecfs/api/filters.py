"""Filters that refuse what the database cannot take, as a 400 rather than a database error."""

from datetime import UTC, datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_filters.fields import IsoDateTimeField

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class BoundedIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        try:
            within = EARLIEST <= value < LATEST
        except OverflowError:
            within = False
        if not within:
            raise ValidationError("Enter a date and time between 1900 and 2100.", code="invalid")
        return value


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date and time from 1900 to 2100 (PostgreSQL refuses offsets such as -23:00 in year 9999)."""

    field_class = BoundedIsoDateTimeField
