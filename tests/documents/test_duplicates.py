"""The same file uploaded twice to a family's record (a double click, a resent form) is kept once; the second is
refused, naming the document already there. A different file, or the same file on another family, is added."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import Document
from documents.services import document_mark_in_error
from tests.referrals.factories import allocated_referral

from .factories import PDF, PNG, document_on, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def _post(client, family, file, **data):
    fields = {"kind": "consent", "description": "Consent to share, signed by both parents", "file": file, **data}
    return client.post(reverse("document-add", args=[family.reference]), fields)


def test_the_same_file_sent_twice_is_kept_once(client, cast, family):
    client.force_login(cast.worker)
    assert _post(client, family, upload("Signed consent.pdf", PDF)).status_code == 302
    again = _post(client, family, upload("Signed consent.pdf", PDF))
    assert again.status_code == 400
    page = again.content.decode()
    assert "govuk-error-summary" in page
    assert "This file is already on the record: “Consent to share, signed by both parents”" in page
    assert Document.objects.filter(family=family).count() == 1


def test_the_same_file_under_another_name_is_still_the_same_file(cast, family):
    document_on(family, cast.worker, name="consent.pdf")
    with pytest.raises(ValidationError, match="already on the record"):
        document_on(family, cast.worker, name="consent (1).pdf", description="Consent again")
    assert Document.objects.filter(family=family).count() == 1


def test_a_different_file_of_the_same_size_is_added(cast, family):
    document_on(family, cast.worker, content=PDF)
    same_size = PDF[:-2] + b"\n\n"
    assert len(same_size) == len(PDF) and same_size != PDF
    document_on(family, cast.worker, content=same_size, description="Another consent")
    document_on(family, cast.worker, content=PNG, description="A photo")
    assert Document.objects.filter(family=family).count() == 3


def test_the_same_file_on_another_family_or_after_the_first_was_in_error_is_added(cast, family):
    other = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    first = document_on(family, cast.worker)
    document_on(other, cast.worker)
    document_mark_in_error(document=first, actor=cast.worker, reason="Added to the wrong family")
    document_on(family, cast.worker)
    assert Document.objects.filter(family=family).count() == 2
    assert Document.objects.filter(family=other).count() == 1
