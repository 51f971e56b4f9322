"""The service admin's venue pages: the accessibility and suitability self-assessment the equality impact
assessment asked for. Form, service (one transaction, audited) and pages."""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.roles import Role
from ecfs.view_helpers import form_post, require_role

from .models import Venue

# (field, question, short label for lists and the directory)
QUESTIONS = (
    ("step_free_access", "Is there step-free access?", "Step-free access"),
    ("accessible_toilet", "Is there an accessible toilet?", "Accessible toilet"),
    ("baby_changing", "Are there baby changing facilities?", "Baby changing"),
    ("parking", "Is there parking?", "Parking"),
    ("near_public_transport", "Is it near public transport?", "Near public transport"),
    ("hearing_loop", "Is there a hearing loop?", "Hearing loop"),
    ("breastfeeding_space", "Is there a quiet space for breastfeeding?", "Breastfeeding space"),
    ("private_room", "Is there a private room for confidential conversations?", "Private room"),
)
FIELDS = tuple(field for field, _, _ in QUESTIONS)
ANSWERS = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
TO_VALUE = {"yes": True, "no": False, "unknown": None}


def _to_answer(value) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")


class VenueAssessmentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, question, _ in QUESTIONS:
            self.fields[field] = forms.ChoiceField(
                label=question,
                choices=ANSWERS,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer: {question[0].lower()}{question[1:]}"},
            )

    def answers(self) -> dict:
        return {field: TO_VALUE[self.cleaned_data[field]] for field in FIELDS}


@transaction.atomic
def venue_assess(*, actor, venue: Venue, answers: dict) -> Venue:
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    before = {field: getattr(venue, field) for field in FIELDS}
    for field in FIELDS:
        setattr(venue, field, answers[field])
    venue.accessibility_assessed_on = timezone.localdate()
    venue.accessibility_assessed_by = actor
    venue.save()
    audit_record(
        actor=actor,
        action=AuditAction.VENUE_ASSESSED,
        obj=venue,
        summary=f"Accessibility of {venue.name} assessed",
        changes={"before": before, "after": {field: answers[field] for field in FIELDS}},
    )
    return venue


def answers_of(venue: Venue) -> list[tuple[str, bool | None]]:
    return [(label, getattr(venue, field)) for field, _, label in QUESTIONS]


@require_GET
def venue_admin_list(request):
    require_role(request.user, Role.ADMIN)
    venues = list(
        Venue.objects.select_related("district", "accessibility_assessed_by").order_by("district__name", "name")
    )
    for venue in venues:
        venue.answers = answers_of(venue)
    return render(request, "venues/admin_list.html", {"venues": venues, "labels": [q[2] for q in QUESTIONS]})


@require_http_methods(["GET", "POST"])
def venue_assessment(request, pk):
    require_role(request.user, Role.ADMIN)
    venue = get_object_or_404(Venue.objects.select_related("district", "accessibility_assessed_by"), pk=pk)
    return form_post(
        request,
        lambda **kwargs: VenueAssessmentForm(initial={f: _to_answer(getattr(venue, f)) for f in FIELDS}, **kwargs),
        call=lambda form: venue_assess(actor=request.user, venue=venue, answers=form.answers()),
        success=f"Accessibility of {venue.name} saved.",
        redirect_to="venue-admin-list",
        template="venues/assessment.html",
        context={"venue": venue},
    )
