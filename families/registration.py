"""Light registration: a family known to the service without a referral (#19 item 2).

A worker at a universal session, a drop-in or outreach notes a parent's name, the children's dates of birth or
an expected date, the postcode and nearest town, how it is safe to contact them (if at all) and the family's
agreement to their details being kept. The duplicate check runs first: a likely match is offered instead of a new
record, and a new family is made only once the worker confirms none of the matches is them.

Where the family belongs (README, *Registering a family*): its district and locality are the place the worker
gives (the postcode and the nearest town, as at referral intake), and its base is the base serving that locality
(``Locality.base``, the referral routing's rule); for "Other" (outside the market towns), the registering team's
base when it is in that district, else the district's first base. The family is seen by the registering team's workers
(``Family.registered_team``; ``families.access.registered_filter``) until it is allocated, and always by the
managers of its base.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bases.models import Base, District, Locality, Team
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role

from .models import ContactChannel, Family, Person, RegistrationRoute
from .rules import validate_person_dates, validate_safe_contact
from .selectors import DuplicateCandidate, duplicate_candidates
from .services import family_create
from .validators import normalise_postcode, validate_uk_postcode


class PossibleDuplicate(ApplicationError):
    """The duplicate check found families that may be this one: offer them before making a new record."""

    def __init__(self, candidates: list[DuplicateCandidate]):
        super().__init__(
            "This may be a family already known to the service: use it, or confirm this is a different family.",
            extra={"candidates": candidates},
        )
        self.candidates = candidates


@dataclass(frozen=True)
class Child:
    first_name: str
    date_of_birth: date


def registering_team(user) -> Team | None:
    """The team a family registered by ``user`` belongs to: their own team, else (a manager without one) the
    first team they lead; None for anyone else (they cannot register families)."""
    if not (has_role(user, Role.WORKER) or has_role(user, Role.MANAGER)):
        return None
    team = Team.objects.select_related("base").filter(members__user=user).first()
    if team is None and has_role(user, Role.MANAGER):
        team = Team.objects.select_related("base").filter(manager=user).order_by("name").first()
    return team


def registration_base(*, district: District, locality: Locality, team: Team) -> Base:
    """The base a registered family belongs to: its locality's base, as referral routing by place decides;
    outside the market towns, the registering team's base if it is in the district, else the district's first."""
    if locality.base_id and not locality.is_other:
        return locality.base
    if team.base.district_id == district.pk:
        return team.base
    base = Base.objects.filter(district=district).order_by("name").first()
    if base is None:
        raise ApplicationError(f"No base serves {district} yet: ask a service admin to set one up.")
    return base


def registration_people(
    *, parent_first_name: str, parent_last_name: str, children: list[Child], expected_date: date | None
) -> list[dict]:
    """The household as the duplicate check and ``family_create`` take it."""
    people = [
        {
            "kind": Person.Kind.PARENT_CARER,
            "first_name": parent_first_name.strip(),
            "last_name": parent_last_name.strip(),
        }
    ]
    for child in children:
        people.append(
            {
                "kind": Person.Kind.CHILD,
                "first_name": child.first_name.strip(),
                "last_name": parent_last_name.strip(),
                "date_of_birth": child.date_of_birth,
                "relationship": Person.Relationship.SUBJECT_CHILD,
            }
        )
    if expected_date:
        people.append(
            {
                "kind": Person.Kind.UNBORN,
                "first_name": "Unborn",
                "last_name": parent_last_name.strip() or "baby",
                "expected_date": expected_date,
                "relationship": Person.Relationship.SUBJECT_CHILD,
            }
        )
    return people


def registration_duplicates(*, people: list[dict], postcode: str) -> list[DuplicateCandidate]:
    """The duplicate check for a registration (the intake's: name, date of birth and postcode, typo-tolerant)."""
    return duplicate_candidates(people=people, postcode=postcode)


@transaction.atomic
def family_register(
    *,
    actor,
    team: Team,
    registered_via: str,
    parent_first_name: str,
    parent_last_name: str,
    children: list[Child],
    expected_date: date | None = None,
    postcode: str,
    district: District,
    locality: Locality,
    agreed: bool,
    safe_contact_channel: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    confirmed_new: bool = False,
) -> Family:
    """Register a family known to the service without a referral. Raises ``PossibleDuplicate`` (listing the
    matches) unless the duplicate check finds none or the worker ``confirmed_new`` after seeing them."""
    errors = {}
    if not parent_first_name.strip():
        errors["parent_first_name"] = "Enter the parent's first name"
    if not parent_last_name.strip():
        errors["parent_last_name"] = "Enter the parent's last name"
    if not children and not expected_date:
        errors["child_first_name"] = "Enter a child's first name and date of birth, or the expected date of birth"
    if not agreed:
        errors["agreed"] = (
            "Register a family only if they agree to the service keeping their details: otherwise count them "
            "among the walk-ins"
        )
    if registered_via not in RegistrationRoute.values:
        errors["registered_via"] = "Select where the family was registered"
    if safe_contact_channel and safe_contact_channel not in ContactChannel.values:
        errors["safe_contact_channel"] = "Select how it is safe to contact the family"
    postcode = normalise_postcode(postcode or "")
    try:
        validate_uk_postcode(postcode)
    except ValidationError:
        errors["postcode"] = "Enter a full UK postcode, like NR1 3AB"
    if locality.district_id not in (None, district.pk):
        errors["locality"] = f"{locality} is not in {district}: choose a town in that district"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    for child in children:
        try:
            validate_person_dates(
                kind=Person.Kind.CHILD, date_of_birth=child.date_of_birth, expected_date=None, today=today
            )
        except ValidationError as error:
            raise ValidationError({"child_date": error.message_dict.get("date_of_birth", error.messages)}) from None
    if expected_date:
        try:
            validate_person_dates(kind=Person.Kind.UNBORN, date_of_birth=None, expected_date=expected_date, today=today)
        except ValidationError as error:
            raise ValidationError({"expected_date": error.message_dict.get("expected_date", error.messages)}) from None
    validate_safe_contact(channel=safe_contact_channel, phone=contact_phone, email=contact_email)

    people = registration_people(
        parent_first_name=parent_first_name,
        parent_last_name=parent_last_name,
        children=children,
        expected_date=expected_date,
    )
    if not confirmed_new:
        candidates = registration_duplicates(people=people, postcode=postcode)
        if candidates:
            raise PossibleDuplicate(candidates)

    family = family_create(
        actor=actor,
        people=people,
        postcode=postcode,
        district=district,
        locality=locality,
        base=registration_base(district=district, locality=locality, team=team),
        consent_given=True,
        consent_given_by=f"{parent_first_name.strip()} {parent_last_name.strip()}, at registration"[:150],
        consent_date=today,
        consent_scope=Family.ConsentScope.HOLD,
        safe_contact_channel=safe_contact_channel,
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
        registered_on=today,
        registered_via=registered_via,
        registered_team=team,
    )
    family.full_clean(exclude=["reference"])
    audit_record(
        actor=actor,
        action=AuditAction.FAMILY_REGISTERED,
        obj=family,
        family=family,
        summary=f"Family registered {RegistrationRoute(registered_via).label.lower()} by {team}",
        changes={"registered_via": registered_via, "confirmed_new_after_matches": confirmed_new},
    )
    return family
