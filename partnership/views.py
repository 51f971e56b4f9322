"""Pages for team around the family meetings and onward referrals, on the family record; thin, scoped."""

from functools import partial

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ecfs.audit.services import audit_view
from ecfs.view_helpers import form_post
from families.selectors import family_get

from . import selectors, services
from .forms import ActionDoneForm, MeetingCorrectForm, MeetingForm, OnwardReferralForm, OutcomeForm
from .models import OnwardReferral


def _back_to_partnership(family) -> str:
    return reverse("family-detail", args=[family.reference]) + "#team-around-the-family"


@require_http_methods(["GET", "POST"])
def meeting_add(request, reference):
    family = family_get(user=request.user, reference=reference)

    def record(form):
        data = form.cleaned_data
        return services.taf_meeting_record(
            family=family,
            actor=request.user,
            held_on=data["held_on"],
            decisions=data["decisions"],
            professionals=data["professionals"],
            people=data["people"],
            workers=data["workers"],
            lead_worker=data["lead_worker"],
            lead_professional=data["lead_professional"],
            next_meeting_on=data["next_meeting_on"],
            shared_with_agencies=data["shared_with_agencies"],
            actions=data["actions"],
        )

    return form_post(
        request,
        partial(MeetingForm, family=family, actor=request.user, initial={"workers": [request.user.pk]}),
        call=record,
        success=lambda meeting: f"Team around the family meeting of {meeting.held_on:%-d %B %Y} recorded.",
        redirect_to=lambda meeting: reverse("taf-meeting-detail", args=[meeting.uuid]),
        template="partnership/meeting_form.html",
        context={"family": family, "plan": services.current_plan(family)},
    )


@require_GET
def meeting_detail(request, uuid):
    meeting = selectors.meeting_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=meeting, family=meeting.family, what="a team around the family meeting")
    return _render_meeting(request, meeting)


def _render_meeting(request, meeting):
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "meeting": meeting,
            "family": meeting.family,
            "actions": list(meeting.actions.all()),
            "amendments": selectors.meeting_amendments(meeting),
            "can_correct": services.can_correct_meeting(request.user, meeting),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_correct(request, uuid):
    meeting = selectors.meeting_get(user=request.user, uuid=uuid)
    return form_post(
        request,
        partial(MeetingCorrectForm, meeting=meeting),
        call=lambda form: services.taf_meeting_amend(
            meeting=meeting,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            held_on=form.cleaned_data["held_on"],
            decisions=form.cleaned_data["decisions"],
            next_meeting_on=form.cleaned_data["next_meeting_on"],
            shared_with_agencies=form.cleaned_data["shared_with_agencies"],
        ),
        success="Meeting corrected.",
        redirect_to=lambda result: reverse("taf-meeting-detail", args=[meeting.uuid]),
        template="partnership/meeting_correct.html",
        context={"meeting": meeting, "family": meeting.family},
    )


@require_http_methods(["GET", "POST"])
def meeting_action_done(request, uuid, action_uuid):
    meeting = selectors.meeting_get(user=request.user, uuid=uuid)
    action = next((action for action in meeting.actions.all() if str(action.uuid) == str(action_uuid)), None)
    if action is None:
        raise Http404("No such action")
    return form_post(
        request,
        partial(ActionDoneForm, initial={"done_on": timezone.localdate()}),
        call=lambda form: services.meeting_action_done(
            action=action, actor=request.user, done_on=form.cleaned_data["done_on"]
        ),
        success="Action marked as done.",
        redirect_to=lambda result: reverse("taf-meeting-detail", args=[meeting.uuid]),
        template="partnership/action_done.html",
        context={"meeting": meeting, "family": meeting.family, "action": action},
    )


@require_http_methods(["GET", "POST"])
def onward_referral_add(request, reference):
    family = family_get(user=request.user, reference=reference)
    return form_post(
        request,
        partial(OnwardReferralForm, initial={"referred_on": timezone.localdate()}),
        call=lambda form: services.onward_referral_record(family=family, actor=request.user, **form.cleaned_data),
        success=lambda referral: f"Onward referral to {referral.organisation} recorded.",
        redirect_to=lambda referral: reverse("onward-referral-detail", args=[referral.uuid]),
        template="partnership/onward_referral_form.html",
        context={"family": family},
    )


@require_GET
def onward_referral_detail(request, uuid):
    referral = selectors.onward_referral_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=referral, family=referral.family, what="an onward referral")
    return render(
        request,
        "partnership/onward_referral_detail.html",
        {
            "referral": referral,
            "family": referral.family,
            "overdue": not referral.outcome and referral.outcome_expected_by < timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def onward_referral_outcome(request, uuid):
    referral = selectors.onward_referral_get(user=request.user, uuid=uuid)
    initial = {"outcome_on": timezone.localdate()}
    if referral.outcome:
        initial = {
            "outcome": referral.outcome,
            "outcome_on": referral.outcome_on,
            "outcome_notes": referral.outcome_notes,
        }
    return form_post(
        request,
        partial(OutcomeForm, initial=initial),
        call=lambda form: services.onward_referral_outcome_record(
            referral=referral,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            outcome_on=form.cleaned_data["outcome_on"],
            notes=form.cleaned_data["outcome_notes"],
        ),
        success=lambda result: f"Outcome recorded: {OnwardReferral.Outcome(result.outcome).label}.",
        redirect_to=lambda result: reverse("onward-referral-detail", args=[referral.uuid]),
        template="partnership/onward_referral_outcome.html",
        context={"referral": referral, "family": referral.family},
    )
