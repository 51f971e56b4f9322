"""Import states for other tests (the permission table's scenario among them)."""

from imports.models import ImportReview
from imports.services import open_cases_import
from tests.referrals.factories import child_dob

from .helpers import csv_bytes, good_row


def pending_review(cast) -> ImportReview:
    """A row of cast.team's base waiting for review: it matches the default referral family (Alfie Howes at
    NR1 3AB, ``tests.referrals.factories``), which must exist already."""
    row = good_row(cast, previous_id="AFC-REVIEW-1", postcode="NR1 3AB")
    row.update(child1_first_name="Alfie", child1_last_name="Howes", child1_dob=child_dob().isoformat())
    open_cases_import(data=csv_bytes([row]), file_name="open-cases.csv", actor=cast.admin)
    return ImportReview.objects.get(previous_id="AFC-REVIEW-1")


def import_scenario(cast) -> dict:
    """URL arguments for the permission table."""
    return {"import_review": (pending_review(cast).uuid,)}
