"""The advice log's pages: one page to record, the team's log with filters, scoping, and constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advice.models import AdviceEntry
from families.models import Determinant
from tests.referrals.factories import allocated_referral

from .factories import advice_entry

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    today = timezone.localdate()
    data = {
        "channel": "drop_in",
        "topics": [Determinant.objects.get(code="housing").pk],
        "given": "signposted",
        "signposted_to": "Citizens Advice, Great Yarmouth",
        "district": "",
        "given_on_day": today.day,
        "given_on_month": today.month,
        "given_on_year": today.year,
    }
    data.update(overrides)
    return client.post(reverse("advice-new"), data)


def test_recording_advice_takes_one_page_and_comes_back_for_the_next(client, cast):
    client.force_login(cast.worker)
    page = client.get(reverse("advice-new"))
    assert page.status_code == 200
    district = cast.team.base.district
    # Today and the team's district start filled in.
    assert page.context["form"]["district"].value() == district.pk
    response = _post(client, district=district.pk)
    assert response.status_code == 302 and response.url == reverse("advice-new")
    entry = AdviceEntry.objects.get()
    assert entry.signposted_to == "Citizens Advice, Great Yarmouth" and entry.family is None
    # The next entry starts from the last one's way and place.
    again = client.get(reverse("advice-new"))
    assert again.context["form"]["channel"].value() == "drop_in"
    assert "Advice recorded." in again.content.decode()


def test_bad_input_is_named_on_the_page_and_nothing_is_saved(client, cast):
    client.force_login(cast.worker)
    response = _post(client, topics=[], given="signposted", signposted_to="", outward_postcode="NR30 1AB")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select what they asked about" in html
    assert "Select the district" in html
    assert "not the full postcode" in html
    assert not AdviceEntry.objects.exists()


def test_a_known_family_is_found_by_reference_in_scope_only(client, cast):
    mine = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    theirs = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker).family
    client.force_login(cast.worker)
    district = cast.team.base.district.pk
    refused = _post(client, district=district, family=theirs.reference)
    assert refused.status_code == 400
    assert "No family you can see matches" in refused.content.decode()
    assert theirs.reference not in refused.content.decode().replace(f'value="{theirs.reference}"', "")
    assert _post(client, district=district, family=mine.reference).status_code == 302
    assert AdviceEntry.objects.get().family == mine


def test_the_signposted_field_is_named_in_the_error_summary(client, cast):
    client.force_login(cast.worker)
    response = _post(client, district=cast.team.base.district.pk, signposted_to="")
    assert 'href="#id_signposted_to"' in response.content.decode()


def test_a_worker_sees_their_teams_entries_only(client, cast):
    mine = advice_entry(actor=cast.colleague, signposted_to="")
    theirs = advice_entry(actor=cast.other_worker)
    client.force_login(cast.worker)
    entries = list(client.get(reverse("advice-log")).context["page"])
    assert entries == [mine]
    assert client.get(reverse("advice-detail", args=[theirs.uuid])).status_code == 404
    assert client.get(reverse("advice-detail", args=[mine.uuid])).status_code == 200


def test_a_manager_sees_their_bases_entries(client, cast):
    mine = advice_entry(actor=cast.worker)
    theirs = advice_entry(actor=cast.other_worker)
    client.force_login(cast.manager)
    assert list(client.get(reverse("advice-log")).context["page"]) == [mine]
    client.force_login(cast.other_manager)
    assert list(client.get(reverse("advice-log")).context["page"]) == [theirs]


@pytest.mark.parametrize("member", ["commissioner", "admin"])
def test_commissioners_and_admins_see_no_rows(client, cast, member):
    entry = advice_entry(actor=cast.worker)
    client.force_login(getattr(cast, member))
    assert client.get(reverse("advice-log")).status_code == 403
    assert client.get(reverse("advice-detail", args=[entry.uuid])).status_code == 403


def test_a_family_the_viewer_may_not_see_is_not_named(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    entry = advice_entry(actor=cast.worker, family=family)
    client.force_login(cast.colleague)  # same team, not allocated to the family
    html = client.get(reverse("advice-detail", args=[entry.uuid])).content.decode()
    assert family.reference not in html and "A family known to the service" in html
    client.force_login(cast.worker)
    assert family.reference in client.get(reverse("advice-detail", args=[entry.uuid])).content.decode()


def test_the_log_filters_by_date_channel_and_topic(client, cast):
    today = timezone.localdate()
    phone = advice_entry(actor=cast.worker, channel="phone_line", topics=("speech_language",))
    older = advice_entry(actor=cast.worker, given_on=today - timedelta(days=40))
    client.force_login(cast.worker)
    log = reverse("advice-log")
    assert list(client.get(log, {"channel": "phone_line"}).context["page"]) == [phone]
    topic = Determinant.objects.get(code="speech_language").pk
    assert list(client.get(log, {"topic": topic}).context["page"]) == [phone]
    since = today - timedelta(days=7)
    by_date = client.get(
        log, {"date_from_day": since.day, "date_from_month": since.month, "date_from_year": since.year}
    )
    assert older not in list(by_date.context["page"])
    wrong = client.get(log, {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"})
    assert wrong.status_code == 200 and list(wrong.context["page"]) == []


def test_the_log_reads_a_fixed_number_of_queries(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    client.force_login(cast.worker)
    advice_entry(actor=cast.worker, family=family)
    client.get(reverse("advice-log"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("advice-log"))
    for _ in range(8):
        advice_entry(actor=cast.colleague, topics=("housing", "health"), family=None)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("advice-log"))
    assert len(many) == len(few)


def test_linking_the_referral_from_the_entry_page(client, cast):
    entry = advice_entry(actor=cast.worker)
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    client.force_login(cast.worker)
    url = reverse("advice-link-referral", args=[entry.uuid])
    assert client.post(url, {"referral": "REF-999999"}).status_code == 400
    assert client.post(url, {"referral": referral.reference.lower()}).status_code == 302
    entry.refresh_from_db()
    assert entry.referral == referral
