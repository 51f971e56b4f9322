"""The holes an outside sweep found (issue #14, item 2): who sees enrolled names on courses, "mine" lists that
follow the current allocation, restricted references that must appear nowhere to unnamed staff.

The statuses are in ``tests/test_permissions.py`` (registers and measures: facilitators and the base's
managers); these tests check what the pages and the API *say*.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from families.selectors import RESTRICTED_MATCH
from families.services import family_reallocate
from families.services.protection import family_restrict
from families.support.services import plan_action_add, visit_plan
from imports.models import ImportedRecord, ImportReview
from support_fund.selectors import my_applications
from tests.families.factories import active_plan, home_visit
from tests.integrations.factories import pending_review
from tests.referrals.factories import allocated_referral, received_referral
from tests.support_fund.factories import application, budget, family_in_support
from tests.venues.factories import course, enrolled, family_of, parent_of, past_sessions
from venues.selectors import RESTRICTED_FAMILY_LABEL

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _restrict(family, cast):
    """Restricted by its manager: named are the manager and the allocated worker, nobody else."""
    return family_restrict(family=family, actor=cast.manager, named=[], reason="A colleague's relative")


def _page(client, user, name, *args, **query) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args or None), query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


# Group courses --------------------------------------------------------------------------------------------


@pytest.fixture
def colleague_runs_a_course(cast):
    """A course facilitated by the colleague, with the worker's family's parent enrolled."""
    family = family_of(cast, last_name="Fairweather")
    the_course = course(cast=cast)
    the_course.facilitators.set([cast.colleague])
    enrolled(the_course, [parent_of(family)], actor=cast.manager)
    return the_course, family


def test_facilitators_and_the_bases_managers_see_enrolled_names_other_staff_see_counts(
    client, cast, colleague_runs_a_course
):
    the_course, family = colleague_runs_a_course
    name = parent_of(family).full_name
    for who in (cast.colleague, cast.manager):
        assert name in _page(client, who, "group-course-detail", the_course.uuid)
    # A worker of the team who does not facilitate sees their own family's people (they may see the family) ...
    assert name in _page(client, cast.worker, "group-course-detail", the_course.uuid)
    # ... and someone in the team who neither facilitates nor works with the family sees a count only.
    the_course.facilitators.set([cast.worker])
    page = _page(client, cast.colleague, "group-course-detail", the_course.uuid)
    assert name not in page and family.reference not in page
    assert "1 other person enrolled" in page


def test_a_family_reference_on_a_course_links_only_for_those_who_may_see_the_family(
    client, cast, colleague_runs_a_course
):
    the_course, family = colleague_runs_a_course
    link = f'href="{reverse("family-detail", args=[family.reference])}"'
    facilitator = _page(client, cast.colleague, "group-course-detail", the_course.uuid)
    assert family.reference in facilitator and link not in facilitator
    assert link in _page(client, cast.worker, "group-course-detail", the_course.uuid)


def test_a_restricted_family_on_a_course_is_a_restricted_record_to_facilitators_not_named_on_it(
    client, cast, colleague_runs_a_course
):
    the_course, family = colleague_runs_a_course
    _restrict(family, cast)
    parent = parent_of(family)
    session = past_sessions(the_course)[0]
    for page in (
        _page(client, cast.colleague, "group-course-detail", the_course.uuid),
        _page(client, cast.colleague, "group-session-register", session.uuid),
    ):
        assert RESTRICTED_FAMILY_LABEL in page
        assert parent.first_name not in page and parent.last_name not in page and family.reference not in page
    api = APIClient()
    api.force_login(cast.colleague)
    register = api.get(reverse("api-session-register", args=[session.uuid])).json()
    assert [(line["person"], line["family"]) for line in register["lines"]] == [(RESTRICTED_FAMILY_LABEL, "")]
    # The manager who restricted it is named, so sees who it is.
    assert parent.full_name in _page(client, cast.manager, "group-session-register", session.uuid)


def test_a_facilitator_not_named_on_a_restricted_record_still_marks_its_attendance(
    client, cast, colleague_runs_a_course
):
    the_course, family = colleague_runs_a_course
    _restrict(family, cast)
    session = past_sessions(the_course)[0]
    enrolment = the_course.enrolments.get()
    client.force_login(cast.colleague)
    response = client.post(reverse("group-session-register", args=[session.uuid]), {"attended": [str(enrolment.uuid)]})
    assert response.status_code == 302
    assert session.attendances.get(enrolment=enrolment).attended is True


# "Mine" lists follow the current allocation --------------------------------------------------------------


def test_reallocated_worker_no_longer_sees_the_familys_items_in_my_week(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    plan.next_review_due = timezone.localdate() + timedelta(days=2)
    plan.save(update_fields=["next_review_due"])
    plan_action_add(
        plan=plan,
        actor=cast.worker,
        description="Ring the nursery about a funded place",
        owner="worker",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    visit_plan(family=family, actor=cast.worker, starts_at=timezone.now() + timedelta(days=1), mode="home_visit")
    week = _page(client, cast.worker, "my-week")
    assert week.count(family.reference) >= 3

    family_reallocate(family=family, worker=cast.colleague, reason="Worker moving teams", actor=cast.manager)
    assert family.reference not in _page(client, cast.worker, "my-week")


def test_reallocated_worker_no_longer_sees_their_fund_applications_in_my_applications(client, cast):
    family = family_in_support(cast)
    budget(cast, "500")
    made = application(cast, family)
    assert list(my_applications(user=cast.worker)) == [made]
    assert family.reference in _page(client, cast.worker, "fund-home")

    family_reallocate(family=family, worker=cast.colleague, reason="Worker moving teams", actor=cast.manager)
    assert list(my_applications(user=cast.worker)) == []
    assert family.reference not in _page(client, cast.worker, "fund-home")


# Restricted references appear nowhere to unnamed staff --------------------------------------------------


def test_restricted_familys_safeguarding_concern_is_not_on_an_unnamed_managers_landing_page(client, cast, deputy):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    home_visit(family=family, worker=cast.worker, concern=True)
    assert family.reference in _page(client, deputy, "home")
    _restrict(family, cast)
    assert family.reference not in _page(client, deputy, "home")
    assert family.reference in _page(client, cast.manager, "home")


def test_duplicate_check_says_a_record_you_cannot_see_matches_for_a_restricted_family(client, cast, deputy):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    _restrict(family, cast)
    referral = received_referral(team=cast.team, actor=cast.worker)
    page = _page(client, deputy, "referral-detail", referral.uuid)
    assert RESTRICTED_MATCH in page
    assert family.reference not in page
    assert f"{cast.team.base.name} (your base)" in page
    # Nor can it be chosen: accepting onto it is refused as an unknown choice.
    client.force_login(deputy)
    response = client.post(
        reverse("referral-decide", args=[referral.uuid]),
        {"decision": "accept", "reason": "meets_threshold", "notes": "Known family", "family_choice": family.reference},
    )
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.family_id is None
    # The manager named on it sees the match as usual.
    assert family.reference in _page(client, cast.manager, "referral-detail", referral.uuid)


def test_unnamed_manager_cannot_see_or_link_an_import_to_a_restricted_family(client, cast, deputy):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    review = pending_review(cast)
    _restrict(family, cast)
    page = _page(client, deputy, "import-review", review.uuid)
    assert family.reference not in page and RESTRICTED_MATCH in page
    client.force_login(deputy)
    response = client.post(
        reverse("import-review", args=[review.uuid]),
        {"decision": ImportReview.Status.SAME_FAMILY, "family": family.reference, "notes": "Same family"},
    )
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.is_pending
    assert not ImportedRecord.objects.filter(family=family).exists()
