"""A family with two partner agencies on its team around the family, a meeting and an onward referral."""

from datetime import timedelta

from django.utils import timezone

from families import services as family_services
from partnership import services
from partnership.services import ActionInput
from tests.referrals.factories import allocated_referral


def family_with_agencies(cast, **referral_fields):
    """An allocated family (consent to hold and share) with a health visitor and a housing officer."""
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker, **referral_fields).family
    family_services.professional_add(
        family=family, actor=cast.worker, agency="health_visiting", name="Jo Health", role="Health visitor"
    )
    family_services.professional_add(
        family=family, actor=cast.worker, agency="housing", name="Sam Homes", organisation="Broadland District Council"
    )
    return family


def agency(family, code):
    return family.professionals.get(agency=code)


def meeting_on(family, actor, *, held_on=None, actions=None, **fields):
    """A meeting held today (unless said) with the family's parent and both agencies, and two agencies' actions."""
    today = timezone.localdate()
    held_on = held_on or today
    if actions is None:
        actions = [
            ActionInput("Book the 2-year review", "professional", held_on + timedelta(days=14),
                        owner_professional=agency(family, "health_visiting")),
            ActionInput("Assess the damp in the flat", "professional", held_on + timedelta(days=21),
                        owner_professional=agency(family, "housing")),
        ]  # fmt: skip
    return services.taf_meeting_record(
        family=family,
        actor=actor,
        held_on=held_on,
        decisions=fields.pop("decisions", "Health visitor to review Alfie's speech; housing to inspect the flat."),
        people=fields.pop("people", [family.members.get(kind="parent_carer")]),
        professionals=fields.pop("professionals", list(family.professionals.all())),
        workers=fields.pop("workers", [actor]),
        actions=actions,
        **fields,
    )


def onward_referral_on(family, actor, *, referred_on=None, expected_in_days=28, **fields):
    referred_on = referred_on or timezone.localdate()
    return services.onward_referral_record(
        family=family,
        actor=actor,
        agency=fields.pop("agency", "speech_language"),
        organisation=fields.pop("organisation", "Norfolk speech and language therapy"),
        reason=fields.pop("reason", "Alfie has few words at 2."),
        referred_on=referred_on,
        consent_confirmed=fields.pop("consent_confirmed", True),
        outcome_expected_by=referred_on + timedelta(days=expected_in_days),
    )


def partnership_scenario(cast, family) -> dict:
    """URL arguments for the permission tables: a meeting (with an ECFS action) and an onward referral of
    ``family``, which belongs to ``cast.worker`` in ``cast.team``."""
    meeting = services.taf_meeting_record(
        family=family,
        actor=cast.worker,
        held_on=timezone.localdate(),
        decisions="Agreed who does what.",
        workers=[cast.worker],
        actions=[ActionInput("Call the health visitor", "worker", timezone.localdate(), owner_worker=cast.worker)],
    )
    referral = onward_referral_on(family, cast.worker)
    return {
        "taf_meeting": (meeting.uuid,),
        "taf_meeting_action": (meeting.uuid, meeting.actions.get().uuid),
        "onward_referral": (referral.uuid,),
    }
