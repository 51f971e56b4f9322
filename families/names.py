"""Family members' names where people look for a family: "Kerry Howes and Alfie (2), Maisie (4)".

Lists load the members with ``household_prefetch`` (one query for the whole page); ``Family.household_names``
reads them. A page that may list a restricted family the user is not named on shows ``RESTRICTED_FAMILY_LABEL``
(see ``venues.selectors.label_enrolled``) instead; the scoped lists never hold one.
"""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from .models import Family, Person

HOUSEHOLD_ATTR = "household"
HIDDEN_ATTR = "household_hidden"
# The same words as venues.selectors.RESTRICTED_FAMILY_LABEL (registers): a restricted family named for no one else.
RESTRICTED_FAMILY_LABEL = "A family with a restricted record"
CHILD_KINDS = (Person.Kind.CHILD, Person.Kind.OLDER_CHILD)
CARER_KINDS = (Person.Kind.PARENT_CARER, Person.Kind.OTHER_ADULT)


def household_prefetch(via: str = "") -> Prefetch:
    """Prefetch a family's members into ``household`` (``via``: the path to the family, e.g. ``"family__"``)."""
    return Prefetch(
        f"{via}members",
        queryset=Person.objects.only(
            "id", "family_id", "kind", "first_name", "last_name", "date_of_birth", "expected_date"
        ).order_by("pk"),
        to_attr=HOUSEHOLD_ATTR,
    )


def hide_restricted(user, families) -> None:
    """Mark the restricted families ``user`` is not named on, so their names show as ``RESTRICTED_FAMILY_LABEL``.

    One query, and only when one of the families is restricted (a worker may be allocated a family restricted
    to others since)."""
    restricted = {family.pk: family for family in families if family.restricted}
    if not restricted:
        return
    named = set(
        Family.restricted_to.through.objects.filter(family_id__in=restricted, user_id=user.pk).values_list(
            "family_id", flat=True
        )
    )
    for pk, family in restricted.items():
        setattr(family, HIDDEN_ATTR, pk not in named)


def age_in_years(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _members(family) -> list[Person]:
    for attr in (HOUSEHOLD_ATTR, "member_list"):
        members = getattr(family, attr, None)
        if members is not None:
            return list(members)
    return list(family.members.all())


def main_carer(members: list[Person]) -> Person | None:
    """The first parent or carer recorded (else the first other adult)."""
    for kind in CARER_KINDS:
        carers = sorted((m for m in members if m.kind == kind), key=lambda m: m.pk or 0)
        if carers:
            return carers[0]
    return None


def household_names(family, today: date | None = None) -> str:
    """The main carer's full name and the children's first names with their ages, oldest first."""
    if getattr(family, HIDDEN_ATTR, False):
        return RESTRICTED_FAMILY_LABEL
    return people_names(_members(family), today)


def people_names(members, today: date | None = None) -> str:
    """The same line for any list of people with a kind, names and dates (a referral's people, before a
    family is known)."""
    today = today or timezone.localdate()
    members = list(members)
    carer = main_carer(members)
    children = sorted(
        (m for m in members if m.kind in CHILD_KINDS and m.date_of_birth), key=lambda m: (m.date_of_birth, m.pk or 0)
    )
    shown = [f"{child.first_name} ({age_in_years(child.date_of_birth, today)})" for child in children]
    if any(m.kind == Person.Kind.UNBORN for m in members):
        shown.append("an unborn baby")
    if carer is None:
        return ", ".join(shown)
    carer_name = f"{carer.first_name} {carer.last_name}".strip()
    if not shown:
        return carer_name
    return f"{carer_name} and {', '.join(shown)}"
