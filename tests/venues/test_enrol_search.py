"""Enrolling finds the family by name (#17 item 9): the enrol page's search without JavaScript, and the JSON the
search-as-you-type field reads, both scoped exactly like the family list."""

import pytest
from django.urls import reverse

from families.models import Family
from tests.helpers import count_queries
from tests.referrals.factories import allocated_referral, default_people

from .factories import course, family_of, parent_of

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _families(client, the_course, query) -> list[dict]:
    response = client.get(reverse("group-course-enrol-families", args=[the_course.uuid]), {"q": query})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_search_as_you_type_finds_open_families_by_name_with_who_is_in_them(client, cast):
    howes, bird = family_of(cast, last_name="Howes"), family_of(cast, last_name="Bird")
    the_course = course(cast=cast)
    client.force_login(cast.worker)
    (found,) = _families(client, the_course, "howes")
    assert (found["reference"], found["district"]) == (howes.reference, howes.district.name)
    assert found["names"].startswith("Kerry Howes and Alfie (")
    assert [f["reference"] for f in _families(client, the_course, bird.reference)] == [bird.reference]
    assert _families(client, the_course, "") == [] and _families(client, the_course, "Nobody-here") == []


def test_search_as_you_type_never_returns_another_teams_family_nor_one_the_user_does_not_work_with(client, cast):
    family_of(cast, last_name="Howes")
    allocated_referral(
        team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker, people=default_people("Howes")
    )
    the_course = course(cast=cast)
    client.force_login(cast.worker)
    assert len(_families(client, the_course, "Howes")) == 1
    client.force_login(cast.colleague)  # same team, the family not allocated to them
    assert _families(client, the_course, "Howes") == []


def test_closed_families_are_not_offered_for_enrolment(client, cast):
    family = family_of(cast)
    Family.objects.filter(pk=family.pk).update(status=Family.Status.CLOSED)
    client.force_login(cast.worker)
    assert _families(client, course(cast=cast), "Howes") == []


@pytest.mark.parametrize("member", ["other_worker", "other_manager"])
def test_another_teams_course_is_404_for_search_as_you_type(client, cast, member):
    the_course = course(cast=cast)
    client.force_login(getattr(cast, member))
    response = client.get(reverse("group-course-enrol-families", args=[the_course.uuid]), {"q": "Howes"})
    assert response.status_code == 404


def test_without_javascript_a_name_lists_the_matching_families_to_choose_from(client, cast):
    howes, other_howes = family_of(cast), family_of(cast)
    the_course = course(cast=cast)
    url = reverse("group-course-enrol", args=[the_course.uuid])
    client.force_login(cast.worker)
    page = client.get(url, {"family": "howes"}).content.decode()
    assert "Families matching “howes”" in page
    assert f'href="?family={howes.reference}"' in page and f'href="?family={other_howes.reference}"' in page
    assert "Who is joining the course?" not in page


def test_one_match_or_a_chosen_suggestion_is_the_family(client, cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    url = reverse("group-course-enrol", args=[the_course.uuid])
    client.force_login(cast.worker)
    for typed in ("Howes", f"{parent_of(family).full_name}, {family.reference.lower()}"):
        page = client.get(url, {"family": typed}).content.decode()
        assert "Who is joining the course?" in page and f'value="{family.reference}"' in page


def test_nothing_found_says_so_on_the_field(client, cast):
    family_of(cast)
    the_course = course(cast=cast)
    client.force_login(cast.worker)
    page = client.get(reverse("group-course-enrol", args=[the_course.uuid]), {"family": "Zebedee"}).content.decode()
    assert "govuk-error-summary" in page and "No open family you work with matches “Zebedee”" in page


def test_search_as_you_type_queries_do_not_grow_with_the_families_found(client, cast):
    the_course = course(cast=cast)
    url = reverse("group-course-enrol-families", args=[the_course.uuid]) + "?q=Howes"
    client.force_login(cast.worker)
    family_of(cast)
    few = count_queries(client, url)
    for _ in range(4):
        family_of(cast)
    assert count_queries(client, url) == few
