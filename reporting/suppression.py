"""Small-number suppression for anything a commissioner sees.

Counts from 1 to 4 show as ``<5`` (0 stays 0). So that a total cannot be used
to recover a suppressed cell, a row with exactly one such cell also hides its
next-smallest cell as ``[c]`` (secondary suppression, the ONS convention).
Percentages and means built on fewer than 5 show as ``[c]``. Money paid to 1 to 4 families shows as
``<5`` too, with the same secondary suppression.
"""

from decimal import ROUND_HALF_UP, Decimal

SMALL = "<5"
HIDDEN = "[c]"


def is_small(value) -> bool:
    return isinstance(value, int) and 1 <= value <= 4


def format_value(value, unit: str) -> str:
    if value is None:
        return "–"
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


def display_row(cells: dict, *, unit: str, bases: dict | None = None) -> dict:
    """The display text of each cell in a row of district cells (plus "County")."""
    shown = {}
    if unit == "count":
        small = [key for key, value in cells.items() if key != "County" and is_small(value)]
        hidden = set(small)
        if len(small) == 1:
            others = sorted(
                (value, key)
                for key, value in cells.items()
                if key not in hidden and key != "County" and isinstance(value, int) and value > 0
            )
            if others:
                hidden.add(others[0][1])
        for key, value in cells.items():
            if is_small(value):
                shown[key] = SMALL
            elif key in hidden:
                shown[key] = HIDDEN
            else:
                shown[key] = format_value(value, unit)
        return shown
    if unit == "money" and bases is not None:
        return _display_money(cells, bases)
    for key, value in cells.items():
        base = (bases or {}).get(key)
        if base is not None and 0 < base < 5:
            shown[key] = HIDDEN
        else:
            shown[key] = format_value(value, unit)
    return shown


def _display_money(cells: dict, families: dict) -> dict:
    """Money paid to 1–4 families shows as ``<5``, like a small count, so one family's payment cannot be read;
    where a row has exactly one such district, the next smallest sum is hidden as ``[c]`` so that the county
    total cannot give it away."""
    small = [key for key in cells if key != "County" and 0 < (families.get(key) or 0) < 5]
    hidden = set(small)
    if len(small) == 1:
        others = sorted(
            (Decimal(str(value)), key)
            for key, value in cells.items()
            if key not in hidden and key != "County" and (families.get(key) or 0) > 0
        )
        if others:
            hidden.add(others[0][1])
    shown = {}
    for key, value in cells.items():
        if 0 < (families.get(key) or 0) < 5:
            shown[key] = SMALL
        elif key in hidden:
            shown[key] = HIDDEN
        else:
            shown[key] = format_value(value, "money")
    return shown
