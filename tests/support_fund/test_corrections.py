"""Issue #17 item 3, the family support fund: an application's amount and details, and a paid one's payment, are
corrected with a reason within its state's rules; the original is kept and shown, the correction audited; the
budget's money moves with the amount, and a correction never gets round the approval limits."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from support_fund import corrections, services
from support_fund.models import Application, Budget
from tests.support_fund.factories import application, budget, family_in_support

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")
Status = Application.Status


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


@pytest.fixture
def family(cast):
    return family_in_support(cast)


@pytest.fixture
def county(cast):
    return budget(cast, "1000")


def amend(app, actor, **overrides):
    fields = {
        "reason": "Typing mistake",
        "amount": app.amount,
        "category": app.category,
        "delivery": app.delivery,
        "supplier": app.supplier,
        "paid_on": app.paid_on,
        "payment_reference": app.payment_reference,
    }
    fields.update(overrides)
    return corrections.application_amend(application=app, actor=actor, **fields)


def approved(cast, family, amount="40.00"):
    app = application(cast, family, amount=amount)
    return services.application_approve(application=app, actor=cast.manager)


def paid(cast, family, amount="40.00"):
    app = approved(cast, family, amount)
    return services.application_record_payment(
        application=app, paid_on=date(2026, 6, 10), reference="PAY-001", actor=cast.manager
    )


def form_data(app, **overrides):
    data = {
        "amount": str(app.amount),
        "category": app.category,
        "delivery": app.delivery,
        "supplier": app.supplier,
        "reason": "Typing mistake",
    }
    if app.paid_on:
        data.update(
            {
                "paid_on_day": app.paid_on.day,
                "paid_on_month": app.paid_on.month,
                "paid_on_year": app.paid_on.year,
                "payment_reference": app.payment_reference,
            }
        )
    data.update(overrides)
    return data


def test_the_applicant_corrects_a_submitted_application_and_the_original_is_kept_shown_and_audited(
    client, cast, family
):
    app = application(cast, family)
    client.force_login(cast.worker)
    url = reverse("fund-correct", args=[app.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url, form_data(app, amount="35.50", delivery="supplier", supplier="Tesco", reason="Voucher cost less")
    )
    assert response.status_code == 302, response.context["form"].errors
    app.refresh_from_db()
    assert (app.amount, app.delivery, app.supplier, app.status) == (
        Decimal("35.50"),
        "supplier",
        "Tesco",
        Status.SUBMITTED,
    )
    assert app.history.earliest().amount == Decimal("40.00")
    event = AuditEvent.objects.get(action=AuditAction.FUND_AMENDED)
    assert event.actor == cast.worker and event.changes["amount"] == {"old": "40.00", "new": "35.50"}
    page = client.get(response.url).content.decode()
    assert f"by {cast.worker.get_full_name()}: Voucher cost less" in page
    assert "was £40.00; now £35.50" in page
    assert "was Supermarket voucher; now Direct payment to a supplier" in page


def test_a_reason_is_required_and_nothing_changed_is_refused(client, cast, family):
    app = application(cast, family)
    client.force_login(cast.worker)
    url = reverse("fund-correct", args=[app.uuid])
    no_reason = client.post(url, form_data(app, amount="30", reason=""))
    assert no_reason.status_code == 400
    assert "Say why the application is being corrected" in no_reason.content.decode()
    unchanged = client.post(url, form_data(app, amount="40"))
    assert unchanged.status_code == 400
    assert "Nothing was changed: correct at least one answer" in unchanged.content.decode()
    supplier = client.post(url, form_data(app, delivery="supplier", supplier=""))
    assert "Enter the supplier" in supplier.content.decode()
    app.refresh_from_db()
    assert app.amount == Decimal("40.00") and app.history.count() == 2


def test_a_lower_approved_amount_gives_the_difference_back_to_the_budget(cast, family, county):
    app = approved(cast, family)
    amend(app, cast.worker, amount="25.00", reason="The voucher cost less")
    app.refresh_from_db()
    county.refresh_from_db()
    assert (app.status, app.amount, county.committed_amount) == (Status.APPROVED, Decimal("25.00"), Decimal("25.00"))


def test_a_higher_approved_amount_goes_back_for_a_decision_with_the_limits_checked_again(cast, family, county):
    app = approved(cast, family)  # £40, well within the £250 a payment
    amend(app, cast.worker, amount="300.00", reason="The cooker costs more")
    app.refresh_from_db()
    county.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert (app.budget, app.approved_by, app.approved_at) == (None, None, None)
    assert county.committed_amount == Decimal("0.00")  # the approved £40 is back in the budget
    assert app.events.last().from_status == Status.APPROVED and "back for a decision" in app.events.last().note
    assert not corrections.can_correct_application(cast.other_manager, app)
    # The decision is taken again, and £300 is above the limit for one payment: a second approval is needed.
    services.application_approve(application=app, actor=cast.manager)
    app.refresh_from_db()
    assert app.status == Status.AWAITING_SECOND
    county.refresh_from_db()
    assert county.committed_amount == Decimal("0.00")


def test_a_new_amount_awaiting_a_second_approval_goes_back_for_a_first_decision(cast, family, county):
    app = approved(cast, family, amount="300.00")
    assert app.status == Status.AWAITING_SECOND
    amend(app, cast.manager, amount="260.00", reason="Quote revised")
    app.refresh_from_db()
    assert (app.status, app.first_approved_by, app.needs_second_approval) == (Status.SUBMITTED, None, False)


def test_a_manager_corrects_a_payment_and_the_budget_follows(client, cast, _clock):
    _clock.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=LONDON))  # referred, planned and approved on 1 June
    family = family_in_support(cast)
    county = budget(cast, "1000")
    app = approved(cast, family)
    _clock.move_to(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON))
    app = services.application_record_payment(
        application=app, paid_on=date(2026, 6, 10), reference="PAY-001", actor=cast.manager
    )
    client.force_login(cast.manager)
    url = reverse("fund-correct", args=[app.uuid])
    page = client.get(url).content.decode()
    assert "Correct the payment" in page and 'name="payment_reference"' in page
    response = client.post(
        url,
        form_data(app, amount="42.50", paid_on_day="9", payment_reference="PAY-0001", reason="Bank statement"),
    )
    assert response.status_code == 302, response.context["form"].errors
    app.refresh_from_db()
    county.refresh_from_db()
    assert (app.status, app.amount, app.paid_on, app.payment_reference) == (
        Status.PAID,
        Decimal("42.50"),
        date(2026, 6, 9),
        "PAY-0001",
    )
    assert (county.committed_amount, county.paid_amount) == (Decimal("42.50"), Decimal("42.50"))
    # A correction is no step in the application's history of states: it is listed apart, as a correction.
    assert [event.to_status for event in app.events.all()] == [Status.SUBMITTED, Status.APPROVED, Status.PAID]
    page = client.get(response.url).content.decode()
    assert "was 10 June 2026; now 9 June 2026" in page and "was PAY-001; now PAY-0001" in page


def test_the_applicant_cannot_correct_a_payment(client, cast, family, county):
    app = paid(cast, family)
    client.force_login(cast.worker)
    assert client.get(reverse("fund-correct", args=[app.uuid])).status_code == 403
    assert "Correct the payment" not in client.get(reverse("fund-application", args=[app.uuid])).content.decode()
    with pytest.raises(ApplicationError, match="did not apply"):
        amend(app, cast.worker, amount="20.00")


def test_a_paid_amount_above_the_limits_is_refused(cast, family, county):
    app = paid(cast, family)
    with pytest.raises(ApplicationError, match="would have needed a second approval"):
        amend(app, cast.manager, amount="260.00")
    app.refresh_from_db()
    county.refresh_from_db()
    assert (app.amount, county.committed_amount, county.paid_amount) == (Decimal("40.00"),) * 3


def test_a_paid_amount_the_budget_cannot_take_is_refused(cast, family):
    small = budget(cast, "50")
    app = paid(cast, family)
    with pytest.raises(ApplicationError, match="cannot take the extra £20.00"):
        amend(app, cast.manager, amount="60.00")
    small.refresh_from_db()
    assert small.committed_amount == Decimal("40.00")


@pytest.mark.parametrize(
    ("paid_on", "message"),
    [
        (date(2026, 6, 11), "The payment date must be today or in the past"),
        (date(2026, 6, 9) - timedelta(days=30), "The payment date must be after the family was first referred"),
    ],
)
def test_payment_dates_that_cannot_be_true_are_refused(cast, family, county, paid_on, message):
    app = paid(cast, family)
    with pytest.raises(ValidationError) as refused:
        amend(app, cast.manager, paid_on=paid_on)
    assert refused.value.message_dict["paid_on"][0].startswith(message)


@pytest.mark.parametrize("end", ["decline", "cancel"])
def test_declined_and_cancelled_applications_cannot_be_corrected(cast, family, county, end):
    app = application(cast, family)
    if end == "decline":
        services.application_decline(application=app, actor=cast.manager, reason="Not for this")
    else:
        services.application_cancel(application=app, actor=cast.manager, reason="No longer needed")
    app.refresh_from_db()
    assert not corrections.can_correct_application(cast.manager, app)
    with pytest.raises(ApplicationError, match="cannot be corrected"):
        amend(app, cast.manager, amount="10.00")


@pytest.mark.parametrize("member", ["colleague", "other_worker", "other_manager", "commissioner", "admin"])
def test_another_teams_application_is_not_found(client, cast, family, member):
    app = application(cast, family)
    client.force_login(getattr(cast, member))
    url = reverse("fund-correct", args=[app.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(app, amount="1.00")).status_code == 404
    app.refresh_from_db()
    assert app.amount == Decimal("40.00")


def test_corrections_are_kept_in_the_budget_not_only_on_the_application(cast, family, county):
    """Every write to the budget row happened in the correction's own transaction: the sums agree."""
    first = paid(cast, family, "40.00")
    second = approved(cast, family, "30.00")
    amend(first, cast.manager, amount="35.00", reason="Refund from the shop")
    amend(second, cast.worker, amount="20.00", reason="Cheaper")
    county = Budget.objects.get(pk=county.pk)
    assert county.committed_amount == Decimal("55.00") and county.paid_amount == Decimal("35.00")
