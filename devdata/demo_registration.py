"""Demo: families known to the service without a referral, registered at universal sessions (#19 item 2, item 7).

For some of the demo's universal sessions whose register was taken, the session's worker registers a family met
there (``families.registration.family_register``, with the clock at the session) and names them on the register
(``venues.services.register_take``, a correction with its reason, as a worker does once the family is on the
system), so the register names known families beside its walk-in counts. A few of those families are referred for
support later, from their record, without retyping (``referrals.services.referral_create`` naming the family).

Idempotent (nothing is made when a demo family was registered) and deterministic for a given seed and day.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bases.models import Locality
from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from devdata.demo_families import _clock
from families.models import Determinant, Family, RegistrationRoute
from families.registration import Child, family_register, registering_team
from referrals import services as referral_services
from referrals.models import Referral, Source
from venues import selectors as venue_selectors
from venues import services as venue_services
from venues.models import Attendance, GroupCourse, GroupSession

SESSION_SHARE = 0.3  # universal sessions where a new family was registered
MOST = 40  # registered families in the demo
REFERRED_SHARE = 0.15  # of them, referred for support later

PARENTS = [
    ("Chloe", "Bunting"), ("Aisha", "Rahman"), ("Gemma", "Thurston"), ("Kasia", "Nowak"), ("Leanne", "Pegg"),
    ("Shannon", "Cubitt"), ("Joanna", "Self"), ("Amira", "Haddad"), ("Danielle", "Gotts"), ("Rebecca", "Howlett"),
    ("Marta", "Silva"), ("Stacey", "Mallett"), ("Sophie", "Larter"), ("Tom", "Ducker"), ("Jamie", "Platten"),
    ("Natalie", "Goffin"), ("Ioana", "Popescu"), ("Lauren", "Loveday"), ("Kirsty", "Brett"), ("Hannah", "Wegg"),
]  # fmt: skip
CHILDREN = ["Ava", "Noah", "Isla", "Leo", "Freya", "Alfie", "Mia", "Oscar", "Ivy", "Theo", "Rosie", "Arlo", "Ella"]
STREETS = ["Church Lane", "Mill Road", "The Street", "Station Road", "Norwich Road", "School Lane", "Back Lane"]


def demo_registration_counts(*, created: bool = False) -> dict:
    registered = Family.objects.filter(registered_on__isnull=False, created_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    return {
        "created": created,
        "registered": registered.count(),
        "at_sessions": registered.filter(registered_via=RegistrationRoute.UNIVERSAL_SESSION).count(),
        "attendances": Attendance.objects.filter(family__in=registered, attended=True).count(),
        "referred": registered.filter(referrals__isnull=False).distinct().count(),
    }


def demo_registration_summary(counts: dict) -> str:
    already = " (already there)" if not counts["created"] else ""
    return (
        f"Demo registered families{already}: {counts['registered']} known without a referral "
        f"({counts['at_sessions']} registered at universal sessions), named {counts['attendances']} times on "
        f"registers, {counts['referred']} referred for support later"
    )


def _postcode(rng: random.Random, session: GroupSession) -> str:
    outward = (session.venue.postcode or "NR1 1AA").split(" ")[0]
    return f"{outward} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"


def _register_at(rng: random.Random, session: GroupSession, index: int) -> Family | None:
    actor = session.register_taken_by
    team = registering_team(actor)
    if team is None:
        return None
    first, last = PARENTS[index % len(PARENTS)]
    day = timezone.localdate(session.starts_at)
    born = day - timedelta(days=rng.randint(60, 4 * 365))
    locality = Locality.objects.filter(base=session.course.team.base, is_other=False).order_by("name").first()
    if locality is None:
        return None
    with _clock(session.starts_at + timedelta(minutes=20)):
        family = family_register(
            actor=actor,
            team=team,
            registered_via=RegistrationRoute.UNIVERSAL_SESSION,
            parent_first_name=first,
            parent_last_name=last,
            children=[Child(rng.choice(CHILDREN), born)],
            postcode=_postcode(rng, session),
            district=locality.district,
            locality=locality,
            agreed=True,
            safe_contact_channel=rng.choice(["text", "text", "phone", "email", ""]),
            contact_phone=f"07700 900{rng.randint(100, 999)}",
            contact_email=f"{first.lower()}.{last.lower()}@example.com",
            confirmed_new=True,  # the demo's names are its own: a match would be a coincidence of the seed
        )
    named = venue_selectors.walk_in_families(session=session, user=actor)
    with _clock(max(session.register_taken_at, session.starts_at) + timedelta(minutes=30)):
        venue_services.register_take(
            session=session,
            actor=actor,
            attended=set(),
            walk_in_adults=max(session.walk_in_adults, len(named) + 1),
            walk_in_children=max(session.walk_in_children, 1),
            walk_in_families=[*named, family],
            reason=f"Named {first} {last}, registered at the session",
        )
    return family


def _refer_later(rng: random.Random, family: Family, session: GroupSession) -> Referral | None:
    """The family asks for support weeks later: referred from their record (nothing retyped but the address), and
    accepted at triage for the family the service knows."""
    moment = session.starts_at + timedelta(days=rng.randint(14, 60), hours=1)
    if moment + timedelta(days=2) >= timezone.now():
        return None
    parent = family.members.get(kind="parent_carer")
    child = family.members.get(kind="child")
    with _clock(moment):
        referral = referral_services.referral_create(
            actor=session.register_taken_by,
            family=family,
            people=[
                {"kind": "parent_carer", "first_name": parent.first_name, "last_name": parent.last_name},
                {
                    "kind": "child",
                    "first_name": child.first_name,
                    "last_name": child.last_name,
                    "date_of_birth": child.date_of_birth,
                },
            ],
            reasons=list(Determinant.objects.filter(code__in=["social_networks", "parental_mental_health"])),
            received_at=moment,
            received_via=Referral.ReceivedVia.IN_PERSON,
            source=Source.SELF,
            referrer_name=f"{parent.first_name} {parent.last_name}",
            reason_details="Met at a stay and play; asked for some help at home with sleep and low mood.",
            urgency=Referral.Urgency.ROUTINE,
            consent_obtained=True,
            address_line_1=f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
            town=family.locality.name,
            postcode=family.postcode,
            district=family.district,
            locality=family.locality,
            contact_phone=family.contact_phone,
            contact_email=family.contact_email,
            safe_contact_channel=family.safe_contact_channel,
        )
    with _clock(moment + timedelta(days=1)):
        referral_services.referral_decide(
            referral=referral,
            decision="accept",
            reason="meets_threshold",
            notes="Known to us from the stay and play; low mood and sleep: one-to-one support.",
            actor=referral.routed_team.manager,
            family=family,
        )
    return referral


def demo_registration_seed(
    *, rng_seed: int = 2026, session_share: float = SESSION_SHARE, referred_share: float = REFERRED_SHARE
) -> dict:
    """Registered families at the demo's universal sessions, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if demo_registration_counts()["registered"]:
            return demo_registration_counts(created=False)
        rng = random.Random(rng_seed)  # noqa: S311 (demo data, not secrets)
        sessions = (
            GroupSession.objects.filter(
                course__offer_type=GroupCourse.OfferType.UNIVERSAL,
                register_taken_at__isnull=False,
                status=GroupSession.Status.SCHEDULED,
                register_taken_by__email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
            )
            .select_related("course__team__base", "course__programme", "venue", "register_taken_by")
            .order_by("starts_at", "pk")
        )
        made = 0
        for session in sessions:
            if made >= MOST:
                break
            if rng.random() >= session_share:
                continue
            family = _register_at(rng, session, made)
            if family is None:
                continue
            made += 1
            if rng.random() < referred_share:
                _refer_later(rng, family, session)
        return demo_registration_counts(created=True)
