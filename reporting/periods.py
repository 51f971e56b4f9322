"""Return periods: calendar months, and financial quarters from April (Q1 = April to June)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ecfs.financial_year import financial_year_of
from ecfs.working_days import is_working_day

MONTHLY, QUARTERLY = "monthly", "quarterly"


@dataclass(frozen=True)
class Period:
    kind: str
    label: str  # "2026-08" or "2026-Q2" (Q2 of financial year 2026/27)
    start: date
    end: date  # inclusive

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive upper bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def title(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.start:%B %Y}"
        quarter = self.label.split("-Q")[1]
        year = int(self.label.split("-Q")[0])
        return f"Quarter {quarter} {year}/{str(year + 1)[-2:]} ({self.start:%B} to {self.end:%B %Y})"

    def months(self) -> list["Period"]:
        """The calendar months the period is made of, in order."""
        if self.kind == MONTHLY:
            return [self]
        return [period_containing(MONTHLY, self.start + relativedelta(months=n)) for n in range(3)]

    def previous(self, n: int = 1) -> "Period":
        months = 1 if self.kind == MONTHLY else 3
        start = self.start - relativedelta(months=months * n)
        return period_containing(self.kind, start)


def parse_period(text: str) -> Period:
    """``2026-08`` is a month; ``2026-Q2`` is July to September 2026 (financial year 2026/27)."""
    text = (text or "").strip().upper()
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"{text}: the month must be 01 to 12")
        start = date(year, month, 1)
        return Period(MONTHLY, f"{year}-{month:02d}", start, start + relativedelta(months=1) - timedelta(days=1))
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(match[1]), int(match[2])
        start = date(year, 4, 1) + relativedelta(months=3 * (quarter - 1))
        return Period(QUARTERLY, f"{year}-Q{quarter}", start, start + relativedelta(months=3) - timedelta(days=1))
    raise ValueError(f"{text or 'nothing'}: use YYYY-MM for a month or YYYY-Qn for a financial quarter")


def period_containing(kind: str, day: date) -> Period:
    if kind == MONTHLY:
        return parse_period(f"{day.year}-{day.month:02d}")
    financial_year = financial_year_of(day)
    quarter = ((day.month - 4) % 12) // 3 + 1
    return parse_period(f"{financial_year}-Q{quarter}")


def last_complete(kind: str, today: date) -> Period:
    return period_containing(kind, today).previous()


def first_working_day(year: int, month: int) -> date:
    day = date(year, month, 1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
