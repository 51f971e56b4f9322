"""Consent is enforced (#18 item 2): a referral the family has not agreed to is accepted only with a safeguarding
override and its reason; sharing with the team around the family needs the family's consent to share."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families import services as family_services
from families.models import Family
from referrals import services
from referrals.models import Referral
from tests.api.conftest import client_for
from tests.families.factories import active_plan
from tests.referrals.factories import accepted_referral, allocated_referral, received_referral

pytestmark = pytest.mark.django_db

OVERRIDE = "Police report of domestic abuse with a baby in the home: we must offer support now."


def unagreed(cast) -> Referral:
    return received_referral(team=cast.team, actor=cast.manager, consent_obtained=False)


def accept(referral, actor, **kwargs):
    return services.referral_decide(
        referral=referral,
        decision="accept",
        reason="meets_threshold",
        notes="Needs tier 2.",
        actor=actor,
        new_family=True,
        **kwargs,
    )


def test_a_referral_without_consent_cannot_be_accepted_without_an_override(cast):
    referral = unagreed(cast)
    with pytest.raises(ValidationError) as refused:
        accept(referral, cast.manager)
    assert "give the safeguarding reason" in refused.value.message_dict["consent_override_reason"][0]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED and referral.family is None
    assert not Family.objects.exists()


def test_a_blank_override_is_no_override(cast):
    with pytest.raises(ValidationError):
        accept(unagreed(cast), cast.manager, consent_override_reason="   ")


def test_the_override_is_kept_on_the_decision_and_audited(cast):
    referral = unagreed(cast)
    decision = accept(referral, cast.manager, consent_override_reason=OVERRIDE)
    assert decision.is_consent_override and decision.consent_override_reason == OVERRIDE
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    # The family made from it holds no consent, so nothing is shared on its behalf.
    assert not referral.family.consent_given and referral.family.consent_scope == ""
    decided = AuditEvent.objects.get(action="referral.decided")
    assert "safeguarding override" in decided.summary and "consent_override_reason" not in decided.changes
    # The override is an event of its own, which lists every one, holding the reason once.
    (overridden,) = AuditEvent.objects.filter(action="referral.consent_overridden")
    assert overridden.changes == {"consent_override_reason": OVERRIDE}
    assert overridden.family == referral.family and overridden.actor == cast.manager
    assert "without the family's agreement" in overridden.summary


def test_an_override_is_refused_where_none_is_needed(cast):
    agreed = received_referral(team=cast.team, actor=cast.manager)
    with pytest.raises(ValidationError) as refused:
        accept(agreed, cast.manager, consent_override_reason=OVERRIDE)
    assert "leave it empty" in refused.value.message_dict["consent_override_reason"][0]
    with pytest.raises(ValidationError):
        services.referral_decide(
            referral=unagreed(cast),
            decision="no_further_action",
            reason="consent_declined",
            notes="Family said no.",
            actor=cast.manager,
            consent_override_reason=OVERRIDE,
        )


def test_a_referral_without_consent_may_be_closed_without_an_override(cast):
    referral = unagreed(cast)
    services.referral_decide(
        referral=referral, decision="no_further_action", reason="consent_declined", notes="Said no.", actor=cast.manager
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.NO_FURTHER_ACTION


def _page_post(cast, referral, **extra):
    client = Client()
    client.force_login(cast.manager)
    data = {"decision": "accept", "reason": "meets_threshold", "notes": "Needs tier 2.", "family_choice": "new"}
    return client, client.post(reverse("referral-decide", args=[referral.uuid]), {**data, **extra})


def test_the_referral_page_asks_for_the_override_and_refuses_without_it(cast):
    referral = unagreed(cast)
    client, response = _page_post(cast, referral)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The family has not agreed to this referral" in html
    assert "give the safeguarding reason" in html and 'href="#id_consent_override_reason"' in html
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_the_referral_page_records_the_override_and_shows_it(cast):
    referral = unagreed(cast)
    client, response = _page_post(cast, referral, consent_override_reason=OVERRIDE)
    assert response.status_code == 302
    page = client.get(reverse("referral-detail", args=[referral.uuid])).content.decode()
    assert "Safeguarding override" in page and "Police report of domestic abuse" in page


def test_the_api_triage_endpoint_follows_the_same_rule(cast):
    referral = unagreed(cast)
    client = client_for(cast.manager)
    url = reverse("api-referral-decision", args=[referral.uuid])
    body = {"decision": "accept", "reason": "meets_threshold", "notes": "Needs tier 2.", "new_family": True}
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400
    assert "consent_override_reason" in refused.json()["error"]["fields"]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED

    accepted = client.post(url, {**body, "consent_override_reason": OVERRIDE}, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["consent_override_reason"] == OVERRIDE
    again = client.post(url, {**body, "consent_override_reason": OVERRIDE}, format="json")
    assert again.status_code == 409  # already accepted


def test_the_api_triage_endpoint_is_for_the_referrals_manager_only(cast):
    referral = unagreed(cast)
    url = reverse("api-referral-decision", args=[referral.uuid])
    body = {"decision": "no_further_action", "reason": "consent_declined", "notes": "Said no."}
    assert client_for(cast.other_manager).post(url, body, format="json").status_code == 404
    assert client_for(cast.worker).post(url, body, format="json").status_code == 404  # not allocated: unseen
    assert client_for(cast.manager).post(url, body, format="json").status_code == 201


# Sharing with the team around the family --------------------------------------------------------------------


def _family_without_consent_to_share(cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    family = referral.family
    family_services.family_update_characteristics(
        family=family, actor=cast.manager, consent_scope=Family.ConsentScope.HOLD
    )
    family.refresh_from_db()
    return family


PROFESSIONAL = {"agency": "health_visiting", "name": "Jo Health", "role": "Health visitor"}


def test_a_professional_is_added_only_with_consent_to_share(cast):
    family = _family_without_consent_to_share(cast)
    with pytest.raises(ApplicationError) as refused:
        family_services.professional_add(family=family, actor=cast.worker, **PROFESSIONAL)
    assert "has not agreed to their information being shared" in refused.value.message
    assert not family.professionals.exists()
    family_services.family_update_characteristics(
        family=family, actor=cast.worker, consent_scope=Family.ConsentScope.HOLD_AND_SHARE
    )
    family_services.professional_add(family=family, actor=cast.worker, **PROFESSIONAL)
    assert family.professionals.count() == 1


def test_the_team_around_the_family_page_says_why_it_cannot_add(cast):
    family = _family_without_consent_to_share(cast)
    client = Client()
    client.force_login(cast.worker)
    response = client.post(reverse("family-professional-add", args=[family.reference]), PROFESSIONAL)
    assert response.status_code == 400
    assert "has not agreed to their information being shared" in response.content.decode()


def test_a_plan_action_goes_to_another_agency_only_with_consent_to_share(cast):
    from families.support import services as support_services

    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    family = referral.family
    professional = family_services.professional_add(family=family, actor=cast.worker, **PROFESSIONAL)
    plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    family_services.family_update_characteristics(
        family=family, actor=cast.manager, consent_given=False, consent_scope="", consent_date=None
    )
    plan.refresh_from_db()
    with pytest.raises(ApplicationError):
        support_services.plan_action_add(
            plan=plan,
            description="Weigh the baby",
            owner="professional",
            owner_professional=professional,
            due_on=plan.created_at.date(),
            actor=cast.worker,
        )


def test_contact_answers_are_carried_to_a_new_family(cast):
    referral = received_referral(
        team=cast.team, actor=cast.manager, safe_contact_channel="text", contact_phone="07700 900982"
    )
    accept(referral, cast.manager)
    referral.refresh_from_db()
    assert referral.family.safe_contact_channel == "text" and referral.family.contact_phone == "07700 900982"


def test_contact_answers_fill_only_what_a_known_family_lacks(cast):
    known = accepted_referral(team=cast.team, manager=cast.manager)
    family_services.family_update_characteristics(
        family=known.family, actor=cast.manager, safe_contact_channel="letter"
    )
    referral = received_referral(
        team=cast.team, actor=cast.manager, safe_contact_channel="email", contact_email="k@example.org"
    )
    services.referral_decide(
        referral=referral,
        decision="accept",
        reason="meets_threshold",
        notes="Known family.",
        actor=cast.manager,
        family=known.family,
    )
    known.family.refresh_from_db()
    assert known.family.safe_contact_channel == "letter" and known.family.contact_email == "k@example.org"


def test_the_household_page_edits_the_contact_answers(cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    family = referral.family
    client = Client()
    client.force_login(cast.worker)
    url = reverse("family-edit", args=[family.reference])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update({"ethnicity": family.ethnicity, "consent_date_day": "", "safe_contact_channel": "phone"})
    if family.consent_date:
        data.update(
            consent_date_day=family.consent_date.day,
            consent_date_month=family.consent_date.month,
            consent_date_year=family.consent_date.year,
        )
    refused = client.post(url, data)
    assert refused.status_code == 400 and "Enter the phone number" in refused.content.decode()
    data["contact_phone"] = "01603 000000"
    assert client.post(url, data).status_code == 302
    family.refresh_from_db()
    assert family.safe_contact_channel == "phone" and family.contact_phone == "01603 000000"
    page = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert "Safe way to contact" in page and "01603 000000" in page


@pytest.mark.parametrize(("to_share", "scope"), [(None, "hold_and_share"), (True, "hold_and_share"), (False, "hold")])
def test_the_family_holds_the_consent_to_share_the_referral_gave(cast, to_share, scope):
    referral = received_referral(team=cast.team, actor=cast.manager, consent_to_share=to_share)
    accept(referral, cast.manager)
    referral.refresh_from_db()
    assert referral.family.consent_given and referral.family.consent_scope == scope
