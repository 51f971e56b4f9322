"""Issue #17 item 3: the returns use the corrected values — a referral's corrected source and received date, a fund
payment's corrected amount and category — and a timescale's cohort does not move once its due date has passed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from referrals import corrections as referral_corrections
from reporting.figures import computed_figures
from reporting.periods import MONTHLY, period_containing
from support_fund import corrections as fund_corrections
from support_fund import services as fund_services
from tests.referrals.factories import received_referral
from tests.support_fund.factories import application, budget, family_in_support

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


def county_value(period, code, label):
    figures = computed_figures(period)
    table = next(k for s in figures["sections"] for k in s["kpis"] if k["code"] == code)
    return next(row for row in table["rows"] if row["label"] == label)["values"]["County"]


def amend_referral(referral, actor, **overrides):
    fields = {
        name: getattr(referral, name)
        for name in (*referral_corrections.REFERRER_FIELDS, *referral_corrections.DETAIL_FIELDS)
    }
    kwargs = {
        "reason": "Wrong answer",
        "received_on": timezone.localtime(referral.received_at).date(),
        "reasons": list(referral.reasons.all()),
        "as_referred": None,
        **fields,
        **overrides,
    }
    return referral_corrections.referral_amend(referral=referral, actor=actor, **kwargs)


def test_referrals_by_source_count_the_corrected_source_and_received_month(cast):
    june = period_containing(MONTHLY, date(2026, 6, 10))
    may = period_containing(MONTHLY, date(2026, 5, 29))
    referral = received_referral(team=cast.team, actor=cast.worker)
    assert county_value(june, "referrals_by_source", "Health visitor") == 1
    amend_referral(referral, cast.worker, source="gp", reason="It was the GP who rang")
    assert county_value(june, "referrals_by_source", "Health visitor") == 0
    assert county_value(june, "referrals_by_source", "GP") == 1
    referral.refresh_from_db()
    amend_referral(referral, cast.worker, received_on=date(2026, 5, 29), reason="Email found late")
    assert county_value(june, "referrals_by_source", "GP") == 0
    assert county_value(may, "referrals_by_source", "GP") == 1


def test_a_triage_cohort_that_has_fallen_due_does_not_move_with_a_corrected_received_date(cast, _clock):
    referral = received_referral(team=cast.team, actor=cast.worker)  # triage due Monday 15 June
    _clock.move_to(datetime(2026, 7, 2, 10, 0, tzinfo=LONDON))  # still untriaged in July
    june = period_containing(MONTHLY, date(2026, 6, 15))
    assert county_value(june, "triaged_within_timescale", "Triaged on time") is not None
    before = computed_figures(june)
    amend_referral(referral, cast.worker, received_on=date(2026, 6, 30), reason="Wrong month")
    referral.refresh_from_db()
    assert referral.triage_due == date(2026, 6, 15)  # June measured it: it stays in June's cohort
    timescales = [
        k for s in computed_figures(june)["sections"] for k in s["kpis"] if k["code"] == "triaged_within_timescale"
    ]
    assert timescales == [k for s in before["sections"] for k in s["kpis"] if k["code"] == "triaged_within_timescale"]


def test_fund_figures_use_a_paid_payments_corrected_amount_and_category(cast):
    june = period_containing(MONTHLY, date(2026, 6, 10))
    family = family_in_support(cast)
    budget(cast, "1000")
    app = fund_services.application_approve(application=application(cast, family, amount="40.00"), actor=cast.manager)
    app = fund_services.application_record_payment(
        application=app, paid_on=date(2026, 6, 10), reference="PAY-1", actor=cast.manager
    )
    assert county_value(june, "fund_payments_by_category", "Food") == "40.00"
    fund_corrections.application_amend(
        application=app,
        actor=cast.manager,
        reason="Bank statement: it was nappies",
        amount="36.20",
        category="essentials",
        delivery=app.delivery,
        supplier=app.supplier,
        paid_on=app.paid_on,
        payment_reference=app.payment_reference,
    )
    assert county_value(june, "fund_payments_by_category", "Food") == "0.00"
    assert county_value(june, "fund_payments_by_category", "Essential household or baby items") == "36.20"
