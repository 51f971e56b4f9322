"""Query-parameter filters that accept exactly what the schema says they accept; anything else is a 400.

- a choice (enum) parameter takes one of its values; a boolean ``true`` or ``false``; a uuid its hyphenated
  8-4-4-4-12 form; a date or date-time an RFC 3339 value from 1900 to 2099 (``ecfs.api.dates``), converted to
  UTC before it reaches the database
- a parameter given with no value (``?status=``) is refused, unless it is free text: leave it out for "any"
  (``FilterBackend``)
"""

import re
import uuid

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions

from .dates import DATE_MESSAGE, DATE_SCHEMA, DATE_TIME_MESSAGE, DATE_TIME_SCHEMA, parse_date, parse_date_time

EMPTY_MESSAGE = "Give a value, or leave the parameter out."
UUID_MESSAGE = "Enter a uuid, like 0b8f3a52-5c1e-4d7a-9f6e-2a4c1b9d8e70."
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
BOOLEAN_MESSAGE = "Enter true or false."


class _ExactField(forms.Field):
    """A form field that parses its text with ``parse`` (None: refused with ``message``)."""

    parse = None
    message = ""

    def to_python(self, value):
        if value in (None, ""):
            return None
        parsed = type(self).parse(value)
        if parsed is None:
            raise ValidationError(self.message, code="invalid")
        return parsed


class DateTimeField(_ExactField):
    parse = staticmethod(parse_date_time)
    message = DATE_TIME_MESSAGE


class DateField(_ExactField):
    parse = staticmethod(parse_date)
    message = DATE_MESSAGE


class BooleanField(_ExactField):
    parse = staticmethod({"true": True, "false": False}.get)
    message = BOOLEAN_MESSAGE


@extend_schema_field(DATE_TIME_SCHEMA)
class IsoDateTimeFilter(django_filters.Filter):
    """An RFC 3339 date and time with its offset, from 1900 to 2099."""

    field_class = DateTimeField


@extend_schema_field(DATE_SCHEMA)
class DateFilter(django_filters.Filter):
    """An RFC 3339 date (2026-05-01), from 1900 to 2099."""

    field_class = DateField


@extend_schema_field({"type": "boolean"})
class BooleanFilter(django_filters.Filter):
    """``true`` or ``false``, nothing else (not 1, yes or True)."""

    field_class = BooleanField


def _parse_uuid(value) -> uuid.UUID | None:
    return uuid.UUID(value) if UUID.fullmatch(value) else None


class UUIDField(_ExactField):
    parse = staticmethod(_parse_uuid)
    message = UUID_MESSAGE


@extend_schema_field({"type": "string", "format": "uuid"})
class UUIDFilter(django_filters.Filter):
    """A uuid written the way the schema's ``format: uuid`` means (8-4-4-4-12 hex digits), not the other
    spellings Python's ``uuid.UUID`` also reads (no hyphens, braces, ``urn:uuid:``)."""

    field_class = UUIDField


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a parameter given with no value is refused (400) unless it is
    free text. django-filter's convention reads ``?status=`` as "no filter"; the schema says a status is one
    of its values, so the API does too."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            empty = {
                name: [EMPTY_MESSAGE]
                for name, filter_ in filterset.filters.items()
                if not isinstance(filter_, django_filters.CharFilter) and "" in request.query_params.getlist(name)
            }
            if empty:
                raise exceptions.ValidationError(empty)
        return super().filter_queryset(request, queryset, view)
