"""Dates and date-times the API takes, in query parameters and bodies: RFC 3339, from 1900 to 2099.

The schema states the same rule the server applies (one regular expression, ``format`` plus ``pattern``),
so what the schema calls valid is accepted and anything else is a 400. The years are bounded because
nothing the service records happened before 1900 or is planned after 2099, and because a year-17 value
would come back with a local-mean-time offset (``-00:01:15``) that is not valid RFC 3339.
"""

import re
from datetime import UTC, date, datetime

EARLIEST_YEAR = 1900
LATEST_YEAR = 2099

_YEAR = r"(?:19|20)[0-9]{2}"
_LEAP_YEAR = r"(?:(?:19|20)(?:0[48]|[2468][048]|[13579][26])|2000)"  # 1904 to 2096 (1900 was not one)
_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"  # days every month has
    r"|(?:0[13-9]|1[0-2])-(?:29|30)"  # not February
    r"|(?:0[13578]|1[02])-31)"  # the long months
)
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"

DATE_PATTERN = rf"^{_DATE}$"
DATE_TIME_PATTERN = rf"^{_DATE}T{_TIME}{_OFFSET}$"

DATE_MESSAGE = f"Enter a real date from {EARLIEST_YEAR} to {LATEST_YEAR}, like 2026-05-01."
DATE_TIME_MESSAGE = (
    f"Enter a real date and time from {EARLIEST_YEAR} to {LATEST_YEAR} with its offset from UTC, "
    "like 2026-05-01T10:00:00+01:00 or 2026-05-01T09:00:00Z."
)

DATE_SCHEMA = {"type": "string", "format": "date", "pattern": DATE_PATTERN, "example": "2026-05-01"}
DATE_TIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": DATE_TIME_PATTERN,
    "example": "2026-05-01T10:00:00+01:00",
}

_date = re.compile(DATE_PATTERN)
_date_time = re.compile(DATE_TIME_PATTERN)


def parse_date(value) -> date | None:
    """The date, or None when ``value`` is not an RFC 3339 full-date from 1900 to 2099."""
    if not isinstance(value, str) or not _date.fullmatch(value):
        return None
    return date.fromisoformat(value)


def parse_date_time(value) -> datetime | None:
    """The moment in UTC, or None when ``value`` is not an RFC 3339 date-time from 1900 to 2099.

    Converted to UTC because PostgreSQL refuses offsets beyond 15:59 that RFC 3339 allows."""
    if not isinstance(value, str) or not _date_time.fullmatch(value):
        return None
    return datetime.fromisoformat(value).astimezone(UTC)
