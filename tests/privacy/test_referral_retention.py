"""Referrals closed at triage and never linked to a family are kept by the family's rule, counted from the day they
were closed and the youngest child named on them, then anonymised like a family's referrals."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from ecfs.audit.models import REDACTED_SUMMARY, AuditEvent
from notifications.models import Message
from privacy import tasks
from privacy.retention import referrals_due
from referrals import services as referral_services
from referrals.models import Referral, ReferralPerson, TriageDecision
from tests.referrals.factories import accepted_referral, received_referral
from voice import services as voice_services

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

CLOSED = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
# Closed in 2026/27: six years after that financial year ends is 31 March 2033; a child born in 2002 is 25 in 2027.
GROWN_UP = date(2002, 6, 1)
AFTER_THE_RULE = date(2033, 4, 1)


def _people(surname):
    return [
        {"kind": "parent_carer", "first_name": "Kerry", "last_name": surname, "date_of_birth": date(1980, 5, 17)},
        {"kind": "child", "first_name": "Alfie", "last_name": surname, "date_of_birth": date(2024, 3, 10)},
    ]


def _child_born(referral, day):
    """As if the referral were older than it is: its child as old as the rule needs (set past the pages' checks)."""
    ReferralPerson.objects.filter(referral=referral, kind="child").update(date_of_birth=day)
    return referral


def _signposted(cast, surname, *, child_born=GROWN_UP, **fields):
    with time_machine.travel(CLOSED, tick=False):
        referral = received_referral(
            team=cast.team,
            actor=cast.manager,
            people=_people(surname),
            referrer_email="jo.health@nhs.example",
            contact_phone="07700 900123",
            reason_details=f"The {surname}s are isolated since the baby arrived.",
            safe_contact_notes="Call after 10am.",
            **fields,
        )
        referral_services.referral_decide(
            referral=referral,
            decision="signpost",
            reason="community_groups",
            notes=f"Told Kerry {surname} about the stay and play group.",
            actor=cast.manager,
        )
    referral.refresh_from_db()
    return _child_born(referral, child_born)


@pytest.fixture
def referrals(cast):
    return {
        "due": _signposted(cast, "Adams"),
        # The youngest child is 2 when it closes: kept until their 25th birthday, in 2049.
        "young_child": _signposted(cast, "Baker", child_born=date(2024, 3, 10)),
        # Accepted: a family's record, kept by the family's rule instead.
        "linked": accepted_referral(team=cast.team, manager=cast.manager, people=_people("Clarke")),
        # Never triaged: still open, never due.
        "awaiting_triage": _child_born(
            received_referral(team=cast.team, actor=cast.manager, people=_people("Dixon")), GROWN_UP
        ),
    }


def test_only_a_referral_closed_at_triage_without_a_family_past_its_date_is_due(cast, referrals):
    assert referrals_due(today=AFTER_THE_RULE - timedelta(days=1)) == []

    due = referrals_due(today=AFTER_THE_RULE)

    assert [item.referral for item in due] == [referrals["due"]]
    assert due[0].keep_until == date(2033, 3, 31)
    assert due[0].rule == "6 years after the financial year the last plan closed"
    later = referrals_due(today=date(2049, 3, 11))
    assert [item.referral for item in later] == [referrals["due"], referrals["young_child"]]
    assert later[1].rule == "the youngest child's 25th birthday"


def test_the_nightly_job_anonymises_the_referral_and_what_hangs_on_it(cast, referrals):
    referral = referrals["due"]
    feedback = voice_services.feedback_receive(
        rating=5, went_well="Kerry Adams says the group helped.", reference=referral.reference
    )
    outcome = Message.objects.get(reference=referral.reference)
    assert outcome.recipient_address == "jo.health@nhs.example"

    with time_machine.travel(datetime(2033, 4, 1, 2, 30, tzinfo=ZoneInfo("Europe/London"))):
        result = tasks.apply_retention.delay().get()

    assert result == {"anonymised": [], "referrals_anonymised": [referral.reference]}
    referral.refresh_from_db()
    assert referral.anonymised_at is not None
    assert (referral.referrer_name, referral.referrer_email, referral.contact_phone) == ("Anonymised", "", "")
    assert (referral.reason_details, referral.safe_contact_notes, referral.address_line_1) == ("", "", "")
    assert referral.postcode == "NR1"
    # What the returns count stays.
    assert (referral.status, referral.source, referral.district, referral.closed_at) == (
        Referral.Status.SIGNPOSTED,
        "health_visitor",
        cast.team.base.district,
        CLOSED,
    )
    assert referral.reasons.count() == 2
    people = list(
        ReferralPerson.objects.filter(referral=referral).values_list("first_name", "last_name", "date_of_birth")
    )
    assert list(people) == [("Anonymised", "", date(1980, 5, 1)), ("Anonymised", "", date(2002, 6, 1))]
    assert TriageDecision.objects.get(referral=referral).notes == ""
    feedback.refresh_from_db()
    assert feedback.went_well == "" and feedback.rating == 5
    outcome.refresh_from_db()
    assert outcome.recipient_address == "Anonymised"
    assert not Referral.history.filter(id=referral.pk).exists()
    assert not ReferralPerson.history.filter(referral_id=referral.pk).exists()
    assert not AuditEvent.objects.filter(summary__contains="Adams").exists()
    redacted = AuditEvent.objects.filter(object_id=str(referral.uuid), action="referral.received").get()
    assert redacted.summary == REDACTED_SUMMARY and redacted.actor == cast.manager
    assert AuditEvent.objects.filter(object_id=str(referral.uuid), action="referral.anonymised").exists()
    # The others are untouched.
    for name in ("young_child", "awaiting_triage"):
        other = referrals[name]
        other.refresh_from_db()
        assert other.anonymised_at is None and other.referrer_name == "Jo Health"

    with time_machine.travel(datetime(2033, 4, 2, 2, 30, tzinfo=ZoneInfo("Europe/London"))):
        assert tasks.apply_retention.delay().get() == {"anonymised": [], "referrals_anonymised": []}


def test_a_referral_linked_to_a_family_since_is_left_to_the_familys_rule(cast, referrals):
    from privacy.anonymise import referral_anonymise

    (due,) = referrals_due(today=AFTER_THE_RULE)
    Referral.objects.filter(pk=due.referral.pk).update(family=referrals["linked"].family)

    result = referral_anonymise(due=due)

    assert (result.anonymised, result.reason) == (False, "linked to a family")
    assert Referral.objects.get(pk=due.referral.pk).referrer_name == "Jo Health"


def test_the_dry_run_and_the_admins_page_list_the_referral(client, cast, referrals, capsys):
    call_command("apply_retention", "--dry-run", "--today", AFTER_THE_RULE.isoformat())

    out = capsys.readouterr().out
    reference = referrals["due"].reference
    assert f"{reference}\treferral never linked to a family, kept until 2033-03-31" in out
    assert "0 families and 1 referrals would be anonymised (dry run: nothing changed)." in out
    assert Referral.objects.get(reference=reference).anonymised_at is None
    with time_machine.travel(datetime(2033, 4, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))):
        client.force_login(cast.admin)
        page = client.get(reverse("privacy-retention")).content.decode()
    assert "Referrals never linked to a family, due tonight" in page
    assert reference in page and referrals["young_child"].reference not in page


