"""The import checks a previous provider's dates by the same rules as the pages (families.rules): an assessment
is not agreed before the referral or in the future; as carried-over history it may be older than the service."""

from datetime import date

import pytest
import time_machine

from families.models import Assessment
from imports import services
from referrals.models import Referral

from .helpers import csv_bytes, days_ago, good_row

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def run(data: bytes, actor):
    return services.open_cases_import(data=data, file_name="open-cases.csv", actor=actor)


def one_to_one(cast, **overrides) -> dict:
    return good_row(cast, plan_kind="one_to_one", **overrides)


def test_an_assessment_agreed_before_the_referral_is_a_row_error(cast):
    row = one_to_one(cast, referral_received=days_ago(60).isoformat(), assessment_agreed_on=days_ago(90).isoformat())
    report = run(csv_bytes([row]), cast.admin)
    assert [str(e) for e in report.errors] == [
        "line 2, column assessment_agreed_on: The date the assessment was agreed must be after the family was "
        f"first referred ({days_ago(60):%-d %B %Y})"
    ]
    assert not Assessment.objects.exists()


def test_an_assessment_agreed_in_the_future_is_a_row_error(cast):
    row = one_to_one(cast, assessment_agreed_on=days_ago(-3).isoformat())
    report = run(csv_bytes([row]), cast.admin)
    assert [(e.column, e.message) for e in report.errors] == [
        ("assessment_agreed_on", "The date the assessment was agreed must be today or in the past")
    ]


def test_a_previous_providers_history_may_be_older_than_the_service(cast):
    row = one_to_one(
        cast,
        referral_received="2018-05-01",
        consent_date="2018-05-01",
        assessment_agreed_on="2018-06-01",
    )
    report = run(csv_bytes([row]), cast.admin)
    assert not report.errors, [str(e) for e in report.errors]
    assert Assessment.objects.get().agreed_on == date(2018, 6, 1)


def test_a_record_older_than_every_retention_date_is_a_row_error(cast):
    # Kept at most until the youngest child is 25: a referral from 1900 is a typing mistake, not history.
    with time_machine.travel(date(2026, 12, 7), tick=False):
        row = one_to_one(
            cast,
            referral_received="1900-01-02",
            consent_date="2001-12-06",
            first_contact_date="2001-12-08",
            assessment_agreed_on="2001-12-07",
        )
        report = run(csv_bytes([row]), cast.admin)
    refused = "years ago: a record that old is past its retention date and cannot be imported"
    assert sorted((e.column, e.message) for e in report.errors) == [
        ("consent_date", f"The consent date is more than 25 {refused}"),
        ("referral_received", f"The date the referral was received is more than 25 {refused}"),
    ]
    assert not Referral.objects.exists()


def test_a_record_just_within_the_retention_period_is_imported(cast):
    with time_machine.travel(date(2026, 12, 7), tick=False):
        row = one_to_one(
            cast, referral_received="2001-12-07", consent_date="2001-12-07", assessment_agreed_on="2001-12-10"
        )
        report = run(csv_bytes([row]), cast.admin)
    assert not report.errors, [str(e) for e in report.errors]
    assert Assessment.objects.get().agreed_on == date(2001, 12, 10)
