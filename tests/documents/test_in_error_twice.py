"""Recording a document in error twice (a double click, the form sent again) changes nothing the second time and
says so on the page, instead of a page not found; anyone outside the family still gets 404."""

import pytest
from django.urls import reverse

from documents.models import Document
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from tests.referrals.factories import allocated_referral

from .factories import document_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    return document_on(family, cast.worker)


def test_the_second_post_says_it_is_already_recorded_in_error(client, cast, document):
    client.force_login(cast.worker)
    url = reverse("document-in-error", args=[document.uuid])
    assert client.post(url, {"reason": "Added to the wrong family"}).status_code == 302

    again = client.post(url, {"reason": "Added to the wrong family"})

    assert again.status_code == 400
    page = again.content.decode()
    assert "govuk-error-summary" in page and "This document is already recorded in error." in page
    document.refresh_from_db()
    assert document.in_error_reason == "Added to the wrong family"
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_MARKED_IN_ERROR).count() == 1


def test_a_document_in_error_is_still_not_found_outside_the_family(client, cast, document):
    client.force_login(cast.worker)
    client.post(reverse("document-in-error", args=[document.uuid]), {"reason": "Added to the wrong family"})
    client.force_login(cast.other_worker)
    assert client.post(reverse("document-in-error", args=[document.uuid]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("document-download", args=[document.uuid])).status_code == 404
    assert Document.objects.get(pk=document.pk).in_error_by == cast.worker
