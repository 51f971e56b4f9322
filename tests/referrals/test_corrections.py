"""Issue #17 item 3, referrals: whoever recorded a referral (while it is open) or a team manager of the base it was
routed to corrects its details with a reason; the original is kept (django-simple-history) and shown, the
correction is audited; the address as referred only before triage (a new locality routes it again); a corrected
received date moves the due dates only before triage and never moves one that has passed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bases.models import Locality
from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import Determinant
from referrals import corrections
from referrals.correction_forms import initial_for
from referrals.models import Referral
from tests.referrals.factories import accepted_referral, received_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _clock():
    """Wednesday 10 June 2026, 10:00: the referral came in two hours ago (triage due Monday 15 June)."""
    with time_machine.travel(datetime(2026, 6, 10, 10, 0, tzinfo=LONDON), tick=True) as clock:
        yield clock


@pytest.fixture
def referral(cast):
    return received_referral(team=cast.team, actor=cast.worker)


def form_data(referral, **overrides) -> dict:
    """The correction page's answers as they stand, with ``overrides``."""
    initial = initial_for(referral)
    data = {name: value for name, value in initial.items() if value not in (None, False)}
    received_on = data.pop("received_on")
    data.update(
        {
            "received_on_day": received_on.day,
            "received_on_month": received_on.month,
            "received_on_year": received_on.year,
            "reasons": [d.pk for d in initial["reasons"]],
            "district": initial["district"].slug,
            "locality": initial["locality"].pk,
            "interpreter_needed": "on" if initial["interpreter_needed"] else "",
            "safe_contact_only": "on" if initial["safe_contact_only"] else "",
            "reason": "Typing mistake",
        }
    )
    data.update(overrides)
    return {name: value for name, value in data.items() if value not in (None, "")}


def amend(referral, actor, **overrides):
    fields = {name: getattr(referral, name) for name in (*corrections.REFERRER_FIELDS, *corrections.DETAIL_FIELDS)}
    as_referred = {name: getattr(referral, name) for name in corrections.AS_REFERRED_FIELDS}
    kwargs = {
        "reason": "Typing mistake",
        "received_on": timezone.localtime(referral.received_at).date(),
        "reasons": list(referral.reasons.all()),
        "as_referred": as_referred if corrections.address_correctable(referral) else None,
        **fields,
    }
    for name, value in overrides.items():
        if name in as_referred and kwargs["as_referred"] is not None:
            kwargs["as_referred"][name] = value
        else:
            kwargs[name] = value
    return corrections.referral_amend(referral=referral, actor=actor, **kwargs)


def test_the_recorder_corrects_the_referrer_and_the_original_is_kept_shown_and_audited(client, cast, referral):
    client.force_login(cast.worker)  # recorded it; not allocated to any family, so the referral page is not theirs
    url = reverse("referral-correct", args=[referral.uuid])
    page = client.get(url)
    assert page.status_code == 200
    assert "Postcode" in page.content.decode()  # the address as referred, before triage

    response = client.post(url, form_data(referral, referrer_name="Jo Healey", referrer_phone="01603 000111"))

    assert response.status_code == 302, response.content.decode()[:3000]
    referral.refresh_from_db()
    assert (referral.referrer_name, referral.referrer_phone) == ("Jo Healey", "01603 000111")
    assert referral.history.earliest().referrer_name == "Jo Health"  # the original is kept
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_AMENDED)
    assert event.actor == cast.worker and event.changes["reason"] == "Typing mistake"
    assert set(event.changes["fields"]) == {"referrer_name", "referrer_phone"}
    page = client.get(response.url).content.decode()
    assert f"by {cast.worker.get_full_name()}: Typing mistake" in page
    assert "was Jo Health; now Jo Healey" in page


def test_the_manager_sees_the_correction_on_the_referral_page_with_the_reasons_that_were_there(client, cast, referral):
    isolation = Determinant.objects.get(code="social_networks")
    housing = Determinant.objects.exclude(pk__in=referral.reasons.all()).order_by("name").first()
    client.force_login(cast.manager)
    response = client.post(
        reverse("referral-correct", args=[referral.uuid]),
        form_data(referral, reasons=[isolation.pk, housing.pk], urgency="urgent", reason="Referrer rang back"),
    )
    assert response.status_code == 302
    assert response.url == reverse("referral-detail", args=[referral.uuid])
    assert set(referral.reasons.all()) == {isolation, housing}
    page = client.get(response.url).content.decode()
    assert "Correct the referral&#x27;s details" in page or "Correct the referral's details" in page
    assert "Referrer rang back" in page
    assert "was Routine; now Urgent" in page
    assert f"now {', '.join(sorted([isolation.name, housing.name]))}" in page


