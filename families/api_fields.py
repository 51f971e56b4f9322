"""The API's field for a determinant of the three impact statements (used by families, support, referrals and
the fund's serializers); the generic fields are in ``ecfs.api.fields``."""

from rest_framework import serializers

from .determinants import DETERMINANTS
from .models import Determinant

DETERMINANT_CODES = [code for code, _name, _impact in DETERMINANTS]


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
