"""Recording advice: each rule, with the message a person sees, and nothing half-saved."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from advice import services
from advice.models import AdviceEntry
from bases.models import District, Locality
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import Determinant
from tests.referrals.factories import allocated_referral

from .factories import advice_entry

pytestmark = pytest.mark.django_db


def _refused(field, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        advice_entry(**kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value.message_dict[field][0]


def test_an_anonymous_entry_is_recorded_for_the_team_and_audited(cast):
    entry = advice_entry(actor=cast.worker, topics=("housing", "good_job"))
    assert entry.team == cast.team and entry.base == cast.team.base and entry.family is None
    assert sorted(t.code for t in entry.topics.all()) == ["good_job", "housing"]
    event = AuditEvent.objects.get(action="advice.recorded")
    assert event.object_id == str(entry.uuid) and event.actor == cast.worker and event.family is None


def test_a_manager_records_for_their_team(cast):
    assert advice_entry(actor=cast.manager).team == cast.team


@pytest.mark.parametrize("member", ["commissioner", "admin"])
def test_only_front_line_staff_record_advice(cast, member):
    actor = getattr(cast, member)
    with pytest.raises(ApplicationError):
        services.advice_record(
            actor=actor,
            given_on=timezone.localdate(),
            channel="drop_in",
            district=District.objects.first(),
            topics=list(Determinant.objects.all()[:1]),
            given="advice",
        )
    assert not AdviceEntry.objects.exists()


def test_the_date_cannot_be_in_the_future(cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert _refused("given_on", actor=cast.worker, given_on=tomorrow) == "The date must be today or in the past"


@time_machine.travel("2026-06-01 10:00 +0100", tick=False)
def test_the_date_cannot_be_before_the_service_began(cast):
    message = _refused("given_on", actor=cast.worker, given_on=date(2019, 9, 30))
    assert message == "The date must be after the service began (1 October 2019)"


def test_outreach_names_whose_session_it_was(cast):
    assert _refused("partner_session", actor=cast.worker, channel="outreach") == "Select whose session it was"
    entry = advice_entry(actor=cast.worker, channel="outreach", partner_session="rhyme_time")
    assert entry.partner_session == "rhyme_time"


def test_a_partner_session_is_dropped_when_the_family_did_not_ask_at_one(cast):
    assert advice_entry(actor=cast.worker, channel="phone_line", partner_session="rhyme_time").partner_session == ""


def test_at_least_one_topic(cast):
    assert _refused("topics", actor=cast.worker, topics=()) == "Select what they asked about"


def test_signposting_names_the_service_or_group(cast):
    message = _refused("signposted_to", actor=cast.worker, given="signposted")
    assert message == "Name the service or community group you signposted them to"
    assert advice_entry(actor=cast.worker, given="signposted", signposted_to="Dereham Baby Bank").signposted_to


@pytest.mark.parametrize(
    "value, message",
    [
        ("NR30 1AB", "Enter only the first half of the postcode (like NR30), not the full postcode"),
        ("NR301AB", "Enter only the first half of the postcode (like NR30), not the full postcode"),
        ("12 High St", "Enter the first half of a postcode, like NR30 or PE31"),
    ],
)
def test_never_a_full_postcode_or_an_address(cast, value, message):
    assert _refused("outward_postcode", actor=cast.worker, outward_postcode=value).startswith(message)


def test_the_first_half_of_a_postcode_is_kept_in_capitals(cast):
    assert advice_entry(actor=cast.worker, outward_postcode=" nr30 ").outward_postcode == "NR30"


def test_the_town_is_in_the_district(cast):
    district = cast.team.base.district
    elsewhere = Locality.objects.exclude(district=district).exclude(district__isnull=True).first()
    message = _refused("locality", actor=cast.worker, district=district, locality=elsewhere)
    assert message.startswith(f"{elsewhere.name} is not in {district.name}")


def test_a_referral_is_linked_only_when_one_was_made(cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    assert _refused("referral", actor=cast.worker, referral=referral) == "Only link a referral when a referral was made"
    assert advice_entry(actor=cast.worker, given="referral", referral=referral).referral == referral


def test_another_teams_referral_or_family_cannot_be_linked(cast):
    referral = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker)
    message = _refused("referral", actor=cast.worker, given="referral", referral=referral)
    assert message == "No referral you can see has this reference"
    assert _refused("family", actor=cast.worker, family=referral.family) == "No family you can see matches"
    assert not AdviceEntry.objects.exists()


def test_linking_the_referral_later_counts_it_as_a_referral_made(cast):
    entry = advice_entry(actor=cast.worker)
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    services.advice_link_referral(entry=entry, referral=referral, actor=cast.manager)
    entry.refresh_from_db()
    assert entry.referral == referral and entry.given == AdviceEntry.Given.REFERRAL
    assert AuditEvent.objects.filter(action="advice.referral_linked", family=referral.family).exists()
    with pytest.raises(ValidationError):
        services.advice_link_referral(entry=entry, referral=referral, actor=cast.worker)


def test_another_team_cannot_link_a_referral_to_the_entry(cast):
    entry = advice_entry(actor=cast.worker)
    referral = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker)
    with pytest.raises(ApplicationError):
        services.advice_link_referral(entry=entry, referral=referral, actor=cast.other_worker)