def test_a_reason_is_required_and_nothing_changed_is_refused(client, cast, referral):
    client.force_login(cast.worker)
    url = reverse("referral-correct", args=[referral.uuid])
    no_reason = client.post(url, form_data(referral, referrer_name="Jo Healey", reason=""))
    assert no_reason.status_code == 400
    assert "Say why the referral is being corrected" in no_reason.content.decode()
    unchanged = client.post(url, form_data(referral))
    assert unchanged.status_code == 400
    assert "Nothing was changed: correct at least one answer" in unchanged.content.decode()
    referral.refresh_from_db()
    assert referral.referrer_name == "Jo Health"
    assert referral.history.count() == 2  # created, then given its reference: no correction saved
    assert not AuditEvent.objects.filter(action=AuditAction.REFERRAL_AMENDED).exists()


def test_safe_contact_answers_are_checked_like_at_intake(cast, referral):
    with pytest.raises(ValidationError) as refused:
        amend(referral, cast.worker, safe_contact_only=True, safe_contact_notes="")
    assert refused.value.message_dict == {"safe_contact_notes": ["Say how to make contact safely"]}
    with pytest.raises(ValidationError) as refused:
        amend(referral, cast.worker, safe_contact_channel="text")
    assert refused.value.message_dict == {
        "contact_phone": ["Enter the phone number, or choose another safe way to contact"]
    }
    amend(
        referral,
        cast.worker,
        safe_contact_only=True,
        safe_contact_notes="Text only, after 2pm",
        safe_contact_channel="text",
        contact_phone="07700 900123",
    )
    referral.refresh_from_db()
    assert (referral.safe_contact_only, referral.safe_contact_channel) == (True, "text")


@pytest.mark.parametrize("member", ["colleague", "other_worker", "other_manager", "commissioner", "admin"])
def test_anyone_else_gets_not_found(client, cast, referral, member):
    client.force_login(getattr(cast, member))
    url = reverse("referral-correct", args=[referral.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(referral, referrer_name="Someone else")).status_code == 404
    referral.refresh_from_db()
    assert referral.referrer_name == "Jo Health"


def test_a_worker_who_can_see_the_referral_but_did_not_record_it_is_refused(client, cast):
    referral = accepted_referral(team=cast.team, manager=cast.manager)  # recorded by the manager
    from referrals.services import referral_allocate

    referral_allocate(referral=referral, worker=cast.worker, actor=cast.manager)
    client.force_login(cast.worker)
    assert client.get(reverse("referral-detail", args=[referral.uuid])).status_code == 200
    assert client.get(reverse("referral-correct", args=[referral.uuid])).status_code == 403
    assert "Correct the referral" not in client.get(reverse("referral-detail", args=[referral.uuid])).content.decode()
    with pytest.raises(ApplicationError):
        amend(referral, cast.worker, referrer_name="Jo Healey")


def test_after_triage_the_address_is_the_familys_and_the_page_does_not_offer_it(client, cast):
    referral = accepted_referral(team=cast.team, manager=cast.manager)
    client.force_login(cast.manager)
    page = client.get(reverse("referral-correct", args=[referral.uuid])).content.decode()
    assert 'name="postcode"' not in page
    assert "correct them on the family record" in page
    as_referred = {name: getattr(referral, name) for name in corrections.AS_REFERRED_FIELDS}
    with pytest.raises(ApplicationError, match="correct them on the family record"):
        amend(referral, cast.manager, as_referred={**as_referred, "postcode": "NR2 4AA"})
    # The rest can still be corrected after triage.
    amend(referral, cast.manager, referrer_agency="Norfolk Healthy Child Programme")
    referral.refresh_from_db()
    assert referral.referrer_agency == "Norfolk Healthy Child Programme"


def test_a_closed_referral_is_corrected_by_a_manager_not_by_its_recorder(cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    from referrals.services import referral_decide

    referral_decide(
        referral=referral, decision="signpost", reason="information_advice", notes="Leaflets", actor=cast.manager
    )
    referral.refresh_from_db()
    assert not corrections.can_correct_referral(cast.worker, referral)
    with pytest.raises(ApplicationError):
        amend(referral, cast.worker, referrer_name="Jo Healey")
    amend(referral, cast.manager, referrer_name="Jo Healey")
    referral.refresh_from_db()
    assert referral.referrer_name == "Jo Healey"


def test_a_new_locality_served_by_another_base_routes_the_referral_there(client, cast, referral):
    elsewhere = Locality.objects.filter(base=cast.other_team.base).order_by("name").first()
    client.force_login(cast.manager)
    response = client.post(
        reverse("referral-correct", args=[referral.uuid]),
        form_data(
            referral,
            address_line_1="3 Church Lane",
            town=elsewhere.name,
            postcode="nr9 9zz",
            district=elsewhere.district.slug,
            locality=elsewhere.pk,
            reason="The family moved before the referral was made",
        ),
        follow=True,
    )
    referral.refresh_from_db()
    assert referral.routed_team == cast.other_team
    assert (referral.postcode, referral.locality) == ("NR9 9ZZ", elsewhere)
    page = response.content.decode()
    assert f"the referral has gone to {cast.other_team} for triage" in page
    # The manager who corrected it no longer holds it (nor can they see it now): back to their queue.
    assert response.redirect_chain[-1][0] == reverse("triage-queue")
    assert client.get(reverse("referral-detail", args=[referral.uuid])).status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_AMENDED)
    assert event.changes["routed_team"] == {"old": cast.team.name, "new": cast.other_team.name}
    # The other base's manager now has it, and sees the correction.
    client.force_login(cast.other_manager)
    page = client.get(reverse("referral-detail", args=[referral.uuid])).content.decode()
    assert "The family moved before the referral was made" in page


def test_a_corrected_postcode_in_the_same_locality_keeps_its_team(cast, referral):
    with pytest.raises(ValidationError, match="Nothing was changed"):
        amend(referral, cast.worker, postcode="nr1 3ab ")  # the same postcode, written differently
    amend(referral, cast.worker, postcode="NR1 3AD")
    referral.refresh_from_db()
    assert (referral.postcode, referral.routed_team) == ("NR1 3AD", cast.team)


def test_a_locality_outside_the_district_is_refused(cast, referral):
    outside = Locality.objects.exclude(district=referral.district).exclude(district__isnull=True).first()
    with pytest.raises(ValidationError) as refused:
        amend(referral, cast.worker, locality=outside)
    assert "is not in" in refused.value.message_dict["locality"][0]


def test_a_corrected_received_date_moves_the_due_dates_in_working_days_before_triage(cast, referral):
    assert referral.triage_due == date(2026, 6, 15)  # Wed 10 June + 3 working days
    amend(referral, cast.worker, received_on=date(2026, 6, 9), reason="Received the day before")
    referral.refresh_from_db()
    assert timezone.localtime(referral.received_at) == datetime(2026, 6, 9, 9, 0, tzinfo=LONDON)
    assert referral.triage_due == date(2026, 6, 12)  # Tue 9 June + 3 working days: Friday
    assert referral.first_contact_due == date(2026, 6, 23)


def test_a_recomputed_due_date_that_has_passed_falls_due_today(cast, referral):
    """Received 1 June in truth: triage was due 4 June. It falls due today instead, never in a measured period."""
    amend(referral, cast.worker, received_on=date(2026, 6, 1), reason="Email found late")
    referral.refresh_from_db()
    assert referral.triage_due == date(2026, 6, 10)
    assert referral.first_contact_due == date(2026, 6, 15)  # 1 June + 10 working days: still ahead, so moved


def test_a_due_date_that_has_passed_never_moves(cast, referral, _clock):
    _clock.move_to(datetime(2026, 6, 17, 10, 0, tzinfo=LONDON))  # triage was due on 15 June, still untriaged
    result = amend(referral, cast.worker, received_on=date(2026, 6, 11), reason="Wrong day")
    referral.refresh_from_db()
    assert referral.triage_due == date(2026, 6, 15)  # kept: the period it fell due in has measured it
    assert referral.first_contact_due == date(2026, 6, 25)  # still ahead: moved with the corrected date
    assert result.kept_due == ["triage (due 15 June 2026)"]
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_AMENDED)
    assert event.changes["due_dates_kept"] == ["triage (due 15 June 2026)"]


