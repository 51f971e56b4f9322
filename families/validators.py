import re

from django.core.exceptions import ValidationError

# The shape of a UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: ``nr13ab`` → ``NR1 3AB``."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_uk_postcode(value: str) -> None:
    if not _POSTCODE.match(normalise_postcode(value)):
        raise ValidationError(
            "Enter a real UK postcode, like NR1 3AB", code="invalid_postcode", params={"value": value}
        )
