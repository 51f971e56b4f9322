"""Restricted records, withheld addresses and legal holds (issue #7, item 4)."""

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bases.models import Base
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from ecfs.roles import Role
from families import services
from families.extracts import pseudonym, pseudonymised_extract
from families.models import Family
from families.services import protection
from referrals.models import Referral
from support_fund.selectors import application_list
from tests.factories import staff_member
from tests.referrals.factories import allocated_referral
from tests.support_fund.factories import application, budget, family_in_support

from .factories import draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_a_restricted_family_is_not_found_by_anyone_not_named_even_in_the_team(client, cast, deputy, family):
    plan = draft_plan(family=family, worker=cast.worker)
    referral = family.referrals.get()
    client.force_login(deputy)
    assert client.get(reverse("family-detail", args=[family.reference])).status_code == 200

    client.force_login(cast.manager)
    response = client.post(
        reverse("family-restrict", args=[family.reference]), {"named": [], "reason": "A colleague's relative"}
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.restricted
    # The manager who restricted it and the allocated worker are always named.
    assert set(family.restricted_to.all()) == {cast.manager, cast.worker}
    assert AuditEvent.objects.filter(family=family, action="family.restricted").exists()

    urls = [
        reverse("family-detail", args=[family.reference]),
        reverse("plan-detail", args=[plan.uuid]),
        reverse("referral-detail", args=[referral.uuid]),
    ]
    client.force_login(deputy)
    for url in urls:
        assert client.get(url).status_code == 404, url
    deputy_api = _api(deputy)
    assert deputy_api.get(reverse("api-family-detail", args=[family.reference])).status_code == 404
    assert family.reference not in deputy_api.get(reverse("api-family-list")).content.decode()
    assert str(referral.uuid) not in deputy_api.get(reverse("api-referral-list")).content.decode()

    for named in (cast.manager, cast.worker):
        client.force_login(named)
        for url in urls:
            assert client.get(url).status_code == 200, (named, url)
        assert _api(named).get(reverse("api-family-detail", args=[family.reference])).status_code == 200

    # Lifting the restriction gives the team its view back.
    client.force_login(cast.manager)
    response = client.post(reverse("family-unrestrict", args=[family.reference]), {"reason": "Colleague has left"})
    assert response.status_code == 302
    client.force_login(deputy)
    assert client.get(urls[0]).status_code == 200


def test_a_restricted_familys_fund_applications_are_hidden_too(client, cast, deputy):
    family = family_in_support(cast)
    budget(cast, "500")
    fund_application = application(cast, family)
    protection.family_restrict(family=family, actor=cast.manager, named=[], reason="Staff member's family")
    client.force_login(deputy)
    assert client.get(reverse("fund-application", args=[fund_application.uuid])).status_code == 404
    assert not application_list(user=deputy).filter(pk=fund_application.pk).exists()
    assert application_list(user=cast.manager).filter(pk=fund_application.pk).exists()


def test_allocating_a_worker_to_a_restricted_family_names_them(cast, family):
    protection.family_restrict(family=family, actor=cast.manager, named=[], reason="Staff member's family")
    services.family_add_co_worker(
        family=family, worker=cast.colleague, reason="Second pair of hands", actor=cast.manager
    )
    assert cast.colleague in family.restricted_to.all()


def test_restriction_refuses_bad_input_and_saves_nothing(client, cast, family):
    client.force_login(cast.manager)
    response = client.post(reverse("family-restrict", args=[family.reference]), {"named": [], "reason": ""})
    assert response.status_code == 400
    assert "Enter the reason" in response.content.decode()
    response = client.post(
        reverse("family-restrict", args=[family.reference]), {"named": [str(cast.other_worker.pk)], "reason": "x"}
    )
    assert response.status_code == 400  # not offered: another base's worker
    family.refresh_from_db()
    assert not family.restricted
    with pytest.raises(ApplicationError, match="does not work in this family's base"):
        protection.family_restrict(family=family, actor=cast.manager, named=[cast.other_worker], reason="x")
    with pytest.raises(ApplicationError, match="team manager"):
        protection.family_restrict(family=family, actor=cast.other_manager, named=[], reason="x")
    assert not Family.objects.get(pk=family.pk).restricted
    client.force_login(cast.worker)
    assert client.get(reverse("family-restrict", args=[family.reference])).status_code == 403


def test_a_withheld_address_shows_only_to_allocated_workers_and_the_familys_manager(client, cast, family):
    referral = family.referrals.get()
    Referral.objects.filter(pk=referral.pk).update(
        safe_contact_channel="text", contact_phone="07700 900982", contact_email="kim@example.com"
    )
    client.force_login(cast.worker)
    response = client.post(
        reverse("family-address-withheld", args=[family.reference]), {"reason": "Fleeing domestic abuse"}
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.address_withheld
    assert AuditEvent.objects.filter(family=family, action="family.address_withheld").exists()
    page = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert "Address withheld" in page and family.postcode in page

    # The family moves to another base; the referral stays with the team that triaged it, whose manager is
    # no longer the family's manager: the referral page and API no longer give them the address.
    family.base = Base.objects.exclude(pk=family.base_id).first()
    family.save(update_fields=["base"])
    client.force_login(cast.manager)
    page = client.get(reverse("referral-detail", args=[referral.uuid])).content.decode()
    assert "Withheld" in page and referral.postcode not in page and referral.address_line_1 not in page
    assert "07700 900982" not in page and "kim@example.com" not in page  # how to reach them goes with it
    body = _api(cast.manager).get(reverse("api-referral-detail", args=[referral.uuid])).json()
    assert body["address_withheld"] is True
    assert body["postcode"] == "" and body["address_line_1"] == ""
    assert body["contact_phone"] == "" and body["contact_email"] == "" and body["safe_contact_channel"] == "text"
    # The allocated worker still sees it.
    body = _api(cast.worker).get(reverse("api-referral-detail", args=[referral.uuid])).json()
    assert body["address_withheld"] is False and body["postcode"] == referral.postcode
    assert body["contact_phone"] == "07700 900982"


def test_a_withheld_address_is_left_out_of_the_pseudonymised_extract(cast, family):
    protection.address_withhold(family=family, actor=cast.worker, withheld=True, reason="Refuge")
    other = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker, postcode="NR2 4AB").family
    salt = "a-salt-long-enough-for-the-check-1234"
    out = io.StringIO()
    pseudonymised_extract(out=out, salt=salt)
    out.seek(0)
    outward = {row["pseudo_family_id"]: row["postcode_outward"] for row in csv.DictReader(out)}
    assert outward[pseudonym(salt, family.uuid)] == ""
    assert outward[pseudonym(salt, other.uuid)] == "NR2"


def test_withholding_twice_or_without_a_reason_is_refused(cast, family):
    with pytest.raises(ApplicationError, match="reason"):
        protection.address_withhold(family=family, actor=cast.worker, withheld=True, reason=" ")
    protection.address_withhold(family=family, actor=cast.worker, withheld=True, reason="Refuge")
    with pytest.raises(ApplicationError, match="already withheld"):
        protection.address_withhold(family=family, actor=cast.worker, withheld=True, reason="Refuge")


def test_a_manager_places_and_releases_a_legal_hold(client, cast, family):
    client.force_login(cast.manager)
    response = client.post(reverse("family-legal-hold", args=[family.reference]), {"reason": "Complaint 2026/41"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.legal_hold and family.legal_hold_reason == "Complaint 2026/41"
    assert "Legal hold" in client.get(reverse("family-detail", args=[family.reference])).content.decode()
    response = client.post(reverse("family-legal-hold", args=[family.reference]), {"reason": "Complaint closed"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert not family.legal_hold
    actions = list(
        AuditEvent.objects.filter(family=family, action__startswith="family.legal_hold").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["family.legal_hold", "family.legal_hold_released"]
    client.force_login(cast.worker)
    assert client.post(reverse("family-legal-hold", args=[family.reference]), {"reason": "x"}).status_code == 403


def test_restriction_candidates_are_the_bases_staff(cast, family, deputy):
    staff_member(role=Role.WORKER, team=cast.other_team, email="elsewhere@example.org")
    candidates = set(protection.restriction_candidates(family))
    assert {cast.worker, cast.colleague, cast.manager, deputy} <= candidates
    assert cast.other_worker not in candidates and cast.other_manager not in candidates
