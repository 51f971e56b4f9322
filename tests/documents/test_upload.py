"""Uploading documents to the family record (issue #20 item 3): the real type, the size limit, the audit."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from documents.models import Document
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from tests.referrals.factories import allocated_referral

from .factories import EXE, PDF, PNG, docx_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _post(client, family, file, **data):
    fields = {"kind": "consent", "description": "Consent to share, signed by both parents", **data}
    if file is not None:
        fields["file"] = file
    return client.post(reverse("document-add", args=[family.reference]), fields)


def test_a_worker_uploads_a_consent_form_and_sees_it_on_the_record(client, cast, family, documents_root):
    client.force_login(cast.worker)
    response = _post(client, family, upload("Signed consent.pdf", PDF))
    assert response.status_code == 302
    assert response["Location"] == reverse("family-detail", args=[family.reference]) + "#documents"

    document = Document.objects.get(family=family)
    assert (document.kind, document.content_type, document.size) == ("consent", "application/pdf", len(PDF))
    assert document.added_by == cast.worker
    stored = documents_root / document.file.name
    assert stored.read_bytes() == PDF
    # Kept privately: under the documents root, named by uuids, nowhere near MEDIA_ROOT.
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.resolve().parents
    assert document.file.name == f"{family.uuid}/{document.uuid}.pdf"

    event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_ADDED)
    assert (event.actor, event.family_id) == (cast.worker, family.pk)

    page = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert 'id="documents"' in page
    assert "Consent to share, signed by both parents" in page
    assert "Signed consent form" in page
    assert cast.worker.get_full_name() in page
    assert reverse("document-download", args=[document.uuid]) in page


@pytest.mark.parametrize(
    ("name", "content", "real"),
    [("scan.png", PNG, "image/png"), ("plan.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument")],
)
def test_images_and_word_documents_are_accepted(client, cast, family, name, content, real):
    client.force_login(cast.worker)
    assert _post(client, family, upload(name, content, "application/octet-stream"), kind="plan").status_code == 302
    assert Document.objects.get(family=family).content_type.startswith(real)


def test_the_real_type_is_read_from_the_content_not_the_name_or_the_browser(client, cast, family, documents_root):
    client.force_login(cast.worker)
    response = _post(client, family, upload("consent.pdf", EXE, "application/pdf"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_file"' in page  # the error summary names the field
    assert "it is really application/x-msdownload, whatever its name says" in page
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_ADDED).exists()
    assert not documents_root.exists() or not any(documents_root.rglob("*.*"))


def test_a_named_png_that_is_really_text_is_refused(client, cast, family):
    client.force_login(cast.worker)
    response = _post(client, family, upload("photo.png", b"just some words", "image/png"))
    assert response.status_code == 400
    assert "The file must be a PDF, a photo or scan" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, cast, family, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    client.force_login(cast.worker)
    response = _post(client, family, upload("report.pdf", PDF + b"0" * (1024 * 1024)))
    assert response.status_code == 400
    assert "The file must be smaller than 1.0\xa0MB" in response.content.decode()
    assert not Document.objects.exists()


def test_an_empty_file_and_missing_fields_are_named(client, cast, family):
    client.force_login(cast.worker)
    page = _post(client, family, upload("empty.pdf", b"")).content.decode()
    assert "The selected file is empty" in page
    page = _post(client, family, None, kind="", description="").content.decode()
    for message in ("Select the file to upload", "Select what kind of document it is", "Enter a short description"):
        assert message in page
    assert not Document.objects.exists()


def test_the_upload_page_is_a_multipart_form_stating_the_limit(client, cast, family, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 7
    client.force_login(cast.worker)
    page = client.get(reverse("document-add", args=[family.reference])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'class="govuk-file-upload"' in page  # the GOV.UK file upload component, not a text input's styling
    assert "smaller than 7 MB" in page


def test_another_workers_family_cannot_take_an_upload(client, cast, family):
    client.force_login(cast.other_worker)
    assert _post(client, family, upload()).status_code == 404
    assert not Document.objects.exists()


def test_a_failed_save_leaves_neither_a_row_nor_a_file(cast, family, documents_root, monkeypatch):
    from documents import services

    def refuse(**kwargs):
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr(services, "audit_record", refuse)
    with pytest.raises(RuntimeError):
        services.document_add(family=family, actor=cast.worker, upload=upload(), kind="consent", description="Consent")
    assert not Document.objects.exists()
    assert not documents_root.exists() or not any(path.is_file() for path in documents_root.rglob("*"))


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(client, cast, family, settings):
    """Declared 200 MB and sent as a few bytes: refused from the declared length alone (reading it would fail)."""
    client.force_login(cast.worker)
    response = client.generic(
        "POST",
        reverse("document-add", args=[family.reference]),
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too large" in page
    assert "A document must be smaller than 10 MB and an import file smaller than 5 MB." in page
    assert not Document.objects.exists()


def test_an_upload_just_over_the_limit_is_refused_with_a_page_not_stored(client, cast, family, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = settings.IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(cast.worker)
    response = _post(client, family, upload("scan.pdf", PDF + b"0" * (2 * 1024 * 1024)))
    assert response.status_code == 413
    assert "A document must be smaller than 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_the_api_refuses_a_body_larger_than_any_upload_in_its_error_shape(client, cast, family):
    client.force_login(cast.worker)
    response = client.generic(
        "POST", "/api/families/", b"{}", content_type="application/json", CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
