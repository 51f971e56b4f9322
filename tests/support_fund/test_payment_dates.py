"""A payment cannot be recorded as made before the application was approved (the money was not yet agreed)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from support_fund import services
from support_fund.models import Application

from .factories import application, budget, family_in_support

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def approved_on_20_june(cast):
    """Referred and in support from 10 June 2026, the application approved on 20 June 2026."""
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON), tick=False) as clock:
        family = family_in_support(cast)
        budget(cast, "500")
        app = application(cast, family, amount="40.00")
        clock.move_to(datetime(2026, 6, 20, 10, 0, tzinfo=LONDON))
        services.application_approve(application=app, actor=cast.manager)
        clock.move_to(datetime(2026, 6, 25, 10, 0, tzinfo=LONDON))
        yield app


def test_a_payment_dated_before_the_approval_is_refused(cast, approved_on_20_june):
    with pytest.raises(ValidationError, match=r"on or after the approval \(20 June 2026\)"):
        services.application_record_payment(
            application=approved_on_20_june, paid_on=date(2026, 6, 15), reference="PAY-1", actor=cast.manager
        )
    assert Application.objects.get(pk=approved_on_20_june.pk).status == Application.Status.APPROVED


def test_a_payment_on_the_approval_day_is_recorded(cast, approved_on_20_june):
    paid = services.application_record_payment(
        application=approved_on_20_june, paid_on=date(2026, 6, 20), reference="PAY-1", actor=cast.manager
    )
    assert (paid.status, paid.paid_on) == (Application.Status.PAID, date(2026, 6, 20))


def test_the_payment_form_shows_why_a_date_before_the_approval_is_refused(client, cast, approved_on_20_june):
    client.force_login(cast.manager)
    response = client.post(
        reverse("fund-pay", args=[approved_on_20_june.uuid]),
        {"paid_on_day": "15", "paid_on_month": "6", "paid_on_year": "2026", "reference": "PAY-1"},
    )
    assert response.status_code == 400
    assert "The payment date must be on or after the approval (20 June 2026)" in response.content.decode()
    assert Application.objects.get(pk=approved_on_20_june.pk).status == Application.Status.APPROVED
