"""Importing open cases from a previous provider: every row or nothing, no duplicates, possible matches reviewed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import Allocation, Family, Person, SupportPlan
from imports import services
from imports.models import ImportBatch, ImportedRecord, ImportReview
from imports.report import ImportReport
from referrals.models import Referral
from tests.referrals.factories import allocated_referral, child_dob

from .helpers import csv_bytes, days_ago, example_file, good_row

pytestmark = pytest.mark.django_db


def run(data: bytes, actor, **kwargs) -> ImportReport:
    return services.open_cases_import(data=data, file_name="open-cases.csv", actor=actor, **kwargs)


# A good file ------------------------------------------------------------------------------------


def test_a_good_file_imports_every_row_with_previous_ids_and_flags(cast):
    report = run(example_file(cast), cast.admin)

    assert report.ok, report.lines()
    assert [outcome.line for outcome in report.imported] == [2, 3]
    records = {r.previous_id: r for r in ImportedRecord.objects.select_related("family", "referral", "plan")}
    assert set(records) == {"AFC-1001", "AFC-1002"}
    assert {r.previous_provider for r in records.values()} == {"Action for Children"}

    first = records["AFC-1001"]
    family = first.family
    assert family.consent_given is True
    assert family.consent_date == days_ago(119)
    assert family.consent_given_by == "Mother"
    assert family.base == cast.team.base
    assert sorted(family.members.values_list("first_name", flat=True)) == ["Alfie", "Kerry", "Maisie"]
    assert first.withheld_address is True
    assert family.address_withheld is True  # the family's address is withheld from then on
    assert "no contact order" in first.safeguarding_note
    referral = first.referral
    assert referral.status == Referral.Status.ALLOCATED
    assert referral.safe_contact_only is True
    assert referral.safe_contact_notes == "Text first; never leave a voicemail"
    assert "Safeguarding information from Action for Children" in referral.reason_details
    assert referral.received_via == Referral.ReceivedVia.PARTNER_SYSTEM
    assert referral.first_contact_at is not None
    assert sorted(referral.reasons.values_list("code", flat=True)) == ["parental_mental_health", "social_networks"]
    lead = family.allocations.get(ended_at__isnull=True)
    assert (lead.worker, lead.role, lead.allocated_by) == (cast.worker, Allocation.Role.LEAD, cast.manager)
    # One-to-one: an assessment marked as carried over, then a draft plan the worker owns.
    assert first.plan.kind == SupportPlan.Kind.ONE_TO_ONE
    assert first.plan.status == SupportPlan.Status.DRAFT
    assert first.plan.worker == cast.worker
    assert family.assessments.get().strengths.startswith("Assessment carried over from Action for Children")
    assert AuditEvent.objects.filter(family=family, action="family.imported", actor=cast.admin).exists()

    second = records["AFC-1002"]
    assert second.family.consent_given is False
    assert second.referral.safe_contact_only is False
    assert second.withheld_address is False
    assert second.family.address_withheld is False
    assert second.plan.kind == SupportPlan.Kind.GROUP
    assert second.family.members.filter(kind="unborn", last_name="Thurlow").exists()
    assert second.referral.first_contact_at is None

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows_total, batch.rows_imported) == (ImportBatch.Status.IMPORTED, 2, 2)


def test_a_childs_funded_early_education_columns_are_imported_onto_the_child(cast):
    report = run(example_file(cast), cast.admin)

    assert report.ok, report.lines()
    alfie = Person.objects.get(first_name="Alfie")
    assert alfie.funded_education_eligible is True
    assert alfie.funded_education_started_on == days_ago(10)
    assert alfie.funded_education_setting == "Little Acorns Pre-school"
    maisie = Person.objects.get(first_name="Maisie")  # no early education columns for child 2
    assert (maisie.funded_education_eligible, maisie.funded_education_started_on) == (False, None)
    assert Referral.objects.filter(people__first_name="Alfie").exists()  # the referral names the child, no more


def test_a_bad_funded_place_date_is_a_row_error_and_imports_nothing(cast):
    rows = [
        good_row(cast, child1_eligible_2yo="maybe", child1_funded_place_started="", child1_funded_place_setting=""),
        good_row(
            cast,
            previous_id="AFC-2002",
            child1_first_name="Ivy",
            child1_dob=days_ago(2 * 365 + 60).isoformat(),
            child1_eligible_2yo="yes",
            child1_funded_place_started="31/02/2025",
        ),
        good_row(
            cast,
            previous_id="AFC-2003",
            child1_first_name="Ted",
            child1_dob=days_ago(2 * 365 + 60).isoformat(),
            child1_eligible_2yo="no",
            child1_funded_place_started=days_ago(5).isoformat(),
            child1_funded_place_setting="Busy Bees",
        ),
        good_row(cast, previous_id="AFC-2004", child1_first_name="Zak", child1_funded_place_setting="Busy Bees"),
    ]

    report = run(csv_bytes(rows), cast.admin)

    assert [str(e) for e in report.errors] == [
        "line 2, column child1_eligible_2yo: Enter yes or no",
        "line 3, column child1_funded_place_started: Enter a real date, like 2024-03-31 or 31/03/2024",
        "line 4, column child1_eligible_2yo: A funded place that started before the child's third birthday needs "
        "the child to be eligible for a 2-year-old place",
        "line 5, column child1_funded_place_started: Enter the date the funded place started, or leave the setting "
        "blank",
    ]
    _assert_nothing_imported()


def test_running_the_same_file_again_creates_nothing(cast):
    data = example_file(cast)
    assert run(data, cast.admin).ok
    counts = (Family.objects.count(), Referral.objects.count(), SupportPlan.objects.count())

    again = run(data, cast.admin)

    assert again.ok
    assert again.imported == [] and len(again.already_imported) == 2
    assert (Family.objects.count(), Referral.objects.count(), SupportPlan.objects.count()) == counts
    assert ImportedRecord.objects.count() == 2


def test_a_check_only_run_imports_nothing(cast):
    report = run(example_file(cast), cast.admin, dry_run=True)

    assert report.ok and len(report.imported) == 2
    assert not Family.objects.exists() and not ImportBatch.objects.exists()


# A malformed file -------------------------------------------------------------------------------


def _assert_nothing_imported():
    assert not Family.objects.exists()
    assert not Referral.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert not ImportReview.objects.exists()


def test_a_missing_column_imports_nothing_and_names_it(cast):
    report = run(csv_bytes([good_row(cast)], drop=("district",)), cast.admin)

    assert not report.ok
    assert "line 1, column district: This column is missing" in [str(e) for e in report.errors]
    _assert_nothing_imported()


def test_a_bad_date_imports_nothing_and_names_its_line_and_column(cast):
    rows = [good_row(cast), good_row(cast, previous_id="AFC-2002", child1_first_name="Ivy", child1_dob="31/02/2024")]

    report = run(csv_bytes(rows), cast.admin)

    assert [str(e) for e in report.errors] == [
        "line 3, column child1_dob: Enter a real date, like 2024-03-31 or 31/03/2024"
    ]
    _assert_nothing_imported()


def test_an_unknown_district_imports_nothing(cast):
    report = run(csv_bytes([good_row(cast, district="Atlantis")]), cast.admin)

    assert [(e.line, e.column) for e in report.errors] == [(2, "district")]
    _assert_nothing_imported()


def test_text_longer_than_the_record_holds_is_a_row_error_not_a_failed_import(cast):
    """On PostgreSQL a 201-character address line used to pass the checks and fail the import (a 500)."""
    row = good_row(cast, address_line_1="A" * 201, address_line_2="B" * 201, town="T" * 101, consent_given_by="C" * 151)

    report = run(csv_bytes([row]), cast.admin)

    assert [(e.line, e.column) for e in report.errors] == [
        (2, "address_line_1"),
        (2, "address_line_2"),
        (2, "consent_given_by"),
        (2, "town"),
    ]
    _assert_nothing_imported()


def test_a_family_twice_in_the_file_imports_nothing(cast):
    rows = [
        good_row(cast),
        good_row(cast, previous_id="AFC-2001"),  # the same id again
        good_row(cast, previous_id="AFC-2003"),  # the same child at the same postcode under another id
    ]

    report = run(csv_bytes(rows), cast.admin)

    assert [str(e) for e in report.errors] == [
        "line 3, column previous_id: The same family as line 2",
        "line 4, column child1_first_name: The same family as line 2 (same children and postcode)",
    ]
    _assert_nothing_imported()


def test_a_file_with_many_problems_reports_every_bad_line_and_imports_nothing(cast):
    rows = [
        good_row(cast),
        good_row(cast, previous_id="B-1", child1_first_name="Ivy", referral_received="2024-13-01"),
        good_row(cast, previous_id="B-2", child1_first_name="Finn", district="Atlantis"),
        good_row(cast, previous_id="B-3", child1_first_name="Ada", postcode="NOT A CODE", consent_given="maybe"),
        good_row(cast),  # the first family again
        good_row(cast, previous_id="B-4", child1_first_name="Zac", worker_email=cast.other_worker.email),
        good_row(cast, previous_id="B-5", child1_first_name="Eve", reasons="early_attachment;made_up"),
        good_row(cast, previous_id="B-6", child1_first_name="Max", plan_kind="one_to_one"),
    ]

    report = run(csv_bytes(rows, drop=("safeguarding_note",)), cast.admin)

    assert not report.ok
    assert {(e.line, e.column) for e in report.errors} == {
        (1, "safeguarding_note"),
        (3, "referral_received"),
        (4, "district"),
        (5, "postcode"),
        (5, "consent_given"),
        (6, "previous_id"),
        (7, "worker_email"),
        (8, "reasons"),
        (9, "assessment_agreed_on"),
    }
    assert report.summary.startswith("Nothing was imported")
    _assert_nothing_imported()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert any(error["line"] == 3 and error["column"] == "referral_received" for error in batch.errors)


def test_a_worker_who_is_not_a_worker_at_the_base_is_refused(cast):
    report = run(csv_bytes([good_row(cast, worker_email=cast.manager.email)]), cast.admin)

    assert [str(e) for e in report.errors] == [
        "line 2, column worker_email: No active family support worker has this email address"
    ]


def test_only_a_service_admin_can_import(cast):
    with pytest.raises(ApplicationError):
        run(csv_bytes([good_row(cast)]), cast.manager)


def test_a_file_that_is_not_utf8_is_refused(cast):
    report = run("previous_provider\nCaf\xe9".encode("latin-1"), cast.admin)

    assert "UTF-8" in report.errors[0].message


# Possible duplicates ----------------------------------------------------------------------------


@pytest.fixture
def held_family(cast):
    """A family the service already holds: Alfie Howes, at NR1 3AB."""
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _matching_row(cast, **overrides):
    return good_row(
        cast,
        previous_id="AFC-3001",
        postcode="NR1 3AB",
        child1_first_name="Alfie",
        child1_last_name="Howes",
        child1_dob=child_dob().isoformat(),
        **overrides,
    )


def test_a_row_that_may_be_a_family_already_held_goes_to_review_not_merged(cast, held_family):
    members = list(held_family.members.values_list("pk", flat=True))
    rows = [_matching_row(cast), good_row(cast)]

    report = run(csv_bytes(rows), cast.admin)

    assert report.ok
    assert [o.previous_id for o in report.for_review] == ["AFC-3001"]
    assert [o.previous_id for o in report.imported] == ["AFC-2001"]
    review = ImportReview.objects.get()
    assert review.status == ImportReview.Status.PENDING
    assert list(review.candidates.all()) == [held_family]
    assert review.base == cast.team.base
    assert not ImportedRecord.objects.filter(previous_id="AFC-3001").exists()
    assert list(held_family.members.values_list("pk", flat=True)) == members
    assert held_family.referrals.count() == 1

    # Running the file again neither imports the row nor makes a second review.
    again = run(csv_bytes(rows), cast.admin)
    assert again.for_review == [] and len(again.already_imported) == 2
    assert ImportReview.objects.count() == 1


def test_a_manager_decides_the_row_is_the_family_already_held(cast, held_family):
    run(csv_bytes([_matching_row(cast, withheld_address="yes")]), cast.admin)
    review = ImportReview.objects.get()

    record = services.import_review_decide(
        review=review, decision="same_family", family=held_family, notes="Same child and address.", actor=cast.manager
    )

    assert record.family == held_family and record.matched_existing
    held_family.refresh_from_db()
    assert held_family.address_withheld  # the previous provider's withheld flag carries over
    assert held_family.referrals.count() == 1  # nothing merged into it
    review.refresh_from_db()
    assert review.status == ImportReview.Status.SAME_FAMILY and review.decided_by == cast.manager


def test_a_manager_imports_the_row_as_a_new_family(cast, held_family):
    run(csv_bytes([_matching_row(cast)]), cast.admin)
    review = ImportReview.objects.get()

    record = services.import_review_decide(
        review=review, decision="imported_as_new", notes="Different family: cousins.", actor=cast.manager
    )

    assert record.family != held_family
    assert Referral.objects.get(pk=record.referral_id).status == Referral.Status.ALLOCATED
    assert Family.objects.count() == 2


def test_a_manager_of_another_base_cannot_decide(cast, held_family):
    run(csv_bytes([_matching_row(cast)]), cast.admin)

    with pytest.raises(ApplicationError):
        services.import_review_decide(
            review=ImportReview.objects.get(), decision="imported_as_new", notes="x", actor=cast.other_manager
        )


def test_deciding_needs_a_reason(cast, held_family):
    run(csv_bytes([_matching_row(cast)]), cast.admin)

    with pytest.raises(ValidationError):
        services.import_review_decide(
            review=ImportReview.objects.get(), decision="imported_as_new", notes=" ", actor=cast.manager
        )


# The command ------------------------------------------------------------------------------------


def test_the_command_imports_and_prints_a_report_and_progress(cast, tmp_path):
    path = tmp_path / "open-cases.csv"
    path.write_bytes(example_file(cast))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_open_cases", str(path), "--actor", cast.admin.email, stdout=out, stderr=err)

    assert "line 2: Action for Children AFC-1001 imported as ECFS-" in out.getvalue()
    assert "2 rows read: 2 imported" in out.getvalue()
    assert "Importing" in err.getvalue() and "2/2" in err.getvalue()
    assert ImportedRecord.objects.count() == 2


def test_the_command_fails_and_imports_nothing_when_a_line_is_wrong(cast, tmp_path):
    path = tmp_path / "open-cases.csv"
    path.write_bytes(csv_bytes([good_row(cast), good_row(cast, previous_id="X", child1_dob="yesterday")]))
    out = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_open_cases", str(path), "--actor", cast.admin.email, stdout=out, stderr=io.StringIO())

    assert "line 3, column child1_dob: Enter a real date" in out.getvalue()
    _assert_nothing_imported()


def test_the_command_needs_a_known_actor(cast, tmp_path):
    path = tmp_path / "open-cases.csv"
    path.write_bytes(csv_bytes([good_row(cast)]))

    with pytest.raises(CommandError, match="No user"):
        call_command("import_open_cases", str(path), "--actor", "nobody@example.org", stdout=io.StringIO())
