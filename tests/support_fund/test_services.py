import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from bases.models import Team
from ecfs.errors import ApplicationError
from support_fund import selectors, services
from support_fund.models import Application, Budget, FundLimits
from tests.conftest import build_cast
from tests.referrals.factories import allocated_referral

from .factories import application, budget, family_in_support

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "more than £0"),
        ("-5.00", "more than £0"),
        ("10.005", "fractions of a penny"),
        ("ten pounds", "pounds and pence"),
        ("NaN", "pounds and pence"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_saved(cast, amount, message):
    family = family_in_support(cast)
    with pytest.raises(ValidationError, match=message):
        application(cast, family, amount=amount)
    assert not Application.objects.exists()


def test_family_without_an_active_plan_cannot_apply(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    with pytest.raises(ApplicationError, match="no active support plan"):
        application(cast, family)
    assert not Application.objects.exists()


def test_worker_cannot_apply_for_a_family_they_may_not_see(cast):
    family = family_in_support(cast)
    with pytest.raises(ApplicationError, match="only apply for families you work with"):
        services.application_create(
            family=family, actor=cast.colleague, category="food", amount="10", justification="x", delivery="voucher"
        )


def test_applicant_cannot_approve_their_own(cast):
    family = family_in_support(cast)
    budget(cast, "1000")
    mine = services.application_create(
        family=family, actor=cast.manager, category="food", amount="20", justification="x", delivery="voucher"
    )
    with pytest.raises(ApplicationError, match="cannot decide on your own application"):
        services.application_approve(application=mine, actor=cast.manager)
    assert Application.objects.get().status == Application.Status.SUBMITTED


def test_money_is_exact_and_approval_commits_it(cast):
    family = family_in_support(cast)
    county = budget(cast, "100.00")
    one = application(cast, family, amount="33.33")
    two = application(cast, family, amount="33.34")
    for app in (one, two):
        services.application_approve(application=app, actor=cast.manager)
    county.refresh_from_db()
    assert county.committed_amount == Decimal("66.67")
    assert county.remaining_amount == Decimal("33.33")


def test_over_the_payment_limit_needs_a_second_different_manager(cast):
    family = family_in_support(cast)
    budget(cast, "1000")
    big = application(cast, family, amount="300.00")
    services.application_approve(application=big, actor=cast.manager)
    big.refresh_from_db()
    assert big.status == Application.Status.AWAITING_SECOND
    assert Budget.objects.get().committed_amount == 0
    with pytest.raises(ApplicationError, match="different team manager"):
        services.application_approve(application=big, actor=cast.manager)
    deputy = build_deputy(cast)
    services.application_approve(application=big, actor=deputy)
    big.refresh_from_db()
    assert big.status == Application.Status.APPROVED
    assert Budget.objects.get().committed_amount == Decimal("300.00")


def build_deputy(cast):
    from ecfs.roles import Role
    from tests.factories import UserFactory

    deputy = UserFactory(role=Role.MANAGER, email="deputy@example.org")
    Team.objects.create(name="Team A deputies", base=cast.team.base, manager=deputy)
    return deputy


def test_a_manager_from_another_base_in_the_district_can_give_the_second_approval(cast):
    from bases.models import Base
    from ecfs.roles import Role
    from tests.factories import UserFactory

    family = family_in_support(cast)
    budget(cast, "1000")
    big = application(cast, family, amount="300.00")
    services.application_approve(application=big, actor=cast.manager)
    other_base = Base.objects.filter(district=family.district).exclude(pk=family.base_id).first()
    neighbour = UserFactory(role=Role.MANAGER, email="neighbour@example.org")
    Team.objects.create(name="Neighbouring team", base=other_base, manager=neighbour)
    assert big in selectors.application_list(user=neighbour)
    services.application_approve(application=big, actor=neighbour)
    big.refresh_from_db()
    assert big.status == Application.Status.APPROVED
    # A manager elsewhere in the county cannot.
    small = application(cast, family, amount="10.00")
    with pytest.raises(ApplicationError, match="family's base"):
        services.application_approve(application=small, actor=cast.other_manager)


def test_pennies_add_up_exactly_on_every_database(cast):
    family = family_in_support(cast)
    county = budget(cast, "0.30")
    FundLimits.objects.update_or_create(pk=1, defaults={"max_per_family_12_months": Decimal("10000.00")})
    made = [application(cast, family, amount="0.10") for _ in range(3)]
    for app in made:
        services.application_approve(application=app, actor=cast.manager)
        services.application_record_payment(
            application=app, paid_on=timezone.localdate(), reference=f"P{app.pk}", actor=cast.manager
        )
    county.refresh_from_db()
    assert county.committed_amount == county.paid_amount == county.total_amount == Decimal("0.30")


def test_family_twelve_month_limit_counts_earlier_payments(cast):
    family = family_in_support(cast)
    budget(cast, "2000")
    FundLimits.objects.update_or_create(pk=1, defaults={"max_per_family_12_months": Decimal("100.00")})
    first = application(cast, family, amount="80.00")
    services.application_approve(application=first, actor=cast.manager)
    second = application(cast, family, amount="30.00")
    services.application_approve(application=second, actor=cast.manager)
    second.refresh_from_db()
    assert second.status == Application.Status.AWAITING_SECOND
    assert "over the £100.00 limit" in services.over_limit_reasons(second)[0]


def test_approval_beyond_the_remaining_budget_is_refused(cast):
    family = family_in_support(cast)
    budget(cast, "50.00")
    app = application(cast, family, amount="60.00")
    with pytest.raises(ApplicationError, match="Not enough money left"):
        services.application_approve(application=app, actor=cast.manager)
    assert Application.objects.get().status == Application.Status.SUBMITTED
    assert Budget.objects.get().committed_amount == 0


def test_district_budget_is_used_before_the_county_budget(cast):
    family = family_in_support(cast)
    county = budget(cast, "500")
    district = budget(cast, "50", district=family.district)
    app = application(cast, family, amount="40")
    services.application_approve(application=app, actor=cast.manager)
    assert Application.objects.get().budget == district
    app2 = application(cast, family, amount="40")
    services.application_approve(application=app2, actor=cast.manager)
    assert Application.objects.get(pk=app2.pk).budget == county


def test_database_refuses_an_overspent_budget(cast):
    county = budget(cast, "10.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=county.pk).update(committed_amount=Decimal("10.01"))


def test_payment_recorded_twice_is_recorded_once_and_cancel_returns_money(cast):
    family = family_in_support(cast)
    county = budget(cast, "100")
    app = application(cast, family, amount="25")
    services.application_approve(application=app, actor=cast.manager)
    today = timezone.localdate()
    services.application_record_payment(application=app, paid_on=today, reference="PAY-1", actor=cast.manager)
    services.application_record_payment(application=app, paid_on=today, reference="PAY-1", actor=cast.manager)
    county.refresh_from_db()
    assert county.paid_amount == Decimal("25.00")
    assert app.events.filter(to_status="paid").count() == 1
    with pytest.raises(ApplicationError, match="already paid"):
        services.application_record_payment(application=app, paid_on=today, reference="PAY-2", actor=cast.manager)

    other = application(cast, family, amount="30")
    services.application_approve(application=other, actor=cast.manager)
    services.application_cancel(application=other, actor=cast.manager, reason="Family got help elsewhere")
    county.refresh_from_db()
    assert county.committed_amount == Decimal("25.00")
    assert [e.to_status for e in other.events.all()] == ["submitted", "approved", "cancelled"]


def test_budget_cannot_be_cut_below_what_is_committed(cast):
    family = family_in_support(cast)
    county = budget(cast, "100")
    app = application(cast, family, amount="80")
    services.application_approve(application=app, actor=cast.manager)
    with pytest.raises(ApplicationError, match="cannot go below"):
        services.budget_adjust(budget=county, amount="-30", reason="Savings", actor=cast.admin)
    services.budget_adjust(budget=county, amount="-20", reason="Savings", actor=cast.admin)
    county.refresh_from_db()
    assert county.total_amount == Decimal("80.00") and county.adjustments.count() == 2


def test_dashboard_sums_equal_the_rows(cast):
    family = family_in_support(cast)
    budget(cast, "1000")
    budget(cast, "200", source="Charity appeal fund")
    amounts = ["12.34", "56.78", "90.12", "0.99"]
    made = []
    for index, amount in enumerate(amounts):
        app = application(cast, family, amount=amount, category=["food", "travel", "energy", "food"][index])
        services.application_approve(application=app, actor=cast.manager)
        made.append(app)
    services.application_record_payment(
        application=made[0], paid_on=timezone.localdate(), reference="P1", actor=cast.manager
    )
    year = services.financial_year_of(timezone.localdate())
    board = selectors.dashboard(year=year)
    rows = list(selectors.finance_rows(year=year))
    assert board.committed == sum(Decimal(r[3]) for r in rows) == sum(Decimal(a) for a in amounts)
    assert board.paid == Decimal("12.34")
    assert sum(r["committed"] for r in board.by_category) == board.committed
    assert sum(r["committed"] for r in board.by_district) == board.committed
    assert sum(r["committed"] for r in board.by_source) == board.committed
    assert board.remaining == Decimal("1200.00") - board.committed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_ten_concurrent_approvals_against_a_budget_for_three(on_postgres, reference_data, attempt):
    cast = build_cast()
    family = family_in_support(cast)
    FundLimits.objects.update_or_create(pk=1, defaults={"max_per_family_12_months": Decimal("10000.00")})
    county = budget(cast, "300.00")
    applications = [application(cast, family, amount="100.00") for _ in range(10)]
    barrier = threading.Barrier(10)
    outcomes = []

    def approve(app):
        close_old_connections()
        try:
            barrier.wait(timeout=20)
            services.application_approve(application=app, actor=cast.manager)
            outcomes.append("approved")
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(app,)) for app in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("approved") == 3
    refusals = [o for o in outcomes if o != "approved"]
    assert len(refusals) == 7 and all("Not enough money left" in o for o in refusals)
    county.refresh_from_db()
    assert county.committed_amount == Decimal("300.00")
    assert county.remaining_amount >= 0
    assert Application.objects.filter(status="approved").count() == 3
