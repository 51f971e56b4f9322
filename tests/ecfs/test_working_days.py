from datetime import date

from ecfs.working_days import add_working_days, is_working_day, working_days_between


def test_christmas_2024_triage_due_skips_weekend_and_both_bank_holidays():
    # Friday 20 Dec 2024 + 3 working days: Mon 23, Tue 24, (25, 26 bank holidays) Fri 27.
    assert add_working_days(date(2024, 12, 20), 3) == date(2024, 12, 27)


def test_christmas_2026_falls_on_friday_so_boxing_day_is_substituted_to_monday():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # substitute day for Boxing Day (a Saturday)
    # Wed 23 Dec 2026 + 3: Thu 24, (Fri 25, weekend, Mon 28) Tue 29, Wed 30.
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_easter_2025_good_friday_and_easter_monday_are_not_working_days():
    assert not is_working_day(date(2025, 4, 18))  # Good Friday
    assert not is_working_day(date(2025, 4, 21))  # Easter Monday
    # Thu 17 Apr 2025 + 10 working days: 22,23,24,25,28,29,30, 1 May, 2 May, (5 May bank holiday) 6 May.
    assert add_working_days(date(2025, 4, 17), 10) == date(2025, 5, 6)


def test_working_days_between_counts_the_same_calendar():
    assert working_days_between(date(2024, 12, 20), date(2024, 12, 27)) == 3
    assert working_days_between(date(2025, 4, 17), date(2025, 5, 6)) == 10
    assert working_days_between(date(2025, 5, 6), date(2025, 5, 6)) == 0


def test_a_referral_received_at_the_weekend_counts_from_monday():
    # Saturday 4 Jan 2025 + 3: Mon 6, Tue 7, Wed 8.
    assert add_working_days(date(2025, 1, 4), 3) == date(2025, 1, 8)