def test_the_database_lets_only_an_anonymised_unlinked_referrals_events_be_redacted(cast, referrals, on_postgres):
    from django.db import connection, transaction
    from django.db.utils import InternalError

    kept = referrals["young_child"]
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET summary = %s, changes = '{}'::jsonb WHERE object_id = %s",
            [REDACTED_SUMMARY, str(kept.uuid)],
        )


def _hold(client, reference, action="place", reason="Disclosure to the family court"):
    return client.post(
        reverse("privacy-retention"), {"family_reference": reference, "reason": reason, "action": action}
    )


def test_a_legal_hold_on_the_referral_stops_the_job_until_it_is_released(client, cast, referrals):
    referral = referrals["due"]
    client.force_login(cast.admin)

    response = _hold(client, referral.reference.lower())

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.legal_hold, referral.legal_hold_reason) == (True, "Disclosure to the family court")
    assert AuditEvent.objects.filter(object_id=str(referral.uuid), action="referral.legal_hold").exists()
    page = client.get(reverse("privacy-retention")).content.decode()
    assert f"Referral {referral.reference} (" in page and "Disclosure to the family court" in page
    assert referrals_due(today=AFTER_THE_RULE) == []
    with time_machine.travel(datetime(2033, 4, 1, 2, 30, tzinfo=ZoneInfo("Europe/London"))):
        assert tasks.apply_retention.delay().get()["referrals_anonymised"] == []

    assert _hold(client, referral.reference, action="release", reason="Case closed").status_code == 302
    assert [item.referral for item in referrals_due(today=AFTER_THE_RULE)] == [referral]


def test_a_hold_names_what_it_cannot_hold(client, cast, referrals):
    client.force_login(cast.admin)
    linked = referrals["linked"]

    page = _hold(client, linked.reference).content.decode()
    assert f"That referral is part of family {linked.family.reference}&#x27;s record: hold it" in page
    assert "No family or referral has that reference" in _hold(client, "REF-999999").content.decode()
    assert (
        "This referral is not on legal hold." in _hold(client, referrals["due"].reference, "release").content.decode()
    )
    assert not Referral.objects.filter(legal_hold=True).exists()
