"""The child development pages on the family record: listing, recording (consent required), correcting with a
reason, recorded in error; scoped like the family."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from development.models import DevelopmentReview
from ecfs.audit.models import AuditEvent
from families.models import Person
from tests.development.factories import review_of
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Europe/London")), tick=True):
        yield


def _asq(**overrides) -> dict:
    data = {
        "kind": "two_year",
        "reviewed_on_day": "20",
        "reviewed_on_month": "4",
        "reviewed_on_year": "2026",
        "communication": "close",
        "gross_motor": "above",
        "fine_motor": "above",
        "problem_solving": "below",
        "personal_social": "above",
        "source": "Health visitor, Sam Patel (Great Yarmouth)",
        "consent_confirmed": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _add_url(family, child):
    return reverse("development-review-add", args=[family.reference, child.uuid])


def test_a_worker_records_the_two_year_review_and_sees_it(client, cast, family, child):
    client.force_login(cast.worker)
    assert client.get(_add_url(family, child)).status_code == 200
    response = client.post(_add_url(family, child), _asq())
    assert response.status_code == 302 and response["Location"] == reverse("development-list", args=[family.reference])
    review = DevelopmentReview.objects.get(child=child)
    assert (review.reviewed_on, review.communication, review.problem_solving) == (date(2026, 4, 20), "close", "below")
    page = client.get(response["Location"]).content.decode()
    assert "Alfie Howes" in page and "Health visitor, Sam Patel (Great Yarmouth)" in page
    assert "Healthy Child Programme 2 to 2½ year review (ASQ-3)" in page
    assert reverse("development-review-detail", args=[review.uuid]) in page
    # The family record links to it.
    record = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert reverse("development-list", args=[family.reference]) in record


def test_without_consent_the_form_refuses_with_a_clear_message(client, cast, family, child):
    client.force_login(cast.worker)
    response = client.post(_add_url(family, child), _asq(consent_confirmed=None))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirm the family consented to this being shared with the service" in page
    assert "govuk-error-summary" in page
    assert not DevelopmentReview.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reviewed_on_year": "2027"}, "must be today or in the past"),
        ({"reviewed_on_year": "2020"}, "on or after the child&#x27;s birth"),
        ({"communication": None}, "Select the level in communication"),
        ({"source": ""}, "Enter who the review came from"),
        ({"reviewed_on_day": "31", "reviewed_on_month": "2"}, "must be a real date"),
    ],
)
def test_bad_input_is_refused_on_the_field(client, cast, family, child, overrides, message):
    client.force_login(cast.worker)
    response = client.post(_add_url(family, child), _asq(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DevelopmentReview.objects.exists()


def test_an_eyfs_result_is_recorded(client, cast, family, child):
    child.date_of_birth = date(2020, 10, 1)
    child.save()
    client.force_login(cast.manager)
    url = reverse("development-eyfs-add", args=[family.reference, child.uuid])
    data = {
        "reviewed_on_day": "30",
        "reviewed_on_month": "6",
        "reviewed_on_year": "2025",
        "good_level_of_development": "yes",
        "source": "The school, shared by Kerry",
        "consent_confirmed": "on",
    }
    assert client.post(url, data).status_code == 302
    result = DevelopmentReview.objects.get(child=child)
    assert (result.kind, result.good_level_of_development) == ("eyfs", True)
    page = client.get(reverse("development-list", args=[family.reference])).content.decode()
    assert "Good level of development" in page and "2024/25 school year" in page
    # Its correction's example is about a result, not an ASQ-3 domain.
    page = client.get(reverse("development-review-amend", args=[result.uuid])).content.decode()
    assert "the school&#x27;s letter says it did" in page and "Communication was entered" not in page


def test_a_correction_shows_what_was_there_before(client, cast, family, child):
    review = review_of(child, cast.worker, reviewed_on=date(2026, 4, 20))
    client.force_login(cast.manager)
    url = reverse("development-review-amend", args=[review.uuid])
    page = client.get(url).content.decode()
    assert 'value="Health visitor, Sam Patel"' in page
    data = _asq(reason="Problem solving was below, not above")
    del data["kind"], data["consent_confirmed"]
    response = client.post(url, data)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Amended on" in detail and "Rosie Goodwin: Problem solving was below, not above" in detail
    assert "was Above the expected level; now Below the expected level" in detail
    # Without a reason nothing changes.
    response = client.post(url, {**data, "reason": "", "communication": "above"})
    assert response.status_code == 400 and "Say why the review is being corrected" in response.content.decode()
    review.refresh_from_db()
    assert review.communication == "close"


def test_recorded_in_error_leaves_the_page(client, cast, family, child):
    review = review_of(child, cast.worker)
    client.force_login(cast.worker)
    url = reverse("development-review-in-error", args=[review.uuid])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Recorded for the wrong child"}).status_code == 302
    page = client.get(reverse("development-list", args=[family.reference])).content.decode()
    assert "No reviews recorded yet" in page
    assert client.get(reverse("development-review-detail", args=[review.uuid])).status_code == 404


def test_another_workers_family_is_404_on_every_page(client, cast):
    theirs = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker).family
    child = theirs.members.get(kind="child")
    review = review_of(child, cast.other_worker)
    eyfs_child = theirs.members.get(kind="child")
    client.force_login(cast.worker)
    for url in (
        reverse("development-list", args=[theirs.reference]),
        _add_url(theirs, child),
        reverse("development-eyfs-add", args=[theirs.reference, eyfs_child.uuid]),
        reverse("development-review-detail", args=[review.uuid]),
        reverse("development-review-amend", args=[review.uuid]),
        reverse("development-review-in-error", args=[review.uuid]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, _asq(reason="x")).status_code in (404, 405), url
    assert DevelopmentReview.objects.count() == 1


def test_a_parent_has_no_review_page(client, cast, family):
    client.force_login(cast.worker)
    parent = family.members.get(kind="parent_carer")
    assert client.get(_add_url(family, parent)).status_code == 404


def test_an_older_child_without_a_date_of_birth_is_asked_for_it_first(client, cast, family):
    older = Person.objects.create(family=family, kind="older_child", first_name="Maisie", last_name="Howes")
    client.force_login(cast.worker)
    page = client.get(reverse("development-list", args=[family.reference])).content.decode()
    assert "Maisie's date of birth is not recorded" in page and "Born </p>" not in page
    assert _add_url(family, older) not in page
    response = client.post(_add_url(family, older), _asq())
    assert response.status_code == 400
    assert "Maisie&#x27;s date of birth is not recorded: add it on the family record first" in response.content.decode()
    assert not DevelopmentReview.objects.exists()


def test_viewing_is_audited(client, cast, family, child):
    review = review_of(child, cast.worker)
    client.force_login(cast.manager)
    client.get(reverse("development-review-detail", args=[review.uuid]))
    assert AuditEvent.objects.filter(action="viewed", family=family, actor=cast.manager).exists()


def test_the_list_page_reads_a_fixed_number_of_queries(client, cast, family, child):
    """Queries: session and user, the user's groups and roles, the family (scoped), the audit row for the view,
    the children, their reviews (one prefetch) — the same for one child with one review as for three with six."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.worker)
    url = reverse("development-list", args=[family.reference])
    review_of(child, cast.worker)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for name in ("Bo", "Cy"):
        other = family.members.create(kind="child", first_name=name, last_name="Howes", date_of_birth=date(2024, 1, 5))
        review_of(other, cast.worker)
        review_of(other, cast.worker, kind="asq", reviewed_on=date(2025, 1, 5))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200 and "Cy Howes" in page.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
