"""Messages are part of the family's record: in its subject access bundle, and their addresses go when the
family is anonymised."""

from datetime import date

import pytest
from django.utils import timezone

from families.models import Family
from notifications.models import Kind, Message
from privacy.anonymise import family_anonymise
from privacy.retention import RetentionDue
from privacy.services import subject_access_create
from privacy.subject_access import bundle
from tests.referrals.factories import allocated_referral

pytestmark = pytest.mark.django_db


def test_the_subject_access_bundle_lists_the_familys_messages(cast):
    family = allocated_referral(
        team=cast.team, manager=cast.manager, worker=cast.worker, referrer_email="jo@nhs.example"
    ).family
    sar = subject_access_create(
        actor=cast.admin, family_reference=family.reference, requester_name="Kerry Howes", received_on=date(2026, 3, 2)
    )
    [section] = [s for s in bundle(sar)["sections"] if s["title"] == "Messages sent to or about the family"]
    kinds = sorted(row["Kind"] for row in section["rows"])
    assert kinds == ["A family allocated to you", "Outcome of a referral (to the referrer)"]
    for row in section["rows"]:
        assert "Idempotency key" not in row and "Recipient user" not in row
        assert row["Status"] and row["Channel"] and row["Created at"]


def test_anonymising_the_family_blanks_where_its_messages_went(cast):
    family = allocated_referral(
        team=cast.team, manager=cast.manager, worker=cast.worker, referrer_email="jo@nhs.example"
    ).family
    Family.objects.filter(pk=family.pk).update(status=Family.Status.CLOSED, closed_at=timezone.now())
    family.refresh_from_db()
    assert family_anonymise(due=RetentionDue(family, date(2026, 1, 1), "test"), actor=None).anonymised
    message = Message.objects.get(kind=Kind.REFERRAL_OUTCOME)
    assert message.recipient_address == "Anonymised" and message.family == family
