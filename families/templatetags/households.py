"""``{{ family|household_names }}``: "Kerry Howes and Alfie (2)" beside a family's reference (families.names)."""

from django import template

from families.names import household_names as names

register = template.Library()


@register.filter
def household_names(family) -> str:
    return names(family) if family is not None else ""
