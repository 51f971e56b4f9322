"""When the retention job anonymises a family, what its complaints and the feedback it left say about it goes too;
the dates, categories, ratings and outcomes stay for the returns."""

import pytest

from privacy.services import retention_run
from tests.privacy.test_retention import _frozen_today, families  # noqa: F401 (the retention tests' fixtures)
from voice.models import Complaint, Feedback

from .factories import complaint, feedback

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_anonymising_a_family_blanks_its_complaints_and_feedback(cast, families):  # noqa: F811
    from datetime import date

    gone, kept = families["closure_rule"], families["child_rule"]
    made = complaint(actor=cast.manager, family=gone, summary="Jo Adams says the visits were cancelled.")
    left = feedback(reference=gone.reference, could_be_better="Jo Adams: more evening groups.", may_contact=True,
                    contact="jo.adams@example.com")  # fmt: skip
    other = complaint(actor=cast.manager, family=kept, summary="Sam Baker wants a new worker.")

    retention_run(today=date(2033, 4, 1))

    made.refresh_from_db()
    assert (made.summary, made.learning, made.category) == ("Anonymised", "", "communication")
    assert not made.history.exists()
    left = Feedback.objects.get(pk=left.pk)
    assert (left.could_be_better, left.contact, left.may_contact, left.reference_given) == ("", "", False, "")
    assert left.rating == 4
    assert Complaint.objects.get(pk=other.pk).summary == "Sam Baker wants a new worker."


def test_a_subject_access_bundle_holds_the_familys_complaints_and_feedback(cast, families):  # noqa: F811
    from privacy.services import subject_access_create
    from privacy.subject_access import bundle

    family = families["open"]
    complaint(actor=cast.manager, family=family, summary="The visits were cancelled twice.")
    feedback(reference=family.reference, went_well="The stay and play group.")
    sar = subject_access_create(
        actor=cast.admin, family_reference=family.reference, requester_name="Jo Dixon", received_on=_today()
    )
    sections = {section["title"]: section["rows"] for section in bundle(sar)["sections"]}
    assert [row["Summary"] for row in sections["Complaints"]] == ["The visits were cancelled twice."]
    assert [row["What went well"] for row in sections["Feedback the family left"]] == ["The stay and play group."]


def _today():
    from django.utils import timezone

    return timezone.localdate()
