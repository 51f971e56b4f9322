"""Referral and family factories, one per state."""

from datetime import date, timedelta

from django.utils import timezone

from bases.models import Locality
from families.models import Determinant, Person
from referrals import services
from referrals.models import Referral, Source


def child_dob(years=2) -> date:
    return timezone.localdate() - timedelta(days=365 * years + 30)


def referral_fields(team, **overrides) -> dict:
    district = team.base.district
    locality = Locality.objects.filter(district=district).order_by("name").first()
    fields = {
        "received_at": timezone.now() - timedelta(hours=2),
        "received_via": Referral.ReceivedVia.PHONE,
        "source": Source.HEALTH_VISITOR,
        "referrer_name": "Jo Health",
        "referrer_agency": "Healthy Child Programme",
        "referrer_role": "Health visitor",
        "urgency": Referral.Urgency.ROUTINE,
        "consent_obtained": True,
        "address_line_1": "12 Market Street",
        "town": locality.name,
        "postcode": "NR1 3AB",
        "district": district,
        "locality": locality,
        "reason_details": "Mum is isolated since the baby arrived.",
    }
    fields.update(overrides)
    return fields


def default_people(last_name="Howes", dob=None) -> list[dict]:
    return [
        {"kind": Person.Kind.PARENT_CARER, "first_name": "Kerry", "last_name": last_name},
        {"kind": Person.Kind.CHILD, "first_name": "Alfie", "last_name": last_name, "date_of_birth": dob or child_dob()},
    ]


def received_referral(*, team, actor, people=None, **overrides) -> Referral:
    return services.referral_create(
        actor=actor,
        people=people or default_people(),
        reasons=list(Determinant.objects.filter(code__in=["social_networks", "parental_mental_health"])),
        routed_team=team,
        **referral_fields(team, **overrides),
    )


def accepted_referral(*, team, manager, **kwargs) -> Referral:
    referral = received_referral(team=team, actor=manager, **kwargs)
    services.referral_decide(
        referral=referral,
        decision="accept",
        reason="meets_threshold",
        notes="Isolated, low mood; needs tier 2.",
        actor=manager,
        new_family=True,
    )
    referral.refresh_from_db()
    return referral


def allocated_referral(*, team, manager, worker, **kwargs) -> Referral:
    referral = accepted_referral(team=team, manager=manager, **kwargs)
    services.referral_allocate(referral=referral, worker=worker, actor=manager)
    referral.refresh_from_db()
    return referral
