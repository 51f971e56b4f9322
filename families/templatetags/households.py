"""``{{ family|household_names }}``: "Kerry Howes and Alfie (2)" beside a family's reference (families.names)."""

from django import template

from families.names import household_names as names
from families.names import people_names as names_of_people

register = template.Library()


@register.filter
def household_names(family) -> str:
    return names(family) if family is not None else ""


@register.filter
def people_names(people) -> str:
    """The same line from a referral's people (``{{ referral.people.all|people_names }}``)."""
    return names_of_people(people)
