"""The demo's online requests for support: both routes, through the public route's forms and intake, once."""

import pytest

from bases.models import Team
from devdata.demo import demo_staff_seed
from devdata.demo_frontdoor import demo_frontdoor_seed, demo_frontdoor_summary
from families.selectors import duplicate_candidates
from referrals.models import Referral
from tests.referrals.factories import accepted_referral


@pytest.mark.dates
def test_demo_requests_come_from_both_routes_match_a_known_family_and_are_made_once(db):
    demo_staff_seed()
    team = Team.objects.order_by("name").first()
    known = accepted_referral(team=team, manager=team.manager).family

    counts = demo_frontdoor_seed()
    assert counts == {"created": True, "professional": 2, "family": 2}
    web = Referral.objects.filter(received_via=Referral.ReceivedVia.WEB_FORM)
    assert set(web.values_list("status", flat=True)) == {Referral.Status.RECEIVED}
    assert web.filter(source="self", safe_contact_channel="none").count() == 1
    assert all(r.triage_due >= r.received_at.date() for r in web)
    matched = web.get(source="nursery")
    people = [
        {"first_name": p.first_name, "last_name": p.last_name, "date_of_birth": p.date_of_birth}
        for p in matched.people.all()
    ]
    assert known in [c.family for c in duplicate_candidates(people=people, postcode=matched.postcode)]
    assert matched.routed_team.base_id == known.base_id

    assert demo_frontdoor_seed()["created"] is False
    assert web.count() == 4
    assert "2 from professionals, 2 from parents" in demo_frontdoor_summary(counts)
