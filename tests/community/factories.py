from datetime import time
from decimal import Decimal

from bases.models import Locality
from community import services
from community.models import CommunityGroup


def group_fields(district, **overrides) -> dict:
    locality = Locality.objects.filter(district=district).order_by("name").first()
    fields = {
        "name": "Little Acorns Stay and Play",
        "kind": CommunityGroup.Kind.STAY_AND_PLAY,
        "description": "Toys, songs and a cuppa for parents and carers with babies and toddlers.",
        "organisation": "St Edmund's Church",
        "organisation_website": "https://st-edmunds.example.org",
        "district": district,
        "locality": locality,
        "venue_name": "St Edmund's Hall",
        "venue_address": "Church Lane, " + locality.name,
        "venue_postcode": "NR13 3DY",
        "min_age_months": 0,
        "max_age_months": 48,
        "for_expectant_parents": True,
        "weekday": 1,
        "starts_at": time(9, 30),
        "ends_at": time(11, 0),
        "frequency": CommunityGroup.Frequency.TERM_TIME,
        "cost": Decimal("1.00"),
        "cost_notes": "£1 per family, first session free",
        "contact_name": "Sue Organiser",
        "contact_phone": "01603 000000",
        "contact_email": "acorns@example.org",
        "accessibility_notes": "Step-free access; buggy park.",
        "status": CommunityGroup.Status.ACTIVE,
    }
    fields.update(overrides)
    return fields


def community_group(cast, **overrides) -> CommunityGroup:
    """A group in the manager's district, added by the manager."""
    return services.group_add(actor=cast.manager, **group_fields(cast.team.base.district, **overrides))


def grant_application(cast, *, actor=None, **overrides):
    district = cast.team.base.district
    fields = {
        "group_name": "Yarmouth Mums Together",
        "organisation": "Yarmouth Mums Together CIC",
        "contact_name": "Dee Organiser",
        "contact_email": "dee@example.org",
        "purpose": "new_group",
        "description": "A weekly peer support group for new mums, with a crèche.",
        "district": district,
        "locality": Locality.objects.filter(district=district, is_other=False).order_by("name").first(),
        "rural": False,
        "families_expected": 20,
        "amount_requested": "2500.00",
    }
    fields.update(overrides)
    return services.grant_create(actor=actor or cast.manager, **fields)


def community_scenario(cast, family) -> dict:
    """The permission table's objects: a group, the family's connection to it, a grant and the feed's taxonomy."""
    from community import directory

    group = community_group(cast)
    connection = services.connection_create(family=family, actor=cast.worker, group=group)
    grant = grant_application(cast)
    term = directory.taxonomy_term_json(*directory.COURSE_TERM)
    return {
        "community_group": (group.uuid,),
        "connection": (connection.uuid,),
        "grant": (grant.uuid,),
        "taxonomy": (directory.TAXONOMY["id"],),
        "taxonomy_term": (term["id"],),
    }
