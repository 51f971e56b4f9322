"""Writes to tier-2 support, one module per concern; import the functions from here."""

from .contacts import contact_log, safeguarding_action_record, visit_cancel, visit_plan
from .plans import (
    assessment_complete,
    assessment_start,
    follow_up_record,
    outcome_record,
    parent_progress_record,
    plan_action_add,
    plan_action_done,
    plan_approve_activation,
    plan_approve_closure,
    plan_create,
    plan_request_closure,
    plan_return_to_worker,
    plan_review,
    plan_submit_for_activation,
)

__all__ = [
    "assessment_complete",
    "assessment_start",
    "contact_log",
    "follow_up_record",
    "outcome_record",
    "parent_progress_record",
    "plan_action_add",
    "plan_action_done",
    "plan_approve_activation",
    "plan_approve_closure",
    "plan_create",
    "plan_request_closure",
    "plan_return_to_worker",
    "plan_review",
    "plan_submit_for_activation",
    "safeguarding_action_record",
    "visit_cancel",
    "visit_plan",
]
