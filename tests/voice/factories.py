"""Feedback, complaints and digital reach for tests: made through the services, as the pages do."""

from datetime import date

from django.utils import timezone

from voice import services
from voice.models import Complaint, Feedback


def feedback(**overrides) -> Feedback:
    fields = {"rating": Feedback.Rating.GOOD, "went_well": "The worker listened.", "could_be_better": ""}
    fields.update(overrides)
    return services.feedback_receive(**fields)


def complaint(*, actor, family=None, base=None, received_on: date | None = None, **overrides) -> Complaint:
    if family is None and base is None:
        base = actor.staff_profile.team.base
    fields = {
        "received_on": received_on or timezone.localdate(),
        "received_how": Complaint.How.PHONE,
        "category": Complaint.Category.COMMUNICATION,
        "summary": "Nobody rang back after the first visit.",
        "family": family,
        "base": base,
    }
    fields.update(overrides)
    return services.complaint_record(actor=actor, **fields)
