"""How a published number reads: units, rounding, signs. (What is shown at all: ``reporting.disclosure``.)"""

from decimal import ROUND_HALF_UP, Decimal

# A cell with no figure: the area has none by definition, or there is nothing to divide by.
NOT_APPLICABLE = "–"


def format_value(value, unit: str) -> str:
    if value is None:
        return NOT_APPLICABLE
    if unit == "percent":
        return f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    if unit == "money":
        return f"£{Decimal(str(value)):,.2f}"
    if unit == "points":
        # A mean change on the 1–10 scales: signed, one decimal, in points (never a percentage).
        number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{'+' if number > 0 else ''}{number} points"
    if unit == "mean":
        return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def format_target(value, unit: str) -> str:
    """A target's number in its KPI's unit, without needless decimals: 60 → ``60%``, 2.5 → ``2.5``."""
    number = Decimal(str(value))
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    if unit == "percent":
        return f"{number}%"
    if unit == "money":
        return f"£{number:,}"
    return f"{number}"
