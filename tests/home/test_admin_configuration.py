"""The service admin's everyday configuration pages (#17 item 11): staff, fund limits, KPI targets, budget
actuals and venue accessibility."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bases.models import Team
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.roles import Role, has_role
from reporting.kpis import REGISTRY
from reporting.models import BudgetActual, ContractBudgetLine, KpiTarget
from support_fund.models import FundLimits
from tests.referrals.factories import allocated_referral

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a long new password 2026"


def add_worker(client, cast, **overrides):
    data = {
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": "Nia.Okafor@example.org",
        "role": Role.WORKER.value,
        "team": cast.team.pk,
        **overrides,
    }
    return client.post(reverse("staff-add"), data)


def set_password_link(page: str) -> str:
    return re.search(r'id="set-password-link">https?://[^/]+([^<]+)<', page).group(1)


def test_add_a_worker_on_one_page_then_the_link_works_once_and_they_sign_in(client, cast):
    # force_login passes two-factor for the admin (tests/conftest.py); the worker signs in with the password.
    client.force_login(cast.admin)
    response = add_worker(client, cast)
    assert response.status_code == 302
    worker = User.objects.get(email="nia.okafor@example.org")
    assert has_role(worker, Role.WORKER)
    assert worker.staff_profile.team == cast.team
    assert not worker.has_usable_password()
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_ADDED, object_id=str(worker.pk)).exists()

    added = client.get(response.url)
    page = added.content.decode()
    assert "Send this link to nia.okafor@example.org" in page and "It works once, for 3 days" in page
    link = set_password_link(page)
    # Shown once: the page again no longer holds it.
    again = client.get(response.url).content.decode()
    assert 'id="set-password-link"' not in again and "The link has already been shown" in again

    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "Choose your password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    too_short = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert too_short.status_code == 400
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("login")

    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()

    signed_in = client.post(reverse("login"), {"username": "nia.okafor@example.org", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("home")).context["user"] == worker


def test_a_duplicate_email_is_refused_and_nothing_is_saved(client, cast):
    client.force_login(cast.admin)
    before = User.objects.count()
    response = add_worker(client, cast, email=cast.worker.email.upper())
    assert response.status_code == 400
    assert "There is already an account with this email address" in response.content.decode()
    assert User.objects.count() == before


def test_a_worker_needs_a_team(client, cast):
    client.force_login(cast.admin)
    response = add_worker(client, cast, team="")
    assert response.status_code == 400
    assert "Select the team the family support worker works in" in response.content.decode()
    assert not User.objects.filter(email="nia.okafor@example.org").exists()


def test_a_new_manager_manages_a_team_without_one_and_is_refused_a_managed_team(client, cast):
    client.force_login(cast.admin)
    refused = add_worker(client, cast, role=Role.MANAGER.value)
    assert refused.status_code == 400
    assert "Team A already has a team manager, Rosie Goodwin" in refused.content.decode()
    empty = Team.objects.create(name="Team C", base=cast.team.base)
    assert add_worker(client, cast, role=Role.MANAGER.value, team=empty.pk).status_code == 302
    empty.refresh_from_db()
    assert empty.manager.email == "nia.okafor@example.org"


def test_the_staff_list_shows_role_team_and_two_factor(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("staff-list")).content.decode()
    assert cast.worker.email in page and "Family support worker" in page and "Team A" in page


def test_deactivate_warns_of_open_allocations_and_stops_sign_in(client, cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    client.force_login(cast.admin)
    page = client.get(reverse("staff-deactivate", args=[cast.worker.pk])).content.decode()
    assert referral.family.reference in page and "ask their team manager to reallocate" in page
    empty = client.post(reverse("staff-deactivate", args=[cast.worker.pk]), {"reason": ""})
    assert empty.status_code == 400
    cast.worker.refresh_from_db()
    assert cast.worker.is_active
    done = client.post(reverse("staff-deactivate", args=[cast.worker.pk]), {"reason": "Left on 31 March"})
    assert done.status_code == 302
    cast.worker.refresh_from_db()
    assert not cast.worker.is_active
    assert cast.worker.allocations.filter(ended_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_DEACTIVATED, object_id=str(cast.worker.pk)).exists()
    client.logout()
    from tests.factories import TEST_PASSWORD

    response = client.post(reverse("login"), {"username": cast.worker.email, "password": TEST_PASSWORD})
    assert response.status_code == 200  # the sign-in page again, with an error


def test_reset_two_factor_removes_the_app(client, cast):
    TOTPDevice.objects.create(user=cast.commissioner, name="Authenticator app", confirmed=True)
    client.force_login(cast.admin)
    response = client.post(reverse("staff-two-factor-reset", args=[cast.commissioner.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.commissioner).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_RESET, object_id=str(cast.commissioner.pk)).exists()


def test_fund_limits_saved_and_the_per_payment_amount_cannot_exceed_the_per_family_one(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("fund-limits")).content.decode()
    assert "A second approval is needed above" in page
    refused = client.post(reverse("fund-limits"), {"max_per_payment": "600", "max_per_family_12_months": "500"})
    assert refused.status_code == 400
    assert "cannot be more than the most a family can receive" in refused.content.decode()
    assert FundLimits.current().max_per_payment == Decimal("250.00")
    bad = client.post(reverse("fund-limits"), {"max_per_payment": "lots", "max_per_family_12_months": "500"})
    assert bad.status_code == 400
    saved = client.post(reverse("fund-limits"), {"max_per_payment": "300", "max_per_family_12_months": "750.50"})
    assert saved.status_code == 302
    limits = FundLimits.current()
    assert (limits.max_per_payment, limits.max_per_family_12_months) == (Decimal("300"), Decimal("750.50"))
    assert AuditEvent.objects.filter(action=AuditAction.FUND_LIMITS_CHANGED).exists()


def test_a_kpi_target_is_saved(client, cast):
    kpi = next(k for k in REGISTRY if k.unit == "percent")
    client.force_login(cast.admin)
    url = reverse("kpi-target-edit", args=[kpi.code])
    assert client.post(url, {"direction": "at_least", "value": "150"}).status_code == 400
    assert client.post(url, {"direction": "at_least", "value": "85"}).status_code == 302
    target = KpiTarget.objects.get(code=kpi.code)
    assert (target.direction, target.value) == ("at_least", Decimal("85"))
    assert client.post(url, {"direction": "at_most", "value": "80.5"}).status_code == 302
    target.refresh_from_db()
    assert (target.direction, target.value) == ("at_most", Decimal("80.5"))
    assert "At most 80.5" in client.get(reverse("kpi-targets")).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.KPI_TARGET_CHANGED).count() == 2


def test_budget_actuals_are_saved_per_line_and_quarter(client, cast):
    lines = list(ContractBudgetLine.objects.all()[:2])
    if len(lines) < 2:
        lines = [
            ContractBudgetLine.objects.create(
                name=f"Line {n}",
                position=n,
                childrens_centres_2018_gbp=1,
                childrens_centres_2018_pct=1,
                ecfs_indicative_gbp=1,
                ecfs_indicative_pct=1,
            )
            for n in (1, 2)
        ]
    client.force_login(cast.admin)
    url = reverse("budget-actuals") + "?year=2025&quarter=2"
    bad = client.post(url, {f"line_{lines[0].pk}": "-5"})
    assert bad.status_code == 400
    assert not BudgetActual.objects.exists()
    assert client.post(url, {f"line_{lines[0].pk}": "12500.25", f"line_{lines[1].pk}": ""}).status_code == 302
    actual = BudgetActual.objects.get()
    assert (actual.line, actual.financial_year, actual.quarter, actual.amount) == (
        lines[0],
        2025,
        2,
        Decimal("12500.25"),
    )
    assert 'value="12500.25"' in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.BUDGET_ACTUAL_RECORDED).exists()


def test_venue_accessibility_is_saved_and_shown_where_venues_are_listed(client, cast):
    venue = cast.team.base.venue
    client.force_login(cast.admin)
    url = reverse("venue-assessment", args=[venue.pk])
    answers = {
        "step_free_access": "yes",
        "accessible_toilet": "no",
        "baby_changing": "yes",
        "parking": "unknown",
        "near_public_transport": "yes",
        "hearing_loop": "no",
        "breastfeeding_space": "yes",
        "private_room": "yes",
    }
    incomplete = client.post(url, {**answers, "hearing_loop": ""})
    assert incomplete.status_code == 400
    assert "Answer: is there a hearing loop?" in incomplete.content.decode()
    assert client.post(url, answers).status_code == 302
    venue.refresh_from_db()
    assert venue.step_free_access is True and venue.accessible_toilet is False and venue.parking is None
    assert venue.breastfeeding_space is True and venue.accessibility_assessed_by == cast.admin
    assert venue.accessibility_assessed_on is not None
    client.force_login(cast.worker)
    listed = client.get(reverse("venue-list")).content.decode()
    assert "Breastfeeding space: yes" in listed and "Accessible toilet: no" in listed
    # The Open Referral UK directory publishes the answers of a venue hosting public sessions.
    from venues.directory import location_json

    labels = {a["accessibility"]: a["details"] for a in location_json(venue)["accessibility_for_disabilities"]}
    assert labels["Breastfeeding space"] == "Yes" and labels["Accessible toilet"] == "No"
    assert "Parking" not in labels  # not known: not published
