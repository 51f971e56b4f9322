"""The Team around the family part of the family record page (templates/families/detail.html), in two queries
(three with any meeting: their actions)."""

from django import template
from django.utils import timezone

from partnership.selectors import family_meetings, family_onward_referrals

register = template.Library()


@register.inclusion_tag("partnership/_family_partnership.html")
def family_partnership(family):
    return {
        "family": family,
        "meetings": family_meetings(family=family),
        "onward_referrals": list(family_onward_referrals(family=family)),
        "today": timezone.localdate(),
    }
