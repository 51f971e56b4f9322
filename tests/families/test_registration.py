"""Light registration (#19 item 2): a family known to the service without a referral.

Scoping: the registering worker's team sees the family (its workers and its manager) until it is allocated; the
managers of the family's base (its place's) see it always; anyone else gets 404, in pages and the API. The
duplicate check runs first; bad input gets a message, never a 500 or half a record.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bases.models import Locality
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import Family, Person, RegistrationRoute
from families.registration import Child, PossibleDuplicate, family_register, registering_team
from families.selectors import family_list
from referrals import services as referral_services
from tests.referrals.factories import received_referral
from venues import services as venue_services
from venues.models import Attendance, GroupCourse

from ..venues.factories import course, family_of, past_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def town_of(team) -> Locality:
    """A market town the team's base serves (so a family there belongs to that base)."""
    return Locality.objects.filter(base=team.base, is_other=False).order_by("name").first()


def child_born() -> date:
    return timezone.localdate() - timedelta(days=400)


def register(cast, *, actor=None, team=None, confirmed_new=False, **overrides) -> Family:
    actor = actor or cast.worker
    locality = town_of(cast.team)
    fields = {
        "registered_via": RegistrationRoute.DROP_IN,
        "parent_first_name": "Jodie",
        "parent_last_name": "Brundle",
        "children": [Child("Poppy", child_born())],
        "postcode": "nr1 3ab",
        "district": locality.district,
        "locality": locality,
        "agreed": True,
        "safe_contact_channel": "text",
        "contact_phone": "07700 900123",
    }
    fields.update(overrides)
    return family_register(actor=actor, team=team or registering_team(actor), confirmed_new=confirmed_new, **fields)


