"""An import file holding a null character (a damaged export) is refused with the lines that hold one, never a
server error: the database cannot store the character, in a family's details or in the refused batch's report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from families.models import Family
from imports.models import ImportBatch
from imports.services import open_cases_import

from .helpers import csv_bytes, good_row

pytestmark = pytest.mark.django_db

NULL_MESSAGE = "This line holds a null character (\\0), which cannot be saved: remove it and save the file again"


def test_a_null_character_in_a_cell_is_a_line_error_and_imports_nothing(cast):
    damaged = good_row(cast, previous_id="AFC-2002", child1_first_name="Milo", parent1_first_name="Ja\x00de")
    rows = [good_row(cast), damaged]

    report = open_cases_import(data=csv_bytes(rows), file_name="open-cases.csv", actor=cast.admin)

    assert [(error.line, error.message) for error in report.errors] == [(3, NULL_MESSAGE)]
    assert not Family.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED


def test_a_null_character_in_the_header_is_refused_too(cast):
    data = csv_bytes([good_row(cast)]).replace(b"previous_provider", b"previous\x00provider", 1)

    report = open_cases_import(data=data, file_name="open-cases.csv", actor=cast.admin)

    assert [(error.line, error.message) for error in report.errors] == [(1, NULL_MESSAGE)]
    assert ImportBatch.objects.get().status == ImportBatch.Status.REFUSED


def test_the_imports_page_lists_the_line_and_imports_nothing(client, cast):
    data = csv_bytes([good_row(cast, parent1_first_name="Ja\x00de")])
    client.force_login(cast.admin)

    response = client.post(
        reverse("import-home"), {"file": SimpleUploadedFile("open-cases.csv", data, content_type="text/csv")}
    )

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert "This line holds a null character" in response.content.decode()
    assert not Family.objects.exists()
