"""Documents in subject access bundles, and gone with the family under the retention rule (issue #20 item 3)."""

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from documents.models import Document
from documents.services import document_mark_in_error
from privacy import services
from privacy.services import retention_run
from tests.families.factories import closed_plan
from tests.referrals.factories import allocated_referral

from .factories import PNG, document_on

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _sections(sar, actor, kind):
    return services.subject_access_download(sar=sar, actor=actor, kind=kind)


def test_the_bundle_lists_the_documents_on_the_record_but_not_those_in_error(cast, family):
    document_on(family, cast.worker, name="consent.pdf", description="Consent to share signed by Jo")
    wrong = document_on(family, cast.worker, name="other.png", content=PNG, kind="letter", description="Not theirs")
    document_mark_in_error(document=wrong, actor=cast.worker, reason="Another family's letter")
    sar = services.subject_access_create(
        actor=cast.admin, family_reference=family.reference, requester_name="Jo", received_on=date(2026, 10, 31)
    )

    data = json.loads(_sections(sar, cast.admin, "json"))
    [section] = [s for s in data["sections"] if s["title"] == "Documents on the record"]
    assert [(row["Kind"], row["Description"], row["File name"], row["Type"]) for row in section["rows"]] == [
        ("Signed consent form", "Consent to share signed by Jo", "consent.pdf", "application/pdf")
    ]
    assert section["rows"][0]["Added by"] == cast.worker.get_full_name()

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_sections(sar, cast.admin, "pdf"))).pages)
    assert "Documents on the record" in text
    assert "Consent to share signed by Jo" in text
    assert "Not theirs" not in text


def test_the_admin_downloads_the_listed_documents_from_the_request_and_nothing_else(client, cast, family):
    from django.urls import reverse

    from ecfs.audit.models import AuditEvent

    consent = document_on(family, cast.worker, name="consent.pdf", description="Consent to share signed by Jo")
    wrong = document_on(family, cast.worker, name="other.png", content=PNG, kind="letter", description="Not theirs")
    document_mark_in_error(document=wrong, actor=cast.worker, reason="Another family's letter")
    elsewhere = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    not_asked_for = document_on(elsewhere, cast.worker, name="theirs.pdf")
    sar = services.subject_access_create(
        actor=cast.admin, family_reference=family.reference, requester_name="Jo", received_on=date(2026, 10, 31)
    )
    client.force_login(cast.admin)

    page = client.get(reverse("subject-access-detail", args=[sar.uuid])).content.decode()
    assert "Download consent.pdf" in page and "other.png" not in page
    response = client.get(reverse("subject-access-document", args=[sar.uuid, consent.uuid]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"] and "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action="document.downloaded").latest("pk")
    assert event.actor == cast.admin and event.family == family
    assert sar.reference in event.summary
    # Only this family's documents, and not one recorded in error; the admin still cannot open the record's own link.
    for other in (wrong, not_asked_for):
        assert client.get(reverse("subject-access-document", args=[sar.uuid, other.uuid])).status_code == 404
    assert client.get(reverse("document-download", args=[consent.uuid])).status_code == 404


@pytest.mark.dates
def test_the_retention_job_deletes_the_familys_documents_and_their_files(
    cast, documents_root, django_capture_on_commit_callbacks
):
    with time_machine.travel(TODAY, tick=True):
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        # Children grown up: the closure rule decides (kept until 31 March 2033).
        family.members.filter(kind="child").update(date_of_birth=date(2002, 6, 1))
        kept = document_on(family, cast.worker)
        in_error = document_on(family, cast.worker, name="scan.png", content=PNG)
        document_mark_in_error(document=in_error, actor=cast.worker, reason="Wrong family")
        closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    files = [documents_root / kept.file.name, documents_root / in_error.file.name]
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        results = retention_run(today=date(2033, 4, 1))

    assert [result.family for result in results if result.anonymised] == [family.reference]
    assert not Document.objects.filter(family=family).exists()
    assert not any(path.exists() for path in files)
