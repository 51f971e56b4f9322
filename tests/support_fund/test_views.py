import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from support_fund.models import Application, Budget

from .factories import application, budget, family_in_support

pytestmark = pytest.mark.django_db


def test_worker_applies_and_manager_approves_and_pays_through_the_pages(client, cast):
    family = family_in_support(cast)
    budget(cast, "500")
    client.force_login(cast.worker)
    page = client.get(reverse("fund-apply", args=[family.reference])).content.decode()
    assert "Goals it supports" in page
    response = client.post(
        reverse("fund-apply", args=[family.reference]),
        {
            "category": "essentials",
            "amount": "£64.99",
            "justification": "Cot and bedding for the new baby",
            "delivery": "supplier",
            "supplier": "Argos",
        },
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.amount == Decimal("64.99") and app.status == Application.Status.SUBMITTED

    # The applicant's own page offers no decision.
    assert "Record decision" not in client.get(reverse("fund-application", args=[app.uuid])).content.decode()
    assert client.post(reverse("fund-decide", args=[app.uuid]), {"decision": "approve"}).status_code == 403

    client.force_login(cast.manager)
    assert app.reference in client.get(reverse("fund-home")).content.decode()
    assert client.post(reverse("fund-decide", args=[app.uuid]), {"decision": "approve"}).status_code == 302
    today = timezone.localdate()
    pay = {"paid_on_day": today.day, "paid_on_month": today.month, "paid_on_year": today.year, "reference": "BACS-77"}
    assert client.post(reverse("fund-pay", args=[app.uuid]), pay).status_code == 302
    assert client.post(reverse("fund-pay", args=[app.uuid]), pay).status_code == 302  # a retried request
    app.refresh_from_db()
    assert app.status == Application.Status.PAID and app.events.filter(to_status="paid").count() == 1
    assert Budget.objects.get().paid_amount == Decimal("64.99")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "0"}, "more than £0"),
        ({"amount": "-3"}, "more than £0"),
        ({"amount": "1.234"}, "fractions of a penny"),
        ({"delivery": "supplier", "supplier": ""}, "Enter the supplier"),
        ({"justification": ""}, "Explain how this helps"),
    ],
)
def test_bad_applications_show_a_message_and_save_nothing(client, cast, data, message):
    family = family_in_support(cast)
    client.force_login(cast.worker)
    post = {"category": "food", "amount": "20", "justification": "Food", "delivery": "voucher", **data}
    response = client.post(reverse("fund-apply", args=[family.reference]), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_decline_needs_a_reason_and_approval_beyond_budget_is_refused_on_the_page(client, cast):
    family = family_in_support(cast)
    budget(cast, "10")
    app = application(cast, family, amount="20")
    client.force_login(cast.manager)
    response = client.post(reverse("fund-decide", args=[app.uuid]), {"decision": "decline"})
    assert response.status_code == 400 and "Give the reason for declining" in response.content.decode()
    response = client.post(reverse("fund-decide", args=[app.uuid]), {"decision": "approve"})
    assert response.status_code == 400 and "Not enough money left" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED


def test_dashboard_and_finance_csv_match_and_hold_no_names(client, cast):
    family = family_in_support(cast)
    budget(cast, "1000")
    for amount in ("10.10", "20.20"):
        app = application(cast, family, amount=amount)
        from support_fund import services

        services.application_approve(application=app, actor=cast.manager)
    client.force_login(cast.manager)
    html = client.get(reverse("fund-dashboard")).content.decode()
    assert "£30.30" in html and "£969.70" in html
    body = b"".join(client.get(reverse("fund-export")).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "reference" and len(rows) == 3
    assert sum(Decimal(row[3]) for row in rows[1:]) == Decimal("30.30")
    for person in family.members.all():
        assert person.last_name not in body
    assert family.postcode not in body


def test_admin_creates_and_adjusts_budgets_with_recorded_entries(client, cast):
    client.force_login(cast.admin)
    year = timezone.localdate().year
    from support_fund.models import FundSource

    council = FundSource.objects.get(name="Council allocation")
    response = client.post(reverse("fund-budgets"), {"financial_year": year, "source": council.pk, "amount": "184000"})
    assert response.status_code == 302
    created = Budget.objects.get(source=council)
    again = client.post(reverse("fund-budgets"), {"financial_year": year, "source": council.pk, "amount": "5"})
    assert again.status_code == 400 and "already exists" in again.content.decode()
    response = client.post(reverse("fund-budget-adjust", args=[created.uuid]), {"amount": "-49000.005", "reason": "x"})
    assert response.status_code == 400 and "fractions of a penny" in response.content.decode()
    response = client.post(reverse("fund-budget-adjust", args=[created.uuid]), {"amount": "9000", "reason": "Appeal"})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.total_amount == Decimal("193000.00") and created.adjustments.count() == 2
