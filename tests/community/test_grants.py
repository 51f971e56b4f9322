"""Community grants: staff-entered applications, scored against the need of the place, approved within a budget
that can never be overspent, paid, and monitored."""

import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from bases.models import Locality
from community import scoring, services
from community.models import GrantApplication, GrantBudget
from ecfs.errors import ApplicationError
from tests.conftest import build_cast

from .factories import community_group, grant_application

pytestmark = pytest.mark.django_db


def this_year() -> int:
    return services.financial_year_of(timezone.localdate())


def budget_of(cast, amount) -> GrantBudget:
    return services.grant_budget_adjust(financial_year=this_year(), amount=amount, reason="Committee", actor=cast.admin)


def assessed(cast, **overrides) -> GrantApplication:
    application = grant_application(cast, **overrides)
    return services.grant_assess(application=application, actor=cast.manager, quality_points=7)


def test_the_score_follows_the_need_of_the_place(cast):
    top = Locality.objects.filter(is_other=False).order_by("-need_index").first()
    low = Locality.objects.filter(is_other=False).order_by("need_index").first()
    high_need = scoring.place_points(locality=top, rural=False)
    low_need = scoring.place_points(locality=low, rural=True)

    assert high_need.need == scoring.NEED_MAX and low_need.need == 0
    assert low_need.rural == scoring.RURAL_POINTS and high_need.rural == 0
    assert high_need.gap == scoring.GAP_NONE  # no running group there yet


def test_a_running_group_closes_the_gap(cast):
    locality = Locality.objects.filter(district=cast.team.base.district, is_other=False).order_by("name").first()
    before = scoring.place_points(locality=locality, rural=False).gap
    for number in range(3):
        community_group(cast, name=f"Group {number}", locality=locality)
    after = scoring.place_points(locality=locality, rural=False).gap
    assert before == scoring.GAP_NONE and after < before


def test_assessment_keeps_the_points_as_they_stood(cast):
    application = assessed(cast)
    assert application.status == "assessed"
    assert application.score == application.need_points + application.rural_points + application.gap_points + 7


def test_approval_commits_the_money_and_payments_never_exceed_the_grant(cast):
    budget_of(cast, "5000")
    application = assessed(cast)
    with pytest.raises(ApplicationError, match="other than the person who entered"):
        services.grant_approve(application=application, actor=cast.manager, amount="2000")
    services.grant_approve(application=application, actor=cast.other_manager, amount="2000")
    budget = GrantBudget.objects.get()
    assert budget.committed_amount == Decimal("2000.00")

    today = timezone.localdate()
    services.grant_record_payment(
        application=application, actor=cast.admin, amount="1500", paid_on=today, reference="P1"
    )
    with pytest.raises(ValidationError, match="Only £500.00"):
        services.grant_record_payment(
            application=application, actor=cast.admin, amount="600", paid_on=today, reference="P2"
        )
    services.grant_record_payment(
        application=application, actor=cast.admin, amount="500", paid_on=today, reference="P2"
    )
    application.refresh_from_db()
    budget.refresh_from_db()
    assert application.status == "paid" and budget.paid_amount == Decimal("2000.00")

    services.grant_record_monitoring(
        application=application, actor=cast.manager, period_end=today, families_reached=14, sessions_held=10
    )
    assert application.monitoring.get().families_reached == 14


def test_approval_beyond_the_budget_is_refused_whole(cast):
    budget_of(cast, "1000")
    application = assessed(cast)
    with pytest.raises(ApplicationError, match="Not enough money left"):
        services.grant_approve(application=application, actor=cast.other_manager, amount="1500")
    application.refresh_from_db()
    assert application.status == "assessed" and GrantBudget.objects.get().committed_amount == 0


def test_withdrawing_an_approved_grant_gives_the_money_back(cast):
    budget_of(cast, "3000")
    application = assessed(cast)
    services.grant_approve(application=application, actor=cast.other_manager, amount="2500")
    services.grant_withdraw(application=application, actor=cast.manager, reason="The group folded")
    assert GrantBudget.objects.get().committed_amount == 0


def test_the_budget_cannot_go_below_what_is_committed(cast):
    budget_of(cast, "3000")
    services.grant_approve(application=assessed(cast), actor=cast.other_manager, amount="2500")
    with pytest.raises(ApplicationError):
        services.grant_budget_adjust(financial_year=this_year(), amount="-1000", reason="Cut", actor=cast.admin)


