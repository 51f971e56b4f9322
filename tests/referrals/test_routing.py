"""Routing by place (#17 item 7): the base serving the locality, the team holding the family, the queue as
a tie-break between teams of one base."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bases.models import Base, Locality
from ecfs.roles import Role
from families.models import Determinant, Family
from families.selectors import family_list
from referrals import services
from tests.factories import TeamFactory, staff_member

from .factories import default_people, referral_fields

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def breckland():
    """A team at each of Breckland's bases, with their managers."""
    swaffham = TeamFactory(name="Swaffham team", base=Base.objects.get(name="Swaffham"))
    thetford = TeamFactory(name="Thetford team", base=Base.objects.get(name="Thetford Kingsway"))
    for team in (swaffham, thetford):
        team.manager = staff_member(role=Role.MANAGER, team=team)
        team.save(update_fields=["manager"])
    return swaffham, thetford


def _refer(team_hint, *, locality: str, actor=None, people=None, postcode="PE37 7AB", **extra):
    place = Locality.objects.get(name=locality)
    fields = referral_fields(team_hint, locality=place, town=locality, postcode=postcode)
    fields["district"] = place.district or team_hint.base.district
    return services.referral_create(
        actor=actor or team_hint.manager,
        people=people or default_people(),
        reasons=list(Determinant.objects.all()[:1]),
        **fields,
        **extra,
    )


def test_every_market_town_is_served_by_a_base_of_its_own_district():
    towns = Locality.objects.filter(is_other=False).select_related("base", "district")
    assert towns.count() == 28
    for town in towns:
        assert town.base is not None, town
        assert town.base.district == town.district, town
    assert Locality.objects.get(is_other=True).base is None
    assert Locality.objects.get(name="Dereham").base.name == "Swaffham"  # no base in Dereham: the nearest
    assert Locality.objects.get(name="Thetford").base.name == "Thetford Kingsway"  # the base in the town
    assert Locality.objects.get(name="Cromer").base.name == "North Walsham"  # the report: used by families from


def test_a_new_referral_goes_to_the_base_serving_its_locality(breckland):
    swaffham, thetford = breckland
    # Swaffham is busier, yet a Dereham family goes there: the locality decides, not the queue.
    _refer(swaffham, locality="Swaffham", people=default_people("Aldous"))
    referral = _refer(swaffham, locality="Dereham", people=default_people("Barker"), postcode="NR19 1AB")
    assert referral.routed_team == swaffham
    referral = _refer(swaffham, locality="Thetford", people=default_people("Cole"), postcode="IP24 1AB")
    assert referral.routed_team == thetford


def test_a_referral_from_other_goes_to_the_districts_least_busy_team(breckland):
    swaffham, thetford = breckland
    _refer(swaffham, locality="Swaffham", people=default_people("Aldous"))
    referral = _refer(swaffham, locality="Other", people=default_people("Barker"), postcode="IP26 5AB")
    assert referral.routed_team == thetford


def test_queue_length_breaks_ties_between_teams_of_the_serving_base(breckland):
    swaffham, _ = breckland
    second = TeamFactory(name="Swaffham second team", base=swaffham.base, manager=swaffham.manager)
    _refer(swaffham, locality="Swaffham", people=default_people("Aldous"), routed_team=swaffham)
    referral = _refer(swaffham, locality="Watton", people=default_people("Barker"), postcode="IP25 6AB")
    assert referral.routed_team == second
    referral = _refer(swaffham, locality="Watton", people=default_people("Cole"), postcode="IP25 6DB")
    assert referral.routed_team == second  # one waiting each: the first by name ("Swaffham second team")


def test_a_referral_naming_a_held_family_goes_to_the_team_holding_it(breckland):
    swaffham, thetford = breckland
    family = _accept(_refer(swaffham, locality="Swaffham"), swaffham.manager)
    referral = _refer(thetford, locality="Thetford", people=default_people("Someone"), family=family)
    assert referral.routed_team == swaffham


def _accept(referral, manager) -> Family:
    services.referral_decide(
        referral=referral, decision="accept", reason="meets_threshold", notes="Tier 2", actor=manager, new_family=True
    )
    referral.refresh_from_db()
    return referral.family


def test_mundford_rereferral_of_a_swaffham_family_goes_to_swaffham_whose_manager_sees_the_family(breckland, client):
    swaffham, thetford = breckland
    family = _accept(_refer(swaffham, locality="Swaffham"), swaffham.manager)
    Family.objects.filter(pk=family.pk).update(status="closed", closed_at=timezone.now() - timedelta(days=100))
    # Mundford is outside the market towns (Other, Breckland), nearer Thetford, and Thetford's queue is empty;
    # the duplicate check finds the Swaffham family (same names and dates of birth) at a new address.
    dob = family.members.get(kind="child").date_of_birth
    again = _refer(
        thetford, locality="Other", actor=thetford.manager, people=default_people(dob=dob), postcode="IP26 5AB"
    )
    assert again.routed_team == swaffham
    assert family_list(user=swaffham.manager).filter(pk=family.pk).exists()
    assert not services.can_triage(thetford.manager, again)

    # The manager deciding sees the re-referral flag before linking.
    client.force_login(swaffham.manager)
    page = client.get(f"/referrals/{again.uuid}/")
    assert page.status_code == 200
    assert f"Re-referral if this is {family.reference}: support ended on" in page.content.decode()

    services.referral_decide(
        referral=again, decision="accept", reason="meets_threshold", notes="Back", actor=swaffham.manager, family=family
    )
    again.refresh_from_db()
    assert again.is_rereferral