def test_after_triage_a_corrected_received_date_leaves_the_due_dates(cast):
    referral = accepted_referral(team=cast.team, manager=cast.manager)
    due = (referral.triage_due, referral.first_contact_due)
    amend(referral, cast.manager, received_on=date(2026, 6, 9), reason="Received the day before")
    referral.refresh_from_db()
    assert (referral.triage_due, referral.first_contact_due) == due
    assert timezone.localtime(referral.received_at).date() == date(2026, 6, 9)


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        (date(2026, 6, 11), "The date received must be today or in the past"),
        (date(2019, 9, 30), "The date received must be after the service began (1 October 2019)"),
    ],
)
def test_received_dates_that_cannot_be_true_are_refused(cast, referral, received_on, message):
    with pytest.raises(ValidationError) as refused:
        amend(referral, cast.worker, received_on=received_on)
    assert refused.value.message_dict == {"received_on": [message]}


def test_a_referral_cannot_be_received_after_its_first_decision(cast, _clock):
    referral = received_referral(team=cast.team, actor=cast.worker, received_at=timezone.now())
    from referrals.services import referral_decide

    referral_decide(
        referral=referral,
        decision="accept",
        reason="meets_threshold",
        notes="Tier 2",
        actor=cast.manager,
        new_family=True,
    )
    _clock.move_to(datetime(2026, 6, 12, 10, 0, tzinfo=LONDON))
    with pytest.raises(ValidationError) as refused:
        amend(Referral.objects.get(pk=referral.pk), cast.manager, received_on=date(2026, 6, 11))
    assert refused.value.message_dict == {
        "received_on": ["The date received must be on or before the first decision on it (10 June 2026)"]
    }


def test_the_correction_page_names_the_field_in_its_error_summary(client, cast, referral):
    client.force_login(cast.worker)
    response = client.post(
        reverse("referral-correct", args=[referral.uuid]),
        form_data(referral, referrer_email="not-an-email", received_on_day="31", received_on_month="2"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter an email address in the correct format" in page
    assert "Date received must be a real date" in page
