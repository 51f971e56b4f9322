"""Onward referrals to specialist and partner services (#20 item 2): recorded with the family's agreement, the
outcome recorded when known, overdue outcomes in the worker's My week; scoped and audited."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from families.support.selectors import worker_week
from partnership import services
from partnership.models import OnwardReferral

from .factories import family_with_agencies, onward_referral_on

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def family(cast):
    with time_machine.travel(datetime(2026, 2, 2, 10, 0, tzinfo=LONDON), tick=False):
        return family_with_agencies(cast)


def _day(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _form(**overrides):
    return {
        "agency": "speech_language",
        "organisation": "Norfolk speech and language therapy",
        "reason": "Alfie has few words at 2.",
        **_day("referred_on", TODAY),
        **_day("outcome_expected_by", TODAY + timedelta(weeks=6)),
        "consent_confirmed": "on",
        **overrides,
    }


def test_a_worker_records_an_onward_referral_and_its_outcome(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(reverse("onward-referral-add", args=[family.reference]), _form())
    assert response.status_code == 302
    referral = OnwardReferral.objects.get(family=family)
    assert response["Location"] == reverse("onward-referral-detail", args=[referral.uuid])
    assert (referral.agency, referral.referred_on, referral.outcome, referral.referred_by) == (
        "speech_language", TODAY, "", cast.worker,
    )  # fmt: skip
    assert AuditEvent.objects.filter(action=AuditAction.ONWARD_REFERRAL_MADE, family=family).exists()
    record = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert "Norfolk speech and language therapy" in record and "Expected by 21 Apr 2026" in record

    response = client.post(
        reverse("onward-referral-outcome", args=[referral.uuid]),
        {"outcome": "waiting_list", **_day("outcome_on", TODAY), "outcome_notes": "About 12 weeks"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on, referral.outcome_notes) == ("waiting_list", TODAY, "About 12 weeks")
    page = client.get(reverse("onward-referral-detail", args=[referral.uuid])).content.decode()
    assert "On a waiting list" in page and "About 12 weeks" in page
    # Later news replaces it; each version is kept.
    services.onward_referral_outcome_record(referral=referral, actor=cast.worker, outcome="accepted", outcome_on=TODAY)
    assert referral.history.count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.ONWARD_REFERRAL_OUTCOME, family=family).count() == 2


def test_without_the_familys_agreement_nothing_is_referred(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(reverse("onward-referral-add", args=[family.reference]), _form(consent_confirmed=""))
    assert response.status_code == 400
    assert "Confirm the family agreed to the referral" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        onward_referral_on(family, cast.worker, consent_confirmed=False)
    assert "consent_confirmed" in refused.value.message_dict
    assert not OnwardReferral.objects.exists()


def test_bad_dates_are_refused_with_a_message(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(
        reverse("onward-referral-add", args=[family.reference]),
        _form(**_day("outcome_expected_by", TODAY - timedelta(days=1))),
    )
    assert response.status_code == 400
    assert "The outcome must be expected on or after the date referred" in response.content.decode()
    response = client.post(
        reverse("onward-referral-add", args=[family.reference]), _form(**_day("referred_on", date(2026, 1, 5)))
    )
    assert response.status_code == 400
    assert "must be after the family was first referred" in response.content.decode()
    referral = onward_referral_on(family, cast.worker)
    response = client.post(
        reverse("onward-referral-outcome", args=[referral.uuid]),
        {"outcome": "accepted", **_day("outcome_on", TODAY - timedelta(days=3))},
    )
    assert response.status_code == 400
    assert "on or after the date referred" in response.content.decode()
    assert OnwardReferral.objects.count() == 1


def test_an_overdue_outcome_shows_in_the_allocated_workers_week(cast, family):
    with time_machine.travel(datetime(2026, 2, 9, 10, 0, tzinfo=LONDON), tick=False):
        referral = onward_referral_on(family, cast.worker, expected_in_days=28)  # expected by 9 March
    onward_referral_on(family, cast.worker, organisation="Portage", agency="portage", expected_in_days=14)
    overdue = [item for item in worker_week(user=cast.worker, today=TODAY) if item.what.startswith("Onward")]
    assert [(item.what, item.when, item.overdue, item.url_arg) for item in overdue] == [
        ("Onward referral outcome: Norfolk speech and language therapy", date(2026, 3, 9), True, str(referral.uuid))
    ]
    # The manager's week lists their own work, not every family's referrals; the colleague never sees it.
    assert not [i for i in worker_week(user=cast.manager, today=TODAY) if i.what.startswith("Onward")]
    assert not [i for i in worker_week(user=cast.colleague, today=TODAY) if i.what.startswith("Onward")]
    services.onward_referral_outcome_record(referral=referral, actor=cast.worker, outcome="declined", outcome_on=TODAY)
    assert not [i for i in worker_week(user=cast.worker, today=TODAY) if i.what.startswith("Onward")]


def test_another_workers_familys_onward_referral_is_404(client, cast, family):
    referral = onward_referral_on(family, cast.worker)
    for member in ("colleague", "other_worker", "other_manager"):
        client.force_login(getattr(cast, member))
        for url in (
            reverse("onward-referral-detail", args=[referral.uuid]),
            reverse("onward-referral-outcome", args=[referral.uuid]),
            reverse("onward-referral-add", args=[family.reference]),
        ):
            assert client.get(url).status_code == 404, (member, url)
    client.force_login(cast.other_worker)
    response = client.post(reverse("onward-referral-outcome", args=[referral.uuid]), {"outcome": "accepted"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_the_same_referral_sent_twice_is_refused(client, cast, family):
    client.force_login(cast.worker)
    url = reverse("onward-referral-add", args=[family.reference])
    assert client.post(url, _form()).status_code == 302
    response = client.post(url, _form(organisation="norfolk speech and language therapy "))
    assert response.status_code == 400
    assert (
        "A referral to norfolk speech and language therapy on 10 March 2026 is already recorded"
        in response.content.decode()
    )
    assert OnwardReferral.objects.count() == 1
    # Another service the same day is a referral of its own.
    assert client.post(url, _form(organisation="Norfolk Portage", agency="portage")).status_code == 302


def test_too_long_answers_are_named(client, cast, family):
    client.force_login(cast.worker)
    response = client.post(
        reverse("onward-referral-add", args=[family.reference]), _form(organisation="o" * 151, reason="r" * 2001)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The organisation must be 150 characters or fewer" in page
    assert "Why the family was referred must be 2,000 characters or fewer" in page
    assert not OnwardReferral.objects.exists()
