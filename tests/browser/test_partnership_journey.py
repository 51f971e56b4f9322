"""Team around the family in Chromium (#20 items 1 and 3): a worker records a meeting with two agencies' actions
from the family's record, sees it (and the actions on the meeting's page), then uploads the signed consent form.
axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import Document
from partnership.models import TafMeeting
from tests.documents.factories import PDF
from tests.partnership.factories import family_with_agencies

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


def _date(tab, name, day):
    tab.locator(f'[name="{name}_day"]').fill(str(day.day))
    tab.locator(f'[name="{name}_month"]').fill(str(day.month))
    tab.locator(f'[name="{name}_year"]').fill(str(day.year))


def test_a_worker_records_a_meeting_with_two_agencies_actions_and_uploads_the_consent_form(tab, cast):
    family = family_with_agencies(cast)
    today = timezone.localdate()
    sign_in(tab, cast.worker)
    tab.goto(f"/families/{family.reference}/")
    tab.get_by_role("tab", name="Team around the family").click()
    panel = tab.locator("#team-around-the-family")
    expect(panel).to_contain_text("No meetings recorded yet.")
    assert_accessible(tab)
    panel.get_by_role("link", name="Record a meeting").click()
    expect(tab.get_by_role("heading", name="Record a team around the family meeting")).to_be_visible()
    assert_accessible(tab)

    # Forgetting what was decided: the error summary says so and nothing is saved.
    _date(tab, "held_on", today)
    tab.get_by_label("Kerry Howes (parent or carer)").check()
    tab.get_by_role("checkbox", name="Jo Health, Health visiting").check()
    tab.get_by_role("checkbox", name="Sam Homes, Housing (Broadland District Council)").check()
    tab.get_by_role("button", name="Save the meeting").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter what was decided")
    assert_accessible(tab)
    assert not TafMeeting.objects.exists()

    tab.get_by_label("What was decided").fill("Health visitor to review Alfie's speech; housing to inspect the damp.")
    tab.get_by_role("radio", name="Jo Health, Health visiting").check()
    _date(tab, "next_meeting_on", today + timedelta(weeks=6))
    tab.get_by_label("Information was shared with the other agencies at this meeting").check()
    tab.locator('[name="action_1_description"]').fill("Book the 2-year review")
    tab.locator('[name="action_1_owner"]').select_option(label="Jo Health (Health visiting)")
    _date(tab, "action_1_due_on", today + timedelta(days=14))
    tab.locator('[name="action_2_description"]').fill("Inspect the flat for damp")
    tab.locator('[name="action_2_owner"]').select_option(label="Sam Homes (Housing)")
    _date(tab, "action_2_due_on", today + timedelta(days=21))
    tab.get_by_role("button", name="Save the meeting").click()

    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("meeting of")
    table = tab.get_by_role("table", name="Actions agreed")
    expect(table).to_contain_text("Book the 2-year review")
    expect(table).to_contain_text("Housing")
    expect(table).to_contain_text("Sam Homes")
    assert_accessible(tab)
    screenshot(tab, "taf-meeting")
    meeting = TafMeeting.objects.get()
    assert meeting.shared_with_agencies and meeting.actions.count() == 2

    # The signed consent form, on the Documents tab.
    tab.goto(f"/families/{family.reference}/")
    tab.get_by_role("tab", name="Documents").click()
    tab.get_by_role("link", name="Upload a document").click()
    tab.get_by_label("File").set_input_files(
        {"name": "Consent to share.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    tab.get_by_label("Signed consent form").check()
    tab.get_by_label("Description").fill("Consent to share with the team around the family, signed by Kerry")
    tab.get_by_role("button", name="Upload document").click()
    expect(tab.locator(".govuk-notification-banner--success")).to_contain_text("Document added")
    expect(tab.locator("#documents")).to_contain_text("Signed consent form")
    assert_accessible(tab)
    tab.get_by_role("tab", name="Team around the family").click()
    expect(tab.locator("#team-around-the-family")).to_contain_text("Shared")
    assert_accessible(tab)
    assert Document.objects.get().kind == "consent"
