"""The returns pages (#17 item 10): submitting asks for confirmation and says what happens; the generate form
reveals only the chosen kind's period; periods are named the same way everywhere."""

from datetime import date

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from reporting import services
from reporting.forms import GenerateForm
from reporting.models import Return, ReturnRequest
from reporting.periods import parse_period

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _draft(period="2026-Q2", kind="quarterly"):
    found = parse_period(period)
    return Return.objects.create(
        kind=kind,
        period=period,
        period_start=found.start,
        period_end=found.end,
        figures={"title": found.title, "districts": [], "sections": []},
        pdf=ContentFile(b"%PDF-1.4 placeholder", name="draft.pdf"),
        csv=ContentFile(b"kpi\n", name="draft.csv"),
    )


def test_periods_are_titled_the_same_way_everywhere():
    assert parse_period("2026-Q2").title == "Quarter 2 2026/27 (July to September 2026)"
    assert parse_period("2026-08").title == "August 2026"
    assert _draft().period_title == "Quarter 2 2026/27 (July to September 2026)"
    assert ReturnRequest(kind="monthly", period="2026-08").period_title == "August 2026"


def test_the_returns_list_and_detail_name_the_period_by_its_title(client, cast):
    draft = _draft()
    client.force_login(cast.manager)
    listing = client.get(reverse("return-list")).content.decode()
    assert "Quarter 2 2026/27 (July to September 2026)" in listing
    assert ">2026-Q2<" not in listing
    detail = client.get(reverse("return-detail", args=[draft.uuid])).content.decode()
    assert "Quarterly return Quarter 2 2026/27 (July to September 2026)" in detail  # the page title


def test_submitting_a_return_asks_for_confirmation_and_says_what_happens(client, cast):
    draft = _draft()
    client.force_login(cast.manager)
    page = client.get(reverse("return-detail", args=[draft.uuid])).content.decode()
    assert "I understand a submitted return cannot be changed" in page
    assert "commissioners can download" in page and "it can never be changed" in page

    response = client.post(reverse("return-submit", args=[draft.uuid]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Confirm that you understand a submitted return cannot be changed" in body
    draft.refresh_from_db()
    assert draft.status == Return.Status.DRAFT


def test_a_confirmed_submission_is_submitted_with_the_banner(client, cast, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda figures, **kwargs: b"%PDF-1.4 submitted")
    draft = _draft()
    client.force_login(cast.manager)
    response = client.post(reverse("return-submit", args=[draft.uuid]), {"confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert (
        "Quarterly return for Quarter 2 2026/27 (July to September 2026), version 1, submitted to the council"
        in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == Return.Status.SUBMITTED


def test_the_generate_form_reveals_only_the_chosen_kinds_period_and_works_without_javascript(client, cast):
    client.force_login(cast.manager)
    with time_machine.travel(date(2026, 10, 15), tick=False):
        page = client.get(reverse("return-list")).content.decode()
        # Each kind's period field sits under its radio and shows only when that kind is chosen (CSS: the
        # radios get no aria-expanded, which axe refuses on a radio); the Chromium layout test sees it happen.
        assert 'class="govuk-radios ecfs-reveal"' in page and 'aria-controls="conditional-' not in page
        assert 'id="conditional-monthly-period"' in page and 'id="conditional-quarterly-period"' in page
        assert page.index('value="monthly"') < page.index('id="conditional-monthly-period"')
        assert page.index('value="quarterly"') < page.index('id="conditional-quarterly-period"')
        assert "Month (optional)" not in page and "Quarter (optional)" not in page
        # Without JavaScript both fields are sent: the server reads the chosen kind's.
        form = GenerateForm({"kind": "monthly", "monthly_period": "2026-09", "quarterly_period": "2026-Q2"})
        assert form.is_valid() and form.period_label() == "2026-09"
        assert ("2026-Q2", "Quarter 2 2026/27 (July to September 2026)") in form.fields["quarterly_period"].choices
        missing = GenerateForm({"kind": "quarterly", "monthly_period": "2026-09"})
        assert not missing.is_valid() and "quarterly_period" in missing.errors
