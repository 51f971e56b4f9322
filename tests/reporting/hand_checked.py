"""What the hand-checked tests of the return's sections share: a moment in UK time, and a row's two districts
and county read side by side."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from reporting.kpis import COUNTY

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour=10, minute=0):
    """The clock stopped at ``hour:minute`` on ``day``, UK time (British Summer Time where it applies)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON), tick=False)


def values(rows, label, a, b):
    """The row's figures for districts ``a`` and ``b`` and the county."""
    cells = next(r for r in rows if r.label == label).values
    return cells[a], cells[b], cells[COUNTY]
