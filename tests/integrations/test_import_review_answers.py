"""A manager's decision on an import row: an answer the page did not offer gets the field's own message, and notes
over 2,000 characters are refused with the limit; the row stays waiting."""

import pytest
from django.urls import reverse

from imports.models import ImportReview
from tests.referrals.factories import allocated_referral

from .factories import pending_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(cast):
    allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    return pending_review(cast)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "merge", "notes": "Same child"}, "Choose whether this is a family already held"),
        ({"decision": "same_family", "family": "ECFS-999999", "notes": "Same child"}, "Choose the family this row is"),
        ({"decision": "imported_as_new", "notes": "x" * 2001}, "The notes must be 2,000 characters or fewer"),
    ],
)
def test_a_bad_answer_is_refused_on_its_field(client, cast, review, data, message):
    client.force_login(cast.manager)
    response = client.post(reverse("import-review", args=[review.uuid]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "is not one of the available choices" not in page
    review.refresh_from_db()
    assert review.status == ImportReview.Status.PENDING
