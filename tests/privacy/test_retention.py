"""Retention with legal hold (issue #7, item 6): the rule, the nightly job, the dry run, the audit."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import REDACTED_SUMMARY, AuditEvent
from families.models import Contact, Family, Person, Professional
from families.services import professional_add, protection
from privacy import tasks
from privacy.retention import families_due, financial_year_end, keep_until
from privacy.services import retention_run
from referrals.models import Referral, ReferralPerson
from reporting.figures import compute_figures
from reporting.periods import QUARTERLY, period_containing
from tests.families.factories import active_plan, closed_plan, home_visit
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

# Every plan below closes "today", frozen at 23 November 2026: the closure rule keeps them to 31 March 2033.
TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
CLOSURE_RULE_DATE = date(2033, 3, 31)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=True):
        yield


def _family(cast, surname, *, close=True, children_born=None):
    referral = allocated_referral(
        team=cast.team,
        manager=cast.manager,
        worker=cast.worker,
        people=[
            {"kind": "parent_carer", "first_name": "Jo", "last_name": surname, "date_of_birth": date(1995, 5, 17)},
            {"kind": "child", "first_name": "Sam", "last_name": surname, "date_of_birth": date(2024, 3, 10)},
        ],
    )
    family = referral.family
    professional_add(family=family, actor=cast.worker, agency="health_visiting", name="Nina Health", phone="01603 1")
    home_visit(family=family, worker=cast.worker, concern=False, notes=f"Saw {surname} family at home.")
    if children_born:
        family.members.filter(kind="child").update(date_of_birth=children_born)
    if close:
        closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    else:
        active_plan(family=family, worker=cast.worker, manager=cast.manager)
    family.refresh_from_db()
    return family


@pytest.fixture
def families(cast):
    return {
        # Children grown up (youngest 25 in 2027): the closure rule decides, 31 March 2033.
        "closure_rule": _family(cast, "Adams", children_born=date(2002, 6, 1)),
        # Youngest child born 10 March 2024: kept until 10 March 2049.
        "child_rule": _family(cast, "Baker"),
        # Like the first, but on legal hold.
        "held": _family(cast, "Clarke", children_born=date(2002, 6, 1)),
        # Still supported: never due.
        "open": _family(cast, "Dixon", close=False, children_born=date(2002, 6, 1)),
    }


def test_the_default_rule_takes_the_later_of_the_two_dates():
    assert financial_year_end(date(2026, 11, 23)) == date(2027, 3, 31)
    assert financial_year_end(date(2027, 3, 31)) == date(2027, 3, 31)
    assert financial_year_end(date(2027, 4, 1)) == date(2028, 3, 31)
    assert keep_until(youngest_born=date(2024, 3, 10), last_closed=date(2026, 11, 23)) == (
        date(2049, 3, 10),
        "the youngest child's 25th birthday",
    )
    assert keep_until(youngest_born=date(2002, 6, 1), last_closed=date(2026, 11, 23)) == (
        CLOSURE_RULE_DATE,
        "6 years after the financial year the last plan closed",
    )


def test_the_rule_is_configurable(settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 10
    assert keep_until(youngest_born=None, last_closed=date(2026, 11, 23))[0] == date(2037, 3, 31)


def test_retention_anonymises_exactly_the_families_past_their_date(client, cast, families):
    protection.legal_hold_place(family=families["held"], actor=cast.manager, reason="Complaint 2026/41")
    quarter = period_containing(QUARTERLY, timezone.localdate())
    before = compute_figures(quarter, with_trend=False)

    # On the last day of retention nothing goes; the day after, only the family under the closure rule.
    assert retention_run(today=CLOSURE_RULE_DATE) == []
    results = retention_run(today=date(2033, 4, 1))
    assert [(r.family, r.anonymised) for r in results] == [(families["closure_rule"].reference, True)]
    for key, family in families.items():
        family.refresh_from_db()
        assert bool(family.anonymised_at) == (key == "closure_rule"), key

    gone = families["closure_rule"]
    assert gone.address_line_1 == "" and gone.town == "" and gone.postcode == gone.postcode.split()[0]
    people = list(Person.objects.filter(family=gone))
    assert {p.first_name for p in people} == {"Anonymised"} and {p.last_name for p in people} == {""}
    assert {p.date_of_birth for p in people} == {date(1995, 5, 1), date(2002, 6, 1)}  # month and year kept
    assert set(ReferralPerson.objects.filter(referral__family=gone).values_list("last_name", flat=True)) == {""}
    assert set(Contact.objects.filter(family=gone).values_list("notes", flat=True)) == {""}
    assert set(Professional.objects.filter(family=gone).values_list("phone", "name")) == {("", "Anonymised")}
    referral = Referral.objects.get(family=gone)
    assert referral.referrer_name == "Anonymised" and referral.address_line_1 == ""
    # The other families keep everything.
    assert Person.objects.filter(family=families["held"], last_name="Clarke").count() == 2
    assert Contact.objects.filter(family=families["child_rule"], notes__contains="Baker").exists()

    # The family page says so, to the manager who can still find it.
    client.force_login(cast.manager)
    page = client.get(reverse("family-detail", args=[gone.reference])).content.decode()
    assert "Anonymised" in page and "Adams" not in page

    # The counts the returns need are kept: the quarter's figures are the same as before.
    assert compute_figures(quarter, with_trend=False)["sections"] == before["sections"]

    # Audited, with the free text of the family's earlier events redacted and who/when/what kept.
    events = AuditEvent.objects.filter(family=gone)
    assert events.filter(action="family.anonymised").count() == 1
    assert not events.filter(summary__icontains="Adams").exists()
    assert events.filter(action="viewed").exists() or events.filter(summary=REDACTED_SUMMARY).exists()
    assert AuditEvent.objects.filter(family=families["held"]).exclude(summary=REDACTED_SUMMARY).exists()

    # Idempotent: a second run changes nothing and audits nothing more.
    count = AuditEvent.objects.count()
    assert retention_run(today=date(2033, 4, 1)) == []
    assert AuditEvent.objects.count() == count


def test_the_hold_is_released_and_the_family_goes_the_next_night(cast, families):
    protection.legal_hold_place(family=families["held"], actor=cast.manager, reason="Court case")
    retention_run(today=date(2033, 4, 1))
    protection.legal_hold_release(family=families["held"], actor=cast.manager, reason="Case closed")
    assert [r.family for r in retention_run(today=date(2033, 4, 2))] == [families["held"].reference]


def test_a_dry_run_lists_what_would_go_and_changes_nothing(cast, families, capsys):
    count = AuditEvent.objects.count()
    call_command("apply_retention", "--dry-run", "--today", "2049-03-11")
    out = capsys.readouterr().out
    for key in ("closure_rule", "child_rule", "held"):
        assert families[key].reference in out
    assert families["open"].reference not in out
    assert "3 families and 0 referrals would be anonymised (dry run: nothing changed)." in out
    assert not Family.objects.filter(anonymised_at__isnull=False).exists()
    assert AuditEvent.objects.count() == count


def test_the_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("apply_retention", "--today", "next week")


def test_the_nightly_job_runs_and_is_idempotent(cast, families, monkeypatch):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: date(2049, 3, 11))
    protection.legal_hold_place(family=families["held"], actor=cast.manager, reason="Court case")
    result = tasks.apply_retention.delay().get()
    assert sorted(result["anonymised"]) == sorted(
        [families["closure_rule"].reference, families["child_rule"].reference]
    )
    assert tasks.apply_retention.delay().get() == {"anonymised": [], "referrals_anonymised": []}
    assert families_due(today=date(2049, 3, 11)) == []


def test_a_legal_hold_on_an_anonymised_family_is_refused(cast, families):
    retention_run(today=date(2033, 4, 1))
    from ecfs.errors import ApplicationError

    with pytest.raises(ApplicationError, match="already been anonymised"):
        protection.legal_hold_place(family=families["closure_rule"], actor=cast.manager, reason="Too late")


def test_the_database_still_refuses_any_other_change_to_audit_rows(cast, families, on_postgres):
    retention_run(today=date(2033, 4, 1))
    gone, kept = families["closure_rule"], families["child_rule"]
    event = AuditEvent.objects.filter(family=gone).first()
    kept_event = AuditEvent.objects.filter(family=kept).first()
    attempts = [
        ("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk]),
        ("UPDATE audit_auditevent SET summary = 'edited' WHERE id = %s", [event.pk]),
        ("UPDATE audit_auditevent SET occurred_at = now() WHERE id = %s", [event.pk]),
        ("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]),
        # Redacting the events of a family that is not anonymised is refused too.
        ("UPDATE audit_auditevent SET summary = %s, changes = '{}' WHERE id = %s", [REDACTED_SUMMARY, kept_event.pk]),
    ]
    for sql, params in attempts:
        with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    with pytest.raises(PermissionError):
        AuditEvent.objects.redact_anonymised_family(kept)


def test_anonymising_blanks_how_to_reach_the_family_and_what_was_written_about_them(cast, families):
    from advice.models import AdviceEntry
    from community.models import Connection
    from community.services import connection_create
    from tests.advice.factories import advice_entry

    gone = families["closure_rule"]
    Family.objects.filter(pk=gone.pk).update(contact_phone="07700 900123", contact_email="jo.adams@example.com")
    Referral.objects.filter(family=gone).update(contact_phone="07700 900123", contact_email="jo.adams@example.com")
    advice_entry(actor=cast.worker, family=gone, notes="Jo Adams asked about the housing register.")
    connection_create(family=gone, actor=cast.worker, service_name="Baby bank", note="Went with Jo Adams.")

    retention_run(today=date(2033, 4, 1))

    gone.refresh_from_db()
    assert (gone.contact_phone, gone.contact_email) == ("", "")
    assert set(Referral.objects.filter(family=gone).values_list("contact_phone", "contact_email")) == {("", "")}
    assert set(AdviceEntry.objects.filter(family=gone).values_list("notes", flat=True)) == {""}
    assert set(Connection.objects.filter(family=gone).values_list("note", flat=True)) == {""}


def test_anonymising_blanks_the_reason_a_register_was_corrected_for_the_family_on_the_session_too(cast):
    from families.support import services as support_services
    from tests.families.factories import scores
    from tests.venues.factories import course, enrolled, family_of, parent_of, past_sessions
    from venues.models import GroupSession
    from venues.services import register_take

    gone = _family(cast, "Evans", close=False, children_born=date(2002, 6, 1))
    other = family_of(cast, last_name="Fisher")
    the_course = course(cast=cast)
    (gone_place,) = enrolled(the_course, [parent_of(gone)], actor=cast.worker)
    (other_place,) = enrolled(the_course, [parent_of(other)], actor=cast.worker)
    first, second = past_sessions(the_course)[:2]
    for session in (first, second):
        register_take(session=session, actor=cast.worker, attended=set())
    register_take(session=first, actor=cast.worker, attended={gone_place.uuid}, reason="Jo Evans came, not absent")
    register_take(session=second, actor=cast.worker, attended={other_place.uuid}, reason="Fisher came after all")
    plan = gone.plans.get(status="active")
    support_services.plan_request_closure(
        plan=plan,
        reason="needs_met",
        summary="Done",
        scores=scores(plan, 7),
        assessed_on=date(2026, 11, 23),
        actor=cast.worker,
    )
    support_services.plan_approve_closure(plan=plan, actor=cast.manager)

    results = retention_run(today=date(2033, 4, 1))
    assert gone.reference in {result.family for result in results if result.anonymised}

    gone.refresh_from_db()
    assert gone.anonymised_at is not None
    reasons = set(
        GroupSession.history.exclude(history_change_reason=None).values_list("history_change_reason", flat=True)
    )
    assert not any("Evans" in reason for reason in reasons), reasons
    assert "Fisher came after all" in reasons  # another family's correction is theirs to keep


def test_anonymising_removes_every_earlier_version_of_the_referral_those_from_before_it_joined_the_family_too(
    cast, families
):
    """A referral is received with no family and is linked to one at triage: its first versions hold the
    referrer's and the family's details with no family on them, and must go with the rest."""
    gone = families["closure_rule"]
    referral = Referral.objects.get(family=gone)
    assert Referral.history.filter(id=referral.id, family=None).exists()  # the versions from before triage

    retention_run(today=date(2033, 4, 1))

    remaining = Referral.history.filter(id=referral.id)
    assert not remaining.filter(address_line_1="12 Market Street").exists()
    assert not remaining.filter(referrer_name="Jo Health").exists()
    assert not remaining.exists()


def test_anonymising_blanks_why_a_record_was_marked_in_error(cast, families):
    from families.support.services.corrections import contact_mark_in_error

    gone = families["closure_rule"]
    contact = Contact.objects.filter(family=gone).first()
    contact_mark_in_error(contact=contact, actor=cast.worker, reason="This was Jo Adams's sister's visit")

    retention_run(today=date(2033, 4, 1))

    contact.refresh_from_db()
    assert contact.in_error_at is not None and contact.in_error_reason == ""
    events = AuditEvent.objects.filter(family=gone)
    assert not events.filter(summary__contains="sister").exists()
    assert not [event.changes for event in events if "sister" in str(event.changes)]


def test_anonymising_blanks_who_asked_for_the_familys_records(cast, families):
    from privacy.models import SubjectAccessRequest
    from privacy.services import subject_access_create

    gone = families["closure_rule"]
    sar = subject_access_create(
        actor=cast.admin, family_reference=gone.reference, requester_name="Jo Adams", received_on=date(2026, 11, 2)
    )

    retention_run(today=date(2033, 4, 1))

    sar.refresh_from_db()
    assert sar.requester_name == "Anonymised"
    assert sar.reference and sar.received_on == date(2026, 11, 2)  # that a request was made, and when, is kept
    assert not SubjectAccessRequest.objects.filter(requester_name__contains="Adams").exists()


def test_anonymising_redacts_the_referrals_events_from_before_it_was_linked_to_the_family(cast, families):
    """A referral corrected before triage is audited with no family (none was linked yet); its free text may name
    the family and goes with the rest. Another referral's events are kept."""
    from ecfs.audit.actions import AuditAction
    from ecfs.audit.services import audit_record

    gone, kept = families["closure_rule"], families["held"]
    for family in (gone, kept):
        audit_record(
            actor=cast.manager,
            action=AuditAction.REFERRAL_AMENDED,
            obj=Referral.objects.get(family=family),
            family=None,
            summary=f"Referral corrected (last name): the {family.members.first().last_name}s spell it so",
            changes={"reason": "spelling"},
        )
    protection.legal_hold_place(family=kept, actor=cast.manager, reason="Court case")

    retention_run(today=date(2033, 4, 1))

    assert not AuditEvent.objects.filter(summary__contains="Adams").exists()
    before_triage = AuditEvent.objects.filter(family=None, object_id=str(Referral.objects.get(family=gone).uuid))
    redacted = before_triage.get(action="referral.amended")
    assert redacted.summary == REDACTED_SUMMARY and redacted.changes == {} and redacted.actor == cast.manager
    assert AuditEvent.objects.filter(family=None, summary__contains="Clarkes").exists()