def post_data(cast, **overrides) -> dict:
    locality = town_of(cast.team)
    born = child_born()
    data = {
        "registered_via": "drop_in",
        "parent_first_name": "Jodie",
        "parent_last_name": "Brundle",
        "child_first_name": "Poppy",
        "child_date_day": str(born.day),
        "child_date_month": str(born.month),
        "child_date_year": str(born.year),
        "postcode": "NR1 3AB",
        "area": f"town-{locality.pk}",
        "safe_contact_channel": "text",
        "contact_phone": "07700 900123",
        "agreed": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# The service -------------------------------------------------------------------------------------------


def test_a_registered_family_belongs_to_its_towns_base_and_the_registering_team(cast):
    family = register(cast)
    locality = town_of(cast.team)
    assert family.reference.startswith("ECFS-")
    assert (family.locality, family.district, family.base) == (locality, locality.district, locality.base)
    assert family.registered_on == timezone.localdate() and family.registered_via == RegistrationRoute.DROP_IN
    assert family.registered_team == cast.team
    assert family.address_line_1 == "" and family.postcode == "NR1 3AB"
    assert family.consent_given and family.consent_scope == Family.ConsentScope.HOLD
    assert family.safe_contact_channel == "text" and family.contact_phone == "07700 900123"
    kinds = sorted(family.members.values_list("kind", "first_name", "last_name"))
    assert kinds == [("child", "Poppy", "Brundle"), ("parent_carer", "Jodie", "Brundle")]
    assert AuditEvent.objects.filter(family=family, action="family.registered").count() == 1


def test_an_expected_baby_alone_is_enough(cast):
    due = timezone.localdate() + timedelta(days=60)
    family = register(cast, children=[], expected_date=due)
    assert family.members.get(kind=Person.Kind.UNBORN).expected_date == due


def test_the_duplicate_check_offers_the_known_family_first(cast):
    first = register(cast)
    with pytest.raises(PossibleDuplicate) as raised:
        register(cast, parent_first_name="Jodi", postcode="NR1 3AB")  # a typo in the name: still a match
    assert [c.family for c in raised.value.candidates] == [first]
    assert Family.objects.count() == 1
    second = register(cast, parent_first_name="Jodi", confirmed_new=True)
    assert second != first and Family.objects.count() == 2


def test_a_family_held_through_a_referral_is_matched_too(cast):
    held = family_of(cast)  # Kerry Howes and Alfie, NR30 …
    kerry = held.members.get(first_name="Kerry")
    alfie = held.members.get(first_name="Alfie")
    with pytest.raises(PossibleDuplicate) as raised:
        register(
            cast,
            parent_first_name=kerry.first_name,
            parent_last_name=kerry.last_name,
            children=[Child("Alfie", alfie.date_of_birth)],
            postcode=held.postcode,
        )
    assert raised.value.candidates[0].family == held


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"agreed": False}, "agreed", "only if they agree"),
        ({"postcode": "NOT A CODE"}, "postcode", "Enter a full UK postcode"),
        ({"children": [], "expected_date": None}, "child_first_name", "or the expected date of birth"),
        ({"parent_first_name": " "}, "parent_first_name", "Enter the parent's first name"),
        ({"safe_contact_channel": "email", "contact_email": ""}, "contact_email", "Enter the email address"),
        ({"children": [Child("Poppy", date(2001, 1, 1))]}, "child_date", ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(cast, overrides, field, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        register(cast, **overrides)
    assert field in raised.value.message_dict
    assert message in " ".join(raised.value.message_dict[field])
    assert not Family.objects.exists() and not Person.objects.exists()


# Scoping -----------------------------------------------------------------------------------------------


def test_the_registering_team_sees_a_registered_family_and_no_other_team(cast):
    family = register(cast)
    for member in ("worker", "colleague", "manager"):
        assert family_list(user=getattr(cast, member)).filter(pk=family.pk).exists(), member
    for member in ("other_worker", "other_manager", "commissioner", "admin"):
        assert not family_list(user=getattr(cast, member)).filter(pk=family.pk).exists(), member


def test_another_teams_registered_family_is_404_in_pages_and_the_api(client, cast):
    family = register(cast, actor=cast.other_worker)
    client.force_login(cast.worker)
    assert client.get(reverse("family-detail", args=[family.reference])).status_code == 404
    assert client.get(f"/api/families/{family.reference}/").status_code == 404
    client.force_login(cast.other_worker)
    assert client.get(reverse("family-detail", args=[family.reference])).status_code == 200
    assert client.get(f"/api/families/{family.reference}/").status_code == 200


def test_once_allocated_a_registered_family_is_seen_like_any_family_in_support(cast):
    family = register(cast)
    referral = received_referral(
        team=cast.team,
        actor=cast.manager,
        people=[
            {"kind": "parent_carer", "first_name": "Jodie", "last_name": "Brundle"},
            {"kind": "child", "first_name": "Poppy", "last_name": "Brundle", "date_of_birth": child_born()},
        ],
    )
    referral_services.referral_decide(
        referral=referral,
        decision="accept",
        reason="meets_threshold",
        notes="Low mood",
        actor=cast.manager,
        family=family,
    )
    referral_services.referral_allocate(referral=referral, worker=cast.worker, actor=cast.manager)
    referral.refresh_from_db()
    assert referral.family == family
    assert family_list(user=cast.worker).filter(pk=family.pk).exists()  # allocated
    assert not family_list(user=cast.colleague).filter(pk=family.pk).exists()  # the team no longer: not theirs


def test_a_family_registered_by_another_base_belongs_to_its_towns_base(cast):
    """Registered by Team B in Team A's town: Team B's workers and Team A's manager see it; Team A's workers do
    not, and nor does Team B's manager (managers see the families of the bases they manage)."""
    family = register(cast, actor=cast.other_worker)
    assert family.base == cast.team.base and family.registered_team == cast.other_team
    assert family_list(user=cast.manager).filter(pk=family.pk).exists()
    assert family_list(user=cast.other_worker).filter(pk=family.pk).exists()
    assert not family_list(user=cast.other_manager).filter(pk=family.pk).exists()
    assert not family_list(user=cast.worker).filter(pk=family.pk).exists()


# The standalone page --------------------------------------------------------------------------------------


def test_register_page_registers_and_shows_the_family(client, cast):
    client.force_login(cast.worker)
    url = reverse("family-register")
    assert client.get(url).status_code == 200
    response = client.post(url, post_data(cast))
    family = Family.objects.get()
    assert response.status_code == 302 and response.url == reverse("family-detail", args=[family.reference])
    assert family.registered_via == "drop_in"


def test_register_page_bad_input_answers_400_with_messages(client, cast):
    client.force_login(cast.worker)
    url = reverse("family-register")
    response = client.post(url, {})
    page = response.content.decode()
    assert response.status_code == 400
    for message in ("Enter the parent&#x27;s first name", "Enter the postcode", "Select the nearest town or area"):
        assert message in page
    response = client.post(url, post_data(cast, agreed=None, postcode="XX"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a full UK postcode, like NR1 3AB" in page
    response = client.post(url, post_data(cast, agreed=None))
    assert response.status_code == 400 and "count them among the walk-ins" in response.content.decode()
    response = client.post(
        url, post_data(cast, **{"child_date_day": "", "child_date_month": "", "child_date_year": ""})
    )
    assert response.status_code == 400 and "Enter Poppy&#x27;s date of birth" in response.content.decode()
    assert not Family.objects.exists()


def test_register_page_offers_the_match_then_registers_on_confirmation(client, cast):
    first = register(cast)
    client.force_login(cast.worker)
    url = reverse("family-register")
    response = client.post(url, post_data(cast))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This may be a family already known to the service" in page and f'value="{first.reference}"' in page
    assert Family.objects.count() == 1
    response = client.post(url, {"use_family": first.reference})
    assert response.status_code == 302 and response.url == reverse("family-detail", args=[first.reference])
    response = client.post(url, post_data(cast, confirmed_new="yes"))
    assert response.status_code == 302 and Family.objects.count() == 2


def test_a_match_the_worker_cannot_see_is_not_offered_to_use(client, cast):
    theirs = register(cast, actor=cast.other_worker, team=cast.other_team)
    client.force_login(cast.worker)
    url = reverse("family-register")
    page = client.post(url, post_data(cast)).content.decode()
    assert "Held by another base" in page and f'name="use_family" value="{theirs.reference}"' not in page
    assert client.post(url, {"use_family": theirs.reference}).status_code == 404


@pytest.mark.parametrize("member", ["commissioner", "admin"])
def test_only_workers_and_managers_register_families(client, cast, member):
    client.force_login(getattr(cast, member))
    assert client.get(reverse("family-register")).status_code == 403


# At a universal session --------------------------------------------------------------------------------


@pytest.fixture
def drop_in(cast):
    return past_sessions(course(cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL))[-1]


def test_registering_at_a_session_marks_the_family_present(client, cast, drop_in):
    client.force_login(cast.worker)
    url = reverse("group-session-register-family", args=[drop_in.uuid])
    page = client.get(url).content.decode()
    assert "Register a family" in page and "Where are you registering them?" not in page
    response = client.post(url, post_data(cast, registered_via=None))
    assert response.status_code == 302 and response.url == reverse("group-session-register", args=[drop_in.uuid])
    family = Family.objects.get()
    assert family.registered_via == RegistrationRoute.UNIVERSAL_SESSION
    row = Attendance.objects.get(session=drop_in)
    assert (row.family, row.enrolment, row.attended) == (family, None, True)
    # The register then names them, ticked; saving it keeps them (the count includes them).
    page = client.get(response.url).content.decode()
    assert f'value="{family.reference}" checked' in page or f'checked value="{family.reference}"' in page
    response = client.post(
        response.url, {"walk_in_adults": "3", "walk_in_children": "2", "walk_in_families": family.reference}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(session=drop_in, family=family).attended is True
    # Queryable for reach: the family and the session's date.
    assert list(
        Attendance.objects.filter(family=family, attended=True).values_list("family__reference", "session__starts_at")
    ) == [(family.reference, drop_in.starts_at)]


def test_second_try_at_a_session_offers_the_match_and_marks_it(client, cast, drop_in):
    first = register(cast)
    client.force_login(cast.worker)
    url = reverse("group-session-register-family", args=[drop_in.uuid])
    page = client.post(url, post_data(cast, registered_via=None)).content.decode()
    assert "This may be a family already known to the service" in page
    response = client.post(url, {"use_family": first.reference})
    assert response.status_code == 302
    assert Attendance.objects.get(session=drop_in).family == first and Family.objects.count() == 1


def test_registration_and_mark_happen_together_or_not_at_all(client, cast, drop_in, monkeypatch):
    def refuse(**kwargs):
        raise ApplicationError("The register could not be marked.")

    monkeypatch.setattr(venue_services, "session_family_attend", refuse)
    client.force_login(cast.worker)
    response = client.post(
        reverse("group-session-register-family", args=[drop_in.uuid]), post_data(cast, registered_via=None)
    )
    assert response.status_code == 400 and "The register could not be marked." in response.content.decode()
    assert not Family.objects.exists() and not Person.objects.exists() and not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action="family.registered").exists()


def test_find_and_mark_a_known_family_on_the_register(client, cast, drop_in):
    known = family_of(cast)
    theirs = register(cast, actor=cast.other_worker, team=cast.other_team, parent_last_name="Zed")
    client.force_login(cast.worker)
    url = reverse("group-session-register", args=[drop_in.uuid])
    page = client.get(url, {"find": "Howes"}).content.decode()
    assert known.reference in page and "Mark present" in page
    page = client.get(url, {"find": "Zed"}).content.decode()
    assert theirs.reference not in page and "No open family you work with matches" in page
    suggestions = client.get(reverse("group-session-register-families", args=[drop_in.uuid]), {"q": "Howes"}).json()
    assert [r["reference"] for r in suggestions["results"]] == [known.reference]
    mark = reverse("group-session-register-mark", args=[drop_in.uuid])
    assert client.post(mark, {"family": theirs.reference}).status_code == 404
    assert client.post(mark, {"family": known.reference}).status_code == 302
    assert Attendance.objects.get(session=drop_in).family == known
    # After the register is saved a family found is added to the correction, ticked, not saved at once.
    client.post(url, {"walk_in_adults": "1", "walk_in_children": "1", "walk_in_families": known.reference})
    other = register(cast, parent_last_name="Other", confirmed_new=True)
    response = client.post(mark, {"family": other.reference})
    assert response.status_code == 302 and f"add={other.reference}" in response.url
    assert not Attendance.objects.filter(family=other).exists()
    assert f'value="{other.reference}" checked' in client.get(response.url).content.decode()


def test_other_staff_cannot_register_or_mark_at_the_session(client, cast, drop_in):
    known = family_of(cast)
    for member in ("colleague", "other_worker"):
        client.force_login(getattr(cast, member))
        for name in ("group-session-register-family", "group-session-register-families"):
            assert client.get(reverse(name, args=[drop_in.uuid])).status_code in (403, 404)
        response = client.post(reverse("group-session-register-mark", args=[drop_in.uuid]), {"family": known.reference})
        assert response.status_code in (403, 404)
    assert not Attendance.objects.exists()


def test_marking_before_the_session_day_is_refused(cast):
    future = course(
        cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL, start_date=timezone.localdate() + timedelta(days=3)
    )
    session = future.sessions.get(number=1)
    family = family_of(cast)
    with pytest.raises(ApplicationError, match="mark families present on the day or afterwards"):
        venue_services.session_family_attend(session=session, family=family, actor=cast.worker)


# Referred later, and connected from the advice log ----------------------------------------------------------


def test_refer_for_support_starts_the_referral_from_the_family_and_routes_it_to_its_team(client, cast):
    from referrals.models import Referral
    from tests.referrals.test_views import intake_data

    family = register(cast, actor=cast.other_worker, team=cast.other_team)  # registered by Team B in Team A's town
    client.force_login(cast.other_worker)
    assert "Refer for support" in client.get(reverse("family-detail", args=[family.reference])).content.decode()
    url = reverse("referral-new") + f"?family={family.reference}"
    page = client.get(url).content.decode()
    for value in ("Jodie", "Brundle", "Poppy", "NR1 3AB", "07700 900123"):
        assert f'value="{value}"' in page, value
    born = child_born()
    answers = intake_data(
        cast,
        parent_first_name="Jodie",
        parent_last_name="Brundle",
        child_first_name="Poppy",
        child_last_name="Brundle",
        child_date_day=born.day,
        child_date_month=born.month,
        child_date_year=born.year,
        postcode="NR1 3AB",
        address_line_1="4 Mill Road",
        district=family.district.slug,
        locality=family.locality_id,
    )
    assert client.post(url, answers).status_code == 302
    referral = Referral.objects.get()
    assert referral.routed_team.base == family.base  # the team holding the family: its base's
    client.force_login(cast.worker)  # another team's worker: the family and its referral page are not theirs
    assert client.get(url).status_code == 404


def test_an_advice_entry_naming_a_family_links_to_connecting_them(client, cast):
    from tests.advice.factories import advice_entry

    family = family_of(cast)
    entry = advice_entry(actor=cast.worker, family=family)
    client.force_login(cast.worker)
    page = client.get(reverse("advice-detail", args=[entry.uuid])).content.decode()
    connect = reverse("community-connect", args=[family.reference]) + f"?from=advice/{entry.uuid}"
    assert connect in page
    page = client.get(connect).content.decode()
    assert reverse("advice-detail", args=[entry.uuid]) in page and "Back to the advice entry" in page


def test_registered_by_your_team_lists_the_teams_families_only(client, cast):
    ours = register(cast)
    theirs = register(cast, actor=cast.other_worker, team=cast.other_team, parent_last_name="Zed", confirmed_new=True)
    client.force_login(cast.colleague)
    page = client.get(reverse("family-list"), {"show": "registered"}).content.decode()
    assert ours.reference in page and theirs.reference not in page
    client.force_login(cast.other_worker)
    page = client.get(reverse("family-list"), {"show": "registered"}).content.decode()
    assert theirs.reference in page and ours.reference not in page
