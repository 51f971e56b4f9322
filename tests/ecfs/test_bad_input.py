"""Bad input is never a 500: NUL bytes anywhere in a request, absurd budget amounts, unmatched API paths."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from support_fund import services as fund_services
from support_fund.models import Application, Budget, BudgetAdjustment
from tests.support_fund.factories import budget, family_in_support

pytestmark = pytest.mark.django_db

NUL = "\x00"

# (signed-in member of the cast, URL name, query parameter)
FILTERS = [
    ("worker", "venue-list", "district"),
    ("worker", "venue-list", "role"),
    ("worker", "family-list", "q"),
    ("manager", "triage-queue", "district"),
    ("manager", "triage-queue", "base"),
    ("manager", "triage-queue", "source"),
    ("manager", "triage-queue", "urgency"),
    ("manager", "triage-queue", "status"),
    ("manager", "triage-queue", "sort"),
    ("admin", "audit-search", "action"),
]


@pytest.mark.parametrize(("member", "name", "param"), FILTERS, ids=[f"{n}?{p}" for _, n, p in FILTERS])
def test_nul_byte_in_a_filter_answers_400_not_500(client, cast, member, name, param):
    client.force_login(getattr(cast, member))
    response = client.get(reverse(name), {param: f"ab{NUL}c"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your request could not be read" in page
    assert "There is a problem" in page


def test_nul_byte_in_a_parameter_name_answers_400(client, cast):
    client.force_login(cast.worker)
    assert client.get(f"{reverse('family-list')}?q%00=x").status_code == 400


def test_nul_byte_in_the_path_answers_400_not_500(client, cast):
    client.force_login(cast.worker)
    assert client.get("/families/ab%00c/").status_code == 400


def test_nul_byte_in_a_posted_form_field_answers_400_and_changes_nothing(client, cast):
    client.force_login(cast.admin)
    council = fund_services.FundSource.objects.get(name="Council allocation")
    response = client.post(
        reverse("fund-budgets"), {"financial_year": "2026", "source": council.pk, "amount": f"100{NUL}"}
    )
    assert response.status_code == 400
    assert "Your request could not be read" in response.content.decode()
    assert not Budget.objects.exists()


def test_nul_byte_in_the_api_answers_the_json_error_shape(client, cast):
    client.force_login(cast.worker)
    response = client.get(reverse("api-referral-list"), {"district": f"north{NUL}"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"district": ["Remove the null character (\\0) from this value."]}


def test_a_clean_request_still_passes(client, cast):
    client.force_login(cast.manager)
    assert client.get(reverse("triage-queue"), {"district": "nowhere", "urgency": "x"}).status_code == 200


# Budgets -------------------------------------------------------------------------------------------------


def test_budget_adjustment_above_the_sanity_limit_is_refused_on_the_page(client, cast):
    created = budget(cast, "1000")
    client.force_login(cast.admin)
    response = client.post(reverse("fund-budget-adjust", args=[created.uuid]), {"amount": "1e9", "reason": "Typo"})
    assert response.status_code == 400
    assert "The amount must be £1,000,000.00 or less" in response.content.decode()
    created.refresh_from_db()
    assert created.total_amount == Decimal("1000.00")
    assert BudgetAdjustment.objects.filter(budget=created).count() == 1


def test_new_budget_above_the_sanity_limit_is_refused_on_the_page(client, cast):
    client.force_login(cast.admin)
    council = fund_services.FundSource.objects.get(name="Council allocation")
    response = client.post(
        reverse("fund-budgets"), {"financial_year": "2026", "source": council.pk, "amount": "1000000.01"}
    )
    assert response.status_code == 400
    assert "The amount must be £1,000,000.00 or less" in response.content.decode()
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e9", "The amount must be £1,000,000.00 or less"),
        ("1000000.01", "The amount must be £1,000,000.00 or less"),
        ("-1e9", "The amount taken away must be £1,000,000.00 or less"),
        ("1e30", "The amount must be £1,000,000.00 or less"),
    ],
)
def test_budget_adjust_service_refuses_amounts_above_the_limit(cast, amount, message):
    created = budget(cast, "1000")
    with pytest.raises(ValidationError) as refused:
        fund_services.budget_adjust(budget=created, amount=Decimal(amount), reason="Typo", actor=cast.admin)
    assert refused.value.message_dict == {"amount": [message]}
    created.refresh_from_db()
    assert created.total_amount == Decimal("1000.00")


def test_the_limit_is_a_setting_and_the_limit_itself_is_allowed(cast, settings):
    created = budget(cast, "1000")
    settings.ECFS_FUND_MAX_ADJUSTMENT = Decimal("5000")
    fund_services.budget_adjust(budget=created, amount=Decimal("5000"), reason="Grant", actor=cast.admin)
    with pytest.raises(ValidationError, match="£5,000.00"):
        fund_services.budget_adjust(budget=created, amount=Decimal("5000.01"), reason="Grant", actor=cast.admin)
    created.refresh_from_db()
    assert created.total_amount == Decimal("6000.00")


def test_budget_never_grows_past_what_the_database_holds(cast, settings):
    created = budget(cast, "1000")
    settings.ECFS_FUND_MAX_ADJUSTMENT = Decimal("9999999999.99")
    with pytest.raises(ValidationError) as refused:
        fund_services.budget_adjust(budget=created, amount=Decimal("9999999000"), reason="Grant", actor=cast.admin)
    assert refused.value.message_dict == {"amount": ["A budget cannot hold more than £9,999,999,999.99"]}
    created.refresh_from_db()
    assert created.total_amount == Decimal("1000.00")


@pytest.mark.parametrize("amount", ["Infinity", "-Infinity", "NaN"])
def test_budget_adjustment_that_is_not_a_number_is_refused(cast, amount):
    created = budget(cast, "1000")
    with pytest.raises(ValidationError, match="Enter an amount in pounds and pence"):
        fund_services.budget_adjust(budget=created, amount=amount, reason="Typo", actor=cast.admin)


@pytest.mark.parametrize("amount", ["1e9", "1e30", "1E+400"])
def test_a_fund_application_for_an_absurd_amount_is_refused_on_the_page(client, cast, amount):
    family = family_in_support(cast)
    client.force_login(cast.worker)
    response = client.post(
        reverse("fund-apply", args=[family.reference]),
        {"category": "food", "amount": amount, "justification": "Food", "delivery": "voucher"},
    )
    assert response.status_code == 400
    assert "The amount must be £10,000.00 or less" in response.content.decode()
    assert not Application.objects.exists()


# API paths -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/contacts/0.5/", "/api/families/x.json", "/api/nothing-here/", "/api/"])
def test_unmatched_api_path_answers_the_json_404(client, cast, path):
    client.force_login(cast.worker)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "not_found", "message": "No API endpoint or record at this address.", "fields": {}}
    }


def test_unmatched_page_still_answers_the_html_404(client, cast):
    client.force_login(cast.worker)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
