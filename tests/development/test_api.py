"""The child development API: scoped reads, recording one (consent required), another worker's family is 404."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from development.models import DevelopmentReview
from tests.api.conftest import client_for
from tests.development.factories import review_of
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Europe/London")), tick=True):
        yield


def _body(child, **overrides):
    body = {
        "child": str(child.uuid),
        "kind": "two_year",
        "reviewed_on": "2026-05-01",
        "communication": "above",
        "gross_motor": "close",
        "fine_motor": "above",
        "problem_solving": "above",
        "personal_social": "below",
        "source": "Health visitor, Sam Patel",
        "consent_confirmed": True,
    }
    return body | overrides


def test_a_worker_records_and_reads_a_review(cast, family, child):
    api = client_for(cast.worker)
    response = api.post(reverse("api-development-review-list"), _body(child), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["family"], data["child"], data["gross_motor"], data["personal_social"]) == (
        family.reference,
        str(child.uuid),
        "close",
        "below",
    )
    assert data["good_level_of_development"] is None and data["created_by"] == "Mandy Robinson"
    listed = api.get(reverse("api-development-review-list")).json()
    assert [row["uuid"] for row in listed["results"]] == [data["uuid"]]
    detail = api.get(reverse("api-development-review-detail", args=[data["uuid"]]))
    assert detail.status_code == 200 and detail.json()["source"] == "Health visitor, Sam Patel"


def test_without_consent_the_api_refuses(cast, child):
    response = client_for(cast.worker).post(
        reverse("api-development-review-list"), _body(child, consent_confirmed=False), format="json"
    )
    assert response.status_code == 400
    assert "consent_confirmed" in response.json()["error"]["fields"]
    assert not DevelopmentReview.objects.exists()


def test_an_asq_review_needs_every_domain_and_an_eyfs_result_its_outcome(cast, child):
    api = client_for(cast.worker)
    response = api.post(reverse("api-development-review-list"), _body(child, fine_motor=""), format="json")
    assert response.status_code == 400 and "fine_motor" in response.json()["error"]["fields"]
    response = api.post(
        reverse("api-development-review-list"),
        _body(child, kind="eyfs", reviewed_on="2026-06-01"),
        format="json",
    )
    assert response.status_code == 400 and "reviewed_on" in response.json()["error"]["fields"]  # Alfie is 2


def test_the_same_review_sent_twice_is_refused_naming_the_date(cast, child):
    api = client_for(cast.worker)
    assert api.post(reverse("api-development-review-list"), _body(child), format="json").status_code == 201
    response = api.post(reverse("api-development-review-list"), _body(child), format="json")
    assert response.status_code == 400
    assert "is already recorded" in response.json()["error"]["fields"]["reviewed_on"][0]
    assert DevelopmentReview.objects.count() == 1


def test_another_workers_familys_review_is_404_and_their_child_cannot_be_named(cast, child):
    theirs = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker).family
    their_child = theirs.members.get(kind="child")
    review = review_of(their_child, cast.other_worker)
    api = client_for(cast.worker)
    assert api.get(reverse("api-development-review-detail", args=[review.uuid])).status_code == 404
    assert api.get(reverse("api-development-review-list")).json()["count"] == 0
    response = api.post(reverse("api-development-review-list"), _body(their_child), format="json")
    assert response.status_code == 400 and "child" in response.json()["error"]["fields"]
    assert DevelopmentReview.objects.count() == 1
    # Their own worker sees it.
    assert client_for(cast.other_worker).get(reverse("api-development-review-list")).json()["count"] == 1
