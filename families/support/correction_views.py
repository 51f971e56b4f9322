"""Pages for correcting tier-2 support records (assessments, goals, actions, reviews, scores, follow-ups) and for
marking them recorded in error. Every page is scoped (404 for a family the user may not see) and refuses (403)
someone who may see the record but not correct it; the rules are in ``services.assessment_corrections`` and
``services.plan_corrections``."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ecfs.audit.services import audit_view
from ecfs.view_helpers import form_post

from . import selectors as support_selectors
from .forms import (
    ActionAmendForm,
    AssessmentAmendForm,
    FollowUpAmendForm,
    GoalAmendForm,
    RecordInErrorForm,
    ReviewAmendForm,
    ScoresAmendForm,
)
from .services import assessment_corrections as assessments
from .services import plan_corrections as plans

CORRECTED = "Corrected. What was there before is kept with your reason."
IN_ERROR = "Marked as recorded in error. It is kept but left out of lists and returns."


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _page(request, *, form, call, success, back, context, template="support/record_amend.html"):
    return form_post(
        request,
        form,
        call=call,
        success=success,
        redirect_to=redirect(back),
        template=template,
        context={**context, "back_url": back},
    )


# The whole-family assessment ------------------------------------------------------------------------------


def assessment_detail(request, uuid):
    assessment = support_selectors.assessment_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=assessment, family=assessment.family, what="a whole-family assessment")
    return render(
        request,
        "support/assessment_detail.html",
        {
            "assessment": assessment,
            "family": assessment.family,
            "can_correct": assessments.can_correct_assessment(request.user, assessment),
            "can_mark_in_error": assessments.can_mark_assessment_in_error(request.user, assessment),
            "amendments": support_selectors.assessment_amendments(assessment),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_amend(request, uuid):
    assessment = support_selectors.assessment_get(user=request.user, uuid=uuid)
    _require(
        assessments.can_correct_assessment(request.user, assessment),
        "Only the person who started an agreed assessment or the base's team manager corrects it.",
    )
    initial = {name: getattr(assessment, name) for name in assessments.AMENDABLE_ASSESSMENT_FIELDS if name != "needs"}
    initial["needs"] = [need.pk for need in assessment.needs.all()]
    return _page(
        request,
        form=partial(AssessmentAmendForm, initial=initial),
        call=lambda f: assessments.assessment_amend(assessment=assessment, actor=request.user, **f.cleaned_data),
        success=CORRECTED,
        back=reverse("assessment-detail", args=[uuid]),
        context={
            "family": assessment.family,
            "caption": f"{assessment.family.reference}: whole-family assessment",
            "heading": "Correct the assessment",
            "explanation": "Change what was recorded wrongly. The assessment as it was stays in its history.",
            "button": "Save the correction",
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_in_error(request, uuid):
    assessment = support_selectors.assessment_get(user=request.user, uuid=uuid)
    _require(
        assessments.can_mark_assessment_in_error(request.user, assessment),
        "Only the person who started the assessment or the base's team manager can do this.",
    )
    return _page(
        request,
        form=partial(RecordInErrorForm, what="assessment"),
        call=lambda f: assessments.assessment_mark_in_error(
            assessment=assessment, actor=request.user, **f.cleaned_data
        ),
        success=IN_ERROR,
        back=reverse("family-detail", args=[assessment.family.reference]),
        context={
            "family": assessment.family,
            "caption": f"{assessment.family.reference}: whole-family assessment",
            "heading": "Mark this assessment as recorded in error",
            "explanation": "Use this when the assessment was recorded on the wrong family. It is never deleted.",
            "button": "Mark as recorded in error",
        },
    )


# Plans: goals, actions, reviews, scores, the follow-up -----------------------------------------------------


def _plan(request, uuid):
    return support_selectors.plan_detail(user=request.user, uuid=uuid)


def _plan_context(plan, caption: str, heading: str, explanation: str, button: str) -> dict:
    return {
        "family": plan.family,
        "plan": plan,
        "caption": f"{plan.family.reference}: {plan.get_kind_display().lower()} plan — {caption}",
        "heading": heading,
        "explanation": explanation,
        "button": button,
    }


def _plan_url(plan) -> str:
    return reverse("plan-detail", args=[plan.uuid])


@require_http_methods(["GET", "POST"])
def goal_amend(request, uuid, pk):
    plan = _plan(request, uuid)
    goal = support_selectors.plan_goal_get(plan=plan, pk=pk)
    _require(plans.can_correct_goal(request.user, goal), "Only the plan's worker or a team manager re-words goals.")
    return _page(
        request,
        form=partial(GoalAmendForm, initial={"description": goal.description}),
        call=lambda f: plans.goal_amend(goal=goal, actor=request.user, **f.cleaned_data),
        success=CORRECTED,
        back=_plan_url(plan),
        context=_plan_context(
            plan,
            f"goal about {goal.determinant.name.lower()}",
            "Re-word the goal",
            "Put the goal in the family's own words. The need it is about stays; the wording as it was is kept.",
            "Save the correction",
        ),
    )


@require_http_methods(["GET", "POST"])
def action_amend(request, uuid, action_uuid):
    plan = _plan(request, uuid)
    action = support_selectors.plan_action_get(plan=plan, uuid=action_uuid)
    _require(plans.can_correct_action(request.user, action), "Only the plan's worker or a team manager re-words it.")
    return _page(
        request,
        form=partial(ActionAmendForm, initial={"description": action.description}),
        call=lambda f: plans.action_amend(action=action, actor=request.user, **f.cleaned_data),
        success=CORRECTED,
        back=_plan_url(plan),
        context=_plan_context(
            plan,
            "action",
            "Re-word the action",
            "Correct what the action says. Who does it, when it is due and whether it is done are changed on "
            "their own pages. The wording as it was is kept.",
            "Save the correction",
        ),
    )


@require_http_methods(["GET", "POST"])
def review_amend(request, uuid, pk):
    plan = _plan(request, uuid)
    review = support_selectors.plan_review_get(plan=plan, pk=pk)
    _require(
        plans.can_correct_review(request.user, review),
        "Only the person who recorded the review or a team manager corrects it.",
    )
    initial = {"reviewed_on": review.reviewed_on, "notes": review.notes}
    return _page(
        request,
        form=partial(ReviewAmendForm, review=review, initial=initial),
        call=lambda f: plans.review_amend(review=review, actor=request.user, **f.amended()),
        success=CORRECTED,
        back=_plan_url(plan),
        context=_plan_context(
            plan,
            f"review of {review.reviewed_on:%-d %B %Y}",
            "Correct the review",
            "Change the date, notes or progress recorded wrongly. The review's scores are corrected on their own "
            "page. The review as it was is kept.",
            "Save the correction",
        ),
    )


def _scores(request, uuid, pk, allowed):
    plan = _plan(request, uuid)
    assessment = support_selectors.plan_scores_get(plan=plan, pk=pk)
    _require(allowed(request.user, assessment), "Only the person who recorded the scores or a team manager can.")
    return plan, assessment


def _scores_caption(assessment) -> str:
    return f"{assessment.get_stage_display().lower()} scores of {assessment.assessed_on:%-d %B %Y}"


@require_http_methods(["GET", "POST"])
def scores_amend(request, uuid, pk):
    plan, assessment = _scores(request, uuid, pk, plans.can_correct_scores)
    return _page(
        request,
        form=partial(ScoresAmendForm, assessment=assessment),
        call=lambda f: plans.scores_amend(assessment=assessment, actor=request.user, **f.amended()),
        success=CORRECTED,
        back=_plan_url(plan),
        context=_plan_context(
            plan,
            _scores_caption(assessment),
            "Correct the scores",
            "Change any score recorded wrongly (1 to 10). The scores as they were are kept; the returns use the "
            "corrected ones.",
            "Save the correction",
        ),
    )


@require_http_methods(["GET", "POST"])
def scores_in_error(request, uuid, pk):
    plan, assessment = _scores(request, uuid, pk, plans.can_mark_scores_in_error)
    return _page(
        request,
        form=partial(RecordInErrorForm, what="set of scores"),
        call=lambda f: plans.scores_mark_in_error(assessment=assessment, actor=request.user, **f.cleaned_data),
        success=IN_ERROR,
        back=_plan_url(plan),
        context=_plan_context(
            plan,
            _scores_caption(assessment),
            "Mark these scores as recorded in error",
            "Use this when the scores were recorded on the wrong family's plan. They are never deleted, but "
            "leave the plan's charts and the outcome figures.",
            "Mark as recorded in error",
        ),
    )


def _follow_up(request, uuid):
    plan = _plan(request, uuid)
    follow_up = plan.follow_up
    if follow_up is None:
        raise Http404("This plan has no follow-up")
    _require(
        plans.can_correct_follow_up(request.user, follow_up),
        "Only the person who recorded the follow-up or a team manager can.",
    )
    return plan, follow_up


@require_http_methods(["GET", "POST"])
def follow_up_amend(request, uuid):
    plan, follow_up = _follow_up(request, uuid)
    initial = {"sustained": "yes" if follow_up.sustained else "no", "notes": follow_up.notes}
    return _page(
        request,
        form=partial(FollowUpAmendForm, initial=initial),
        call=lambda f: plans.follow_up_amend(follow_up=follow_up, actor=request.user, **f.cleaned_data),
        success=CORRECTED,
        back=_plan_url(plan),
        context=_plan_context(
            plan,
            "six-month follow-up",
            "Correct the six-month follow-up",
            "Change what was recorded wrongly. The follow-up as it was is kept; the returns use the correction.",
            "Save the correction",
        ),
    )


@require_http_methods(["GET", "POST"])
def follow_up_in_error(request, uuid):
    plan, follow_up = _follow_up(request, uuid)
    return _page(
        request,
        form=partial(RecordInErrorForm, what="follow-up"),
        call=lambda f: plans.follow_up_mark_in_error(follow_up=follow_up, actor=request.user, **f.cleaned_data),
        success="Marked as recorded in error. It is kept but left out of the returns; record the follow-up again.",
        back=_plan_url(plan),
        context=_plan_context(
            plan,
            "six-month follow-up",
            "Mark this follow-up as recorded in error",
            "Use this when the follow-up was recorded on the wrong family. It is never deleted, but leaves the "
            "returns, and the plan's follow-up can be recorded again.",
            "Mark as recorded in error",
        ),
    )
