"""Writes to households, one module per concern; import the functions from here.

Tier-2 support (plans, contacts, visits) has its own services: ``families.support.services``.
"""

from .households import (
    PERSON_AMENDABLE,
    WORKER_FAMILY_PERMISSIONS,
    allocation_end,
    allocation_start,
    can_correct_family,
    child_early_education_record,
    determinants_ensure,
    family_add_co_worker,
    family_create,
    family_end_co_worker,
    family_member_add,
    family_reallocate,
    family_update_characteristics,
    follow_up_access_end,
    open_lead_allocation,
    person_add,
    person_amend,
    professional_add,
    support_end,
)

__all__ = [
    "PERSON_AMENDABLE",
    "WORKER_FAMILY_PERMISSIONS",
    "allocation_end",
    "allocation_start",
    "child_early_education_record",
    "determinants_ensure",
    "family_add_co_worker",
    "family_create",
    "family_end_co_worker",
    "family_member_add",
    "family_reallocate",
    "family_update_characteristics",
    "follow_up_access_end",
    "open_lead_allocation",
    "can_correct_family",
    "person_add",
    "person_amend",
    "professional_add",
    "support_end",
]
