from datetime import date

import pytest

from ecfs.financial_year import financial_year_of


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2027, 3, 31), 2026), (date(2027, 4, 1), 2027), (date(2026, 12, 31), 2026), (date(2027, 1, 1), 2026)],
    ids=["31-march", "1-april", "31-december", "1-january"],
)
def test_the_financial_year_starts_on_1_april(day, year):
    assert financial_year_of(day) == year
