"""The imports page (service admins) and the review pages (team managers of the row's base)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from families.models import Family
from imports.models import ImportBatch, ImportedRecord, ImportReview
from tests.referrals.factories import allocated_referral, child_dob

from .helpers import csv_bytes, example_file, good_row

pytestmark = pytest.mark.django_db

CAST = ("worker", "colleague", "other_worker", "manager", "other_manager", "commissioner", "admin")


def upload(data: bytes, name="open-cases.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def review(cast):
    """A row of cast.team's base that may be a family already held there."""
    allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    row = good_row(cast, previous_id="AFC-3001", postcode="NR1 3AB", child1_first_name="Alfie")
    row.update(child1_last_name="Howes", child1_dob=child_dob().isoformat())
    from imports.services import open_cases_import

    open_cases_import(data=csv_bytes([row]), file_name="open-cases.csv", actor=cast.admin)
    return ImportReview.objects.get()


@pytest.mark.parametrize("member", CAST)
def test_the_imports_page_is_for_service_admins_only(client, cast, member):
    client.force_login(getattr(cast, member))
    assert client.get(reverse("import-home")).status_code == (200 if member == "admin" else 403)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("import-home")).status_code == 302


def test_an_admin_uploads_a_good_file_and_sees_the_report(client, cast):
    client.force_login(cast.admin)

    response = client.post(reverse("import-home"), {"file": upload(example_file(cast)), "import": "1"})

    assert response.status_code == 200
    assert b"2 rows read: 2 imported" in response.content
    assert ImportedRecord.objects.count() == 2
    assert ImportBatch.objects.get().channel == ImportBatch.Channel.UPLOAD


def test_a_check_only_upload_imports_nothing(client, cast):
    client.force_login(cast.admin)

    response = client.post(reverse("import-home"), {"file": upload(example_file(cast)), "check": "1"})

    assert response.status_code == 200
    assert b"check only" in response.content
    assert not Family.objects.exists()


def test_a_bad_upload_shows_every_problem_and_imports_nothing(client, cast):
    client.force_login(cast.admin)
    data = csv_bytes([good_row(cast, district="Atlantis"), good_row(cast, previous_id="2", child1_dob="soon")])

    response = client.post(reverse("import-home"), {"file": upload(data)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "<code>district</code>" in html and "<code>child1_dob</code>" in html
    assert not Family.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("open-cases.xlsx", b"previous_provider\n", b"must be a CSV file"),
        ("open-cases.csv", b"", b"The file is empty"),
        ("open-cases.csv", b"x" * (5 * 1024 * 1024 + 1), b"smaller than 5 MB"),
    ],
)
def test_an_upload_that_is_not_a_small_csv_file_is_refused(client, cast, name, data, message):
    client.force_login(cast.admin)

    response = client.post(reverse("import-home"), {"file": upload(data, name)})

    assert response.status_code == 400
    assert message in response.content
    assert not ImportBatch.objects.exists()


def test_the_admin_page_lists_pending_reviews_without_names(client, cast, review):
    client.force_login(cast.admin)

    html = client.get(reverse("import-home")).content.decode()

    assert "AFC-3001" in html
    assert "Alfie" not in html and "Howes" not in html


@pytest.mark.parametrize(
    ("member", "status"),
    [("manager", 200), ("other_manager", 404), ("worker", 403), ("admin", 403), ("commissioner", 403)],
)
def test_a_review_is_for_the_managers_of_its_base(client, cast, review, member, status):
    client.force_login(getattr(cast, member))
    assert client.get(reverse("import-review", args=[review.uuid])).status_code == status


def test_a_manager_sees_their_reviews_and_decides(client, cast, review):
    client.force_login(cast.manager)
    assert b"AFC-3001" in client.get(reverse("import-review-list")).content
    client.force_login(cast.other_manager)
    assert b"AFC-3001" not in client.get(reverse("import-review-list")).content

    client.force_login(cast.manager)
    held = review.candidates.get()
    response = client.post(
        reverse("import-review", args=[review.uuid]),
        {"decision": "same_family", "family": held.reference, "notes": "Same child, same address."},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("family-detail", args=[held.reference])
    review.refresh_from_db()
    assert review.status == ImportReview.Status.SAME_FAMILY
    assert ImportedRecord.objects.get().family == held


def test_deciding_it_is_a_family_held_needs_the_family(client, cast, review):
    client.force_login(cast.manager)

    response = client.post(reverse("import-review", args=[review.uuid]), {"decision": "same_family", "notes": "x"})

    assert response.status_code == 400
    assert b"Choose the family this row is" in response.content
