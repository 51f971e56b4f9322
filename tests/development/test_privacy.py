"""Child development reviews in subject access bundles, and through the retention job (issue #20 item 5)."""

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from development.models import DevelopmentReview
from development.services import development_review_amend, development_review_mark_in_error
from privacy import services
from privacy.services import retention_run
from tests.development.factories import eyfs_of, levels, review_of
from tests.families.factories import closed_plan
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
SECTION = "Child development reviews (ASQ-3) and EYFS profile results"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=True):
        yield


def test_the_bundle_lists_the_childrens_reviews_but_not_those_in_error(cast, family, child):
    review_of(child, cast.worker, source="Health visitor, Nina Hale", levels=levels(communication="close"))
    wrong = review_of(child, cast.worker, source="Not theirs at all", reviewed_on=date(2026, 6, 1))
    development_review_mark_in_error(review=wrong, actor=cast.worker, reason="Another child's review")
    sar = services.subject_access_create(
        actor=cast.admin, family_reference=family.reference, requester_name="Kerry", received_on=date(2026, 10, 31)
    )
    data = json.loads(services.subject_access_download(sar=sar, actor=cast.admin, kind="json"))
    [section] = [s for s in data["sections"] if s["title"] == SECTION]
    [row] = section["rows"]
    assert row["Child"] == "Alfie Howes" and row["Communication"] == "Close to the expected level (monitoring zone)"
    assert row["Who it came from"] == "Health visitor, Nina Hale"
    assert row["The family consented to it being shared"] == "Yes"
    assert "Not theirs" not in json.dumps(data) and "Another child's review" not in json.dumps(data)

    pdf = services.subject_access_download(sar=sar, actor=cast.admin, kind="pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Child development reviews" in text and "Health visitor, Nina Hale" in text


def test_the_retention_job_anonymises_a_family_with_reviews(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    family.members.filter(kind="child").update(date_of_birth=date(2021, 10, 1))
    child = family.members.get(kind="child")
    review = review_of(child, cast.worker, source="Health visitor, Nina Hale")
    development_review_amend(
        review=review,
        actor=cast.worker,
        reason="Nina Hale says close to",
        reviewed_on=review.reviewed_on,
        source=review.source,
        levels=levels(fine_motor="close"),
    )
    result = eyfs_of(child, cast.worker, reviewed_on=date(2026, 6, 30))
    development_review_mark_in_error(review=result, actor=cast.worker, reason="Entered for Nina Hale's child")
    # Children grown up: the closure rule decides (kept until 31 March 2033).
    family.members.filter(kind="child").update(date_of_birth=date(2002, 6, 1))
    closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    assert DevelopmentReview.history.filter(family=family).exists()

    results = retention_run(today=date(2033, 4, 1))

    assert [r.family for r in results if r.anonymised] == [family.reference]
    # The rows stay for the returns (their levels and dates), without who they came from or the reasons.
    rows = DevelopmentReview.objects.filter(family=family).order_by("pk")
    assert [(r.source, r.in_error_reason, r.fine_motor) for r in rows] == [
        ("Anonymised", "", "close"),
        ("Anonymised", "", ""),
    ]
    assert not DevelopmentReview.history.filter(family=family).exists()
    assert "Nina Hale" not in json.dumps(list(DevelopmentReview.objects.filter(family=family).values()), default=str)
