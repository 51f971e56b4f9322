"""A referral closed as a duplicate tells its referrer, as every other outcome does: a school that referred a
family the service already supports heard nothing before."""

import pytest

from families.models import ContactChannel
from notifications.models import Kind, Message
from referrals import services as referral_services
from referrals.models import Source
from tests.referrals.factories import received_referral

from .test_messages import REFERRER, assert_private

pytestmark = pytest.mark.django_db


def close_as_duplicate(referral, manager):
    referral_services.referral_decide(
        referral=referral,
        decision="duplicate",
        reason="already_open",
        notes="Isolated, low mood; already open to Alfie's worker.",
        actor=manager,
    )


def test_the_professional_referrer_hears_that_the_referral_was_closed_as_a_duplicate(
    cast, smtp, django_capture_on_commit_callbacks
):
    referral = received_referral(team=cast.team, actor=cast.manager, referrer_email=REFERRER)
    with django_capture_on_commit_callbacks(execute=True):
        close_as_duplicate(referral, cast.manager)
    [arrived] = smtp.to(REFERRER)
    assert arrived["subject"] == f"Your referral {referral.reference}: closed as a duplicate"
    assert "closed as a duplicate (already open to the service)" in arrived["body"]
    assert cast.manager.email in arrived["body"]  # who to contact
    assert_private(arrived["subject"] + arrived["body"])
    assert Message.objects.get().kind == Kind.REFERRAL_OUTCOME


def test_a_family_that_asked_twice_hears_in_plain_words_through_its_safe_channel(
    cast, smtp, django_capture_on_commit_callbacks
):
    family_email = "family@example.net"
    referral = received_referral(
        team=cast.team,
        actor=cast.manager,
        source=Source.SELF,
        referrer_name="Kerry Howes",
        contact_email=family_email,
        safe_contact_channel=ContactChannel.EMAIL,
    )
    with django_capture_on_commit_callbacks(execute=True):
        close_as_duplicate(referral, cast.manager)
    [arrived] = smtp.to(family_email)
    assert "We already have a request for help from you" in arrived["body"]
    assert "duplicate" not in arrived["body"].lower()
    assert_private(arrived["subject"] + arrived["body"])


def test_a_family_that_said_do_not_contact_hears_nothing(cast, smtp, django_capture_on_commit_callbacks):
    referral = received_referral(
        team=cast.team,
        actor=cast.manager,
        source=Source.SELF,
        referrer_name="Kerry Howes",
        safe_contact_channel=ContactChannel.NONE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        close_as_duplicate(referral, cast.manager)
    assert smtp.received == [] and not Message.objects.exists()
