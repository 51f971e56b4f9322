"""The community groups register: kept by the district's managers and the service admin, read by all staff."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bases.models import District, Locality
from community import services
from community.models import CommunityGroup
from ecfs.audit.models import AuditEvent

from .factories import community_group, group_fields

pytestmark = pytest.mark.django_db


def test_a_manager_adds_a_group_in_their_district_and_it_is_audited(cast):
    group = community_group(cast)

    assert group.last_checked_by == cast.manager and group.status == "active"
    assert AuditEvent.objects.filter(action="community_group.added", object_id=str(group.uuid)).exists()


def test_a_manager_cannot_keep_another_districts_groups(cast):
    other = District.objects.exclude(pk=cast.team.base.district_id).first()
    with pytest.raises(PermissionDenied):
        services.group_add(actor=cast.manager, **group_fields(other))
    group = services.group_add(actor=cast.admin, **group_fields(other))
    with pytest.raises(PermissionDenied):
        services.group_update(group=group, actor=cast.manager, name="Renamed")


def test_a_worker_cannot_add_a_group(cast):
    with pytest.raises(PermissionDenied):
        services.group_add(actor=cast.worker, **group_fields(cast.team.base.district))


def test_the_town_must_be_in_the_district(cast):
    elsewhere = Locality.objects.exclude(district=cast.team.base.district).filter(is_other=False).first()
    with pytest.raises(ValidationError) as error:
        community_group(cast, locality=elsewhere)
    assert "locality" in error.value.message_dict
    assert not CommunityGroup.objects.exists()


def test_changing_a_group_records_what_changed_and_marks_it_checked(cast):
    group = community_group(cast)
    services.group_update(group=group, actor=cast.admin, name="Little Acorns", starts_at=time(10, 0))

    event = AuditEvent.objects.filter(action="community_group.changed").get()
    assert event.changes["name"] == ["Little Acorns Stay and Play", "Little Acorns"]
    group.refresh_from_db()
    assert group.last_checked_by == cast.admin


def test_the_register_is_searchable_by_place_and_day(client, cast):
    district = cast.team.base.district
    towns = list(Locality.objects.filter(district=district, is_other=False).order_by("name")[:2])
    community_group(cast, name="Tuesday Tots", locality=towns[0], weekday=1)
    community_group(cast, name="Friday Rhymes", locality=towns[-1], weekday=4, kind="rhyme_time")
    community_group(cast, name="Closed Club", status="closed")
    client.force_login(cast.worker)

    everything = client.get(reverse("community-group-list")).content.decode()
    by_day = client.get(reverse("community-group-list"), {"day": "4"}).content.decode()
    by_town = client.get(reverse("community-group-list"), {"locality": towns[0].name}).content.decode()
    by_words = client.get(reverse("community-group-list"), {"q": "rhymes"}).content.decode()

    assert "Tuesday Tots" in everything and "Friday Rhymes" in everything and "Closed Club" not in everything
    assert "Friday Rhymes" in by_day and "Tuesday Tots" not in by_day
    assert "Tuesday Tots" in by_town and (len(towns) == 1 or "Friday Rhymes" not in by_town)
    assert "Friday Rhymes" in by_words and "Tuesday Tots" not in by_words


def test_the_add_page_names_each_missing_field(client, cast):
    client.force_login(cast.manager)
    response = client.post(reverse("community-group-add"), {})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    for message in ("Enter the name of the group", "Choose the kind of group", "Choose the day it meets"):
        assert message in html


def page_data(district, **overrides) -> dict:
    """What the add and change pages post for the factory's group."""
    fields = group_fields(district)
    data = {k: v for k, v in fields.items() if k not in ("district", "locality", "for_expectant_parents")}
    data.update(district=district.slug, locality=fields["locality"].name, starts_at="09:30", ends_at="11:00")
    data.update(overrides)
    return data


def test_a_manager_adds_a_group_through_the_page(client, cast):
    district = cast.team.base.district
    fields = group_fields(district)
    data = page_data(district)
    client.force_login(cast.manager)
    response = client.post(reverse("community-group-add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert CommunityGroup.objects.get().name == fields["name"]


def test_a_finish_before_the_start_is_refused_on_the_page(client, cast):
    group = community_group(cast)
    client.force_login(cast.manager)
    data = page_data(group.district, starts_at="11:00", ends_at="09:00")
    response = client.post(reverse("community-group-edit", args=[group.uuid]), data)

    assert response.status_code == 400
    assert "The group must finish after it starts" in response.content.decode()


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("-1", "The cost cannot be less than £0: enter 0 if it is free"),
        ("100000", "Enter a cost of £9,999.99 or less"),
        ("1.505", "Enter the cost in pounds and pence, like 1.50"),
    ],
    ids=["negative", "too-large", "fractions-of-a-penny"],
)
def test_an_impossible_cost_is_refused_on_the_field(client, cast, cost, message):
    client.force_login(cast.manager)
    response = client.post(reverse("community-group-add"), page_data(cast.team.base.district, cost=cost))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Constraint" not in html
    assert not CommunityGroup.objects.exists()


def test_too_long_a_description_is_refused_on_the_field(client, cast):
    client.force_login(cast.manager)
    data = page_data(cast.team.base.district, description="x" * 2001, accessibility_notes="y" * 2001)
    response = client.post(reverse("community-group-add"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "What happens at the group must be 2,000 characters or fewer" in html
    assert "Accessibility must be 2,000 characters or fewer" in html
    assert not CommunityGroup.objects.exists()


def test_the_list_takes_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    for number in range(6):
        community_group(cast, name=f"Group {number}")
    client.force_login(cast.worker)
    client.get(reverse("community-group-list"))  # warm the session and role caches
    with django_assert_max_num_queries(12):
        client.get(reverse("community-group-list"))


def test_a_group_not_checked_for_a_year_is_flagged(client, cast):
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        community_group(cast, name="Old Details Club")
    community_group(cast, name="Fresh Details Club")
    client.force_login(cast.worker)
    html = client.get(reverse("community-group-list")).content.decode()

    assert html.count("Check due") == 1
    assert html.index("Check due") > html.index("Old Details Club")
