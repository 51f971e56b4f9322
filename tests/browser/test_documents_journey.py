"""Documents on the family record (#20 item 3) in Chromium: a worker uploads a signed consent form from the
family's record (a program named ``.pdf`` is refused on the field first), finds it on the Documents tab and
downloads it. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import Document
from tests.documents.factories import EXE, PDF
from tests.referrals.factories import allocated_referral

from . import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root


def test_a_worker_uploads_a_consent_form_from_the_family_record(tab, cast, tmp_path):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    sign_in(tab, cast.worker)
    tab.goto(f"/families/{family.reference}/")
    tab.get_by_role("tab", name="Documents").click()
    expect(tab.get_by_text("No documents on the record yet.")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_role("link", name="Upload a document").click()
    expect(tab.get_by_role("heading", name="Upload a document")).to_be_visible()
    assert_accessible(tab)

    # A program renamed consent.pdf: refused, and the error summary leads to the file field.
    tab.get_by_label("File").set_input_files({"name": "consent.pdf", "mimeType": "application/pdf", "buffer": EXE})
    tab.get_by_label("Signed consent form").check()
    tab.get_by_label("Description").fill("Consent to share, signed by both parents")
    tab.get_by_role("button", name="Upload document").click()
    summary = tab.locator(".govuk-error-summary")
    expect(summary).to_contain_text("whatever its name says")
    summary.get_by_role("link").first.click()
    expect(tab.get_by_label("File")).to_be_focused()
    assert_accessible(tab)
    assert not Document.objects.exists()

    tab.get_by_label("File").set_input_files(
        {"name": "Signed consent.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    tab.get_by_role("button", name="Upload document").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Document added")
    panel = tab.locator("#documents")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Signed consent form")
    expect(panel).to_contain_text(cast.worker.get_full_name())
    assert_accessible(tab)
    screenshot(tab, "family-documents")

    with tab.expect_download() as download_info:
        panel.get_by_role("link", name=re.compile(r"^Consent to share, signed by both parents.*download")).click()
    download = download_info.value
    assert download.suggested_filename == "Signed consent.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF

    # Put on the wrong family: recorded in error, it leaves the list (the row and the file stay for the audit).
    panel.get_by_role("link", name=re.compile(r"^Recorded in error")).click()
    expect(tab.get_by_role("heading", name="Document recorded in error")).to_be_visible()
    assert_accessible(tab)
    tab.get_by_label("Why is this document recorded in error?").fill("Added to the wrong family")
    tab.get_by_role("button", name="Record in error").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Document recorded in error")
    expect(tab.locator("#documents")).to_contain_text("No documents on the record yet.")
    assert_accessible(tab)
    assert Document.objects.get().in_error_reason == "Added to the wrong family"


def test_a_file_larger_than_any_upload_gets_the_too_large_page(tab, cast, settings):
    """Refused before it is read (413): the page says what is taken and leads home, at 375 px wide too."""
    settings.DOCUMENTS_MAX_UPLOAD_MB = settings.IMPORT_MAX_UPLOAD_MB = 1
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    sign_in(tab, cast.worker)
    tab.set_viewport_size({"width": 375, "height": 800})
    tab.goto(f"/families/{family.reference}/documents/new/")
    big = PDF + b"0" * (3 * 1024 * 1024)
    tab.get_by_label("File").set_input_files({"name": "scan.pdf", "mimeType": "application/pdf", "buffer": big})
    tab.get_by_label("Signed consent form").check()
    tab.get_by_label("Description").fill("A scan at too high a resolution")
    tab.get_by_role("button", name="Upload document").click()

    expect(tab.get_by_role("heading", level=1)).to_have_text("The file is too large")
    expect(tab.locator(".govuk-error-summary")).to_contain_text("A document must be smaller than 1 MB")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(tab)
    assert not Document.objects.exists()
