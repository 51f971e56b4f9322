"""The council's financial year runs from April to March: 2027-03-31 is in 2026/27."""

from datetime import date


def financial_year_of(day: date) -> int:
    """The year the financial year containing ``day`` starts in."""
    return day.year if day.month >= 4 else day.year - 1