def test_workers_and_commissioners_do_not_run_grants(client, cast):
    with pytest.raises(PermissionDenied):
        grant_application(cast, actor=cast.worker)
    for user in (cast.worker, cast.commissioner):
        client.force_login(user)
        assert client.get(reverse("community-grant-list")).status_code == 403


def test_the_application_page_names_each_missing_field(client, cast):
    client.force_login(cast.manager)
    response = client.post(reverse("community-grant-new"), {})
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("Enter the name of the group", "Choose what the grant is for", "Enter the amount asked for"):
        assert message in html


def test_a_bad_amount_on_the_decision_is_a_message_not_a_500(client, cast):
    budget_of(cast, "1000")
    application = assessed(cast)
    client.force_login(cast.other_manager)
    response = client.post(
        reverse("community-grant-decide", args=[application.uuid]), {"decision": "approve", "amount": "lots"}
    )
    assert response.status_code == 400
    assert "Enter an amount in pounds and pence" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(2))
def test_ten_concurrent_approvals_never_overspend_the_budget(on_postgres, reference_data, attempt):
    cast = build_cast()
    services.grant_budget_adjust(financial_year=this_year(), amount="3000", reason="Committee", actor=cast.admin)
    applications = [
        services.grant_assess(
            application=grant_application(cast, group_name=f"Group {number}"), actor=cast.manager, quality_points=5
        )
        for number in range(10)
    ]
    barrier = threading.Barrier(10)
    outcomes = []

    def approve(application):
        close_old_connections()
        try:
            barrier.wait(timeout=20)
            services.grant_approve(application=application, actor=cast.other_manager, amount="1000")
            outcomes.append("approved")
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(application,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("approved") == 3
    refusals = [outcome for outcome in outcomes if outcome != "approved"]
    assert len(refusals) == 7 and all("Not enough money left" in outcome for outcome in refusals)
    budget = GrantBudget.objects.get()
    assert budget.committed_amount == Decimal("3000.00") == budget.total_amount
    assert GrantApplication.objects.filter(status="approved").count() == 3


@time_machine.travel("2026-05-12 10:00 +0100", tick=False)
def test_a_monitoring_return_cannot_run_up_to_a_day_before_the_grant_was_approved(client, cast):
    budget_of(cast, "5000")
    application = assessed(cast)
    services.grant_approve(application=application, actor=cast.other_manager, amount="2000")
    client.force_login(cast.manager)
    response = client.post(
        reverse("community-grant-monitoring", args=[application.uuid]),
        {
            "period_end_day": "11",
            "period_end_month": "5",
            "period_end_year": "2026",
            "families_reached": "9",
            "sessions_held": "4",
        },
    )

    assert response.status_code == 400
    assert "The return must run up to the day the grant was approved (12 May 2026) or later" in (
        response.content.decode()
    )
    assert not application.monitoring.exists()


LONG = "x" * 2001


@pytest.mark.parametrize(
    ("page", "data", "message"),
    [
        ("community-grant-assess", {"quality_points": "5", "notes": LONG}, "Assessment notes must be 2,000"),
        ("community-grant-decide", {"decision": "decline", "reason": LONG}, "The reason must be 2,000"),
        ("community-grant-withdraw", {"reason": LONG}, "Why it is withdrawn must be 2,000"),
    ],
    ids=["assessment-notes", "decision-reason", "withdrawal-reason"],
)
def test_too_long_text_on_an_application_is_refused_and_changes_nothing(client, cast, page, data, message):
    application = grant_application(cast)
    client.force_login(cast.other_manager)
    response = client.post(reverse(page, args=[application.uuid]), data)

    assert response.status_code == 400
    assert f"{message} characters or fewer" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "received" and application.assessment_notes == ""


def test_an_application_with_too_long_a_description_is_refused(client, cast):
    district = cast.team.base.district
    client.force_login(cast.manager)
    response = client.post(
        reverse("community-grant-new"),
        {
            "group_name": "Yarmouth Mums Together",
            "organisation": "Yarmouth Mums Together CIC",
            "contact_name": "Dee Organiser",
            "purpose": "new_group",
            "description": LONG,
            "district": district.slug,
            "locality": Locality.objects.filter(district=district, is_other=False).order_by("name").first().name,
            "families_expected": "20",
            "amount_requested": "2500",
        },
    )

    assert response.status_code == 400
    assert "What the money will pay for must be 2,000 characters or fewer" in response.content.decode()
    assert not GrantApplication.objects.exists()
