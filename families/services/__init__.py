"""Writes to households, one module per concern; import the functions from here.

Tier-2 support (plans, contacts, visits) has its own services: ``families.support.services``.
"""

from .households import (
    WORKER_FAMILY_PERMISSIONS,
    allocation_end,
    allocation_start,
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
    professional_add,
    support_end,
)

__all__ = [
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
    "person_add",
    "professional_add",
    "support_end",
]
