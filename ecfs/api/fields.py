"""Serializer fields that look objects up *within what the caller may see*, by reference, uuid or code.

An object outside the caller's scope gets the same message as one that does not exist.
"""

from rest_framework import serializers

from families.determinants import DETERMINANTS
from families.models import Determinant

DETERMINANT_CODES = [code for code, _name, _impact in DETERMINANTS]


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


class DeterminantField(serializers.ChoiceField):
    """A determinant of the three impact statements, by its stable code."""

    def __init__(self, **kwargs):
        super().__init__(choices=DETERMINANT_CODES, **kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        determinant = Determinant.objects.filter(code=code).first()
        if determinant is None:  # reference data not loaded
            self.fail("invalid_choice", input=code)
        return determinant

    def to_representation(self, value):
        return getattr(value, "code", value)
