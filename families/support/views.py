"""Pages for tier-2 support: assessment, plans, reviews, closure, contacts, safeguarding, the week."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record, audit_view
from ecfs.errors import ApplicationError
from ecfs.history import amendments_of
from ecfs.roles import Role, has_role
from ecfs.view_helpers import form_post, require_role
from families import selectors
from families.access import manages_family

from . import selectors as support_selectors
from . import services
from .forms import (
    GOAL_SLOTS,
    ActionDoneForm,
    ActionReassignForm,
    ActionRedateForm,
    ActionReopenForm,
    AssessmentForm,
    ClosureForm,
    ContactAmendForm,
    ContactForm,
    FollowUpForm,
    InErrorForm,
    ParentProgressForm,
    PlanActionForm,
    PlanForm,
    PlannedVisitForm,
    ReturnForm,
    ReviewForm,
    SafeguardingActionForm,
    StartScoresForm,
)
from .plan_copy import plan_copy_pdf
from .services import assessment_corrections, corrections, plan_corrections
from .services import plans as plan_rules


@require_http_methods(["GET", "POST"])
def assessment(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    if request.method == "POST" and "start" in request.POST:
        services.assessment_start(family=family, actor=request.user)
        return redirect("family-assessment", reference=reference)
    current = support_selectors.open_assessment(family=family)
    if current is None:
        return render(request, "support/assessment_start.html", {"family": family})
    can_mark_in_error = assessment_corrections.can_mark_assessment_in_error(request.user, current)
    return form_post(
        request,
        partial(AssessmentForm, initial={"needs": support_selectors.referral_needs(family=family)}),
        call=lambda f: services.assessment_complete(assessment=current, actor=request.user, **f.cleaned_data),
        success="Assessment completed.",
        redirect_to=redirect("family-detail", reference=reference),
        template="support/assessment.html",
        context={"family": family, "assessment": current, "can_mark_in_error": can_mark_in_error},
    )


@require_http_methods(["GET", "POST"])
def plan_new(request, reference):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    family = selectors.family_get(user=request.user, reference=reference)

    def create(f):
        return services.plan_create(
            family=family,
            kind=f.cleaned_data["kind"],
            goals=f.goals(),
            lead_professional=f.cleaned_data["lead_professional"],
            review_interval_weeks=f.cleaned_data["review_interval_weeks"],
            actor=request.user,
        )

    needs = support_selectors.assessed_needs(family=family)[:GOAL_SLOTS]
    initial = {f"goal_{slot}_determinant": need for slot, need in enumerate(needs, start=1)}
    return form_post(
        request,
        partial(PlanForm, initial=initial),
        call=create,
        success="Plan drafted. Record the start scores, then send it for approval.",
        redirect_to=lambda plan: redirect("plan-start-scores", uuid=plan.uuid),
        template="support/plan_form.html",
        context={"family": family},
    )


def plan_detail(request, uuid):
    plan = support_selectors.with_amendments(support_selectors.plan_detail(user=request.user, uuid=uuid))
    audit_view(actor=request.user, obj=plan, family=plan.family, what="a support plan")
    is_manager = manages_family(request.user, plan.family)
    follow_up = plan.follow_up
    for review in plan.reviews.all():
        review.can_correct = plan_corrections.can_correct_review(request.user, review)
    for scores in plan.outcome_assessments.all():
        scores.can_correct = plan_corrections.can_correct_scores(request.user, scores)
        scores.can_mark_in_error = plan_corrections.can_mark_scores_in_error(request.user, scores)
    return render(
        request,
        "support/plan_detail.html",
        {
            "plan": plan,
            "family": plan.family,
            "journeys": support_selectors.score_journeys(plan),
            "is_manager": is_manager,
            "can_approve": plan_rules.can_approve_plan(request.user, plan),
            "approving_closure": plan_rules.plan_allows(plan, plan_rules.APPROVE_CLOSURE),
            "can_submit": plan_rules.can_submit_plan(request.user, plan),
            "can_review": plan_rules.can_review_plan(request.user, plan),
            "can_request_closure": plan_rules.can_request_closure(request.user, plan),
            "can_add_action": plan_rules.can_add_plan_action(request.user, plan),
            "can_change_actions": plan_rules.can_change_plan_actions(request.user, plan),
            "follow_up": follow_up,
            "follow_up_amendments": support_selectors.follow_up_amendments(follow_up),
            "can_correct_follow_up": follow_up is not None
            and plan_corrections.can_correct_follow_up(request.user, follow_up),
            "can_reword": plan_corrections.can_reword_plan(request.user, plan),
            "return_form": ReturnForm(),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_start_scores(request, uuid):
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    return form_post(
        request,
        partial(StartScoresForm, plan=plan, initial={"assessed_on": timezone.localdate()}),
        call=lambda f: services.outcome_record(
            plan=plan, stage="start", scores=f.scores(), assessed_on=f.cleaned_data["assessed_on"], actor=request.user
        ),
        success="Start scores recorded.",
        redirect_to=redirect("plan-detail", uuid=uuid),
        template="support/scores_form.html",
        context={"plan": plan, "family": plan.family},
    )


def _plan_post(request, uuid, call, success):
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    try:
        call(plan)
    except (ValidationError, ApplicationError) as error:
        text = error.message if isinstance(error, ApplicationError) else " ".join(error.messages)
        messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect("plan-detail", uuid=uuid)


@require_POST
def plan_submit(request, uuid):
    return _plan_post(
        request,
        uuid,
        lambda plan: services.plan_submit_for_activation(plan=plan, actor=request.user),
        "Plan sent to your team manager for approval.",
    )


@require_POST
def plan_approve(request, uuid):
    require_role(request.user, Role.MANAGER)

    def approve(plan):
        if plan_rules.plan_allows(plan, plan_rules.APPROVE_CLOSURE):
            services.plan_approve_closure(plan=plan, actor=request.user)
        else:
            services.plan_approve_activation(plan=plan, actor=request.user)

    return _plan_post(request, uuid, approve, "Approved.")


@require_POST
def plan_return(request, uuid):
    require_role(request.user, Role.MANAGER)
    form = ReturnForm(request.POST)
    reason = request.POST.get("reason", "") if form.is_valid() else ""
    return _plan_post(
        request,
        uuid,
        lambda plan: services.plan_return_to_worker(plan=plan, reason=reason, actor=request.user),
        "Plan returned to the worker.",
    )


@require_http_methods(["GET", "POST"])
def plan_review(request, uuid):
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    return form_post(
        request,
        partial(ReviewForm, plan=plan, initial={"reviewed_on": timezone.localdate()}),
        call=lambda f: services.plan_review(
            plan=plan,
            reviewed_on=f.cleaned_data["reviewed_on"],
            progress=f.progress(),
            scores=f.scores(),
            notes=f.cleaned_data["notes"],
            actor=request.user,
        ),
        success="Review recorded.",
        redirect_to=redirect("plan-detail", uuid=uuid),
        template="support/review_form.html",
        context={"plan": plan, "family": plan.family},
    )


@require_http_methods(["GET", "POST"])
def plan_close(request, uuid):
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    return form_post(
        request,
        partial(ClosureForm, plan=plan, initial={"assessed_on": timezone.localdate()}),
        call=lambda f: services.plan_request_closure(
            plan=plan,
            reason=f.cleaned_data["reason"],
            summary=f.cleaned_data["summary"],
            scores=f.scores(),
            assessed_on=f.cleaned_data["assessed_on"],
            actor=request.user,
            stepped_down_to=f.cleaned_data["stepped_down_to"],
        ),
        success="Closure sent to your team manager for approval.",
        redirect_to=redirect("plan-detail", uuid=uuid),
        template="support/closure_form.html",
        context={"plan": plan, "family": plan.family},
    )


@require_http_methods(["GET", "POST"])
def plan_action_add(request, uuid):
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    return form_post(
        request,
        partial(PlanActionForm, plan=plan),
        call=lambda f: services.plan_action_add(plan=plan, actor=request.user, **f.cleaned_data),
        success="Action added.",
        redirect_to=redirect("plan-detail", uuid=uuid),
        template="support/action_form.html",
        context={"plan": plan, "family": plan.family},
    )


def _plan_action(request, uuid, action_uuid):
    """The plan (scoped: 404 for a plan the user may not see) and one of its actions; 403 for someone who may see
    the plan but not change its actions, or when the plan's status does not allow changes."""
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    action = support_selectors.plan_action_get(plan=plan, uuid=action_uuid)
    if not plan_rules.can_change_plan_actions(request.user, plan):
        raise PermissionDenied("You cannot change this plan's actions.")
    return plan, action


def _action_page(request, plan, action, form, call, success, heading, button):
    return form_post(
        request,
        form,
        call=call,
        success=success,
        redirect_to=redirect("plan-detail", uuid=plan.uuid),
        template="support/action_change_form.html",
        context={
            "plan": plan,
            "family": plan.family,
            "action": action,
            "owner": plan_rules.action_owner_label(action),
            "heading": heading,
            "button_label": button,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_action_done(request, uuid, action_uuid):
    plan, action = _plan_action(request, uuid, action_uuid)
    return _action_page(
        request,
        plan,
        action,
        partial(ActionDoneForm, initial={"done_on": timezone.localdate()}),
        lambda f: services.plan_action_done(action=action, done_on=f.cleaned_data["done_on"], actor=request.user),
        "Action marked as done.",
        "Mark the action as done",
        "Mark as done",
    )


@require_http_methods(["GET"])
def plan_action_change(request, uuid, action_uuid):
    """What can be changed about an action: who does it, when it is due, or (when done) reopen it."""
    plan, action = _plan_action(request, uuid, action_uuid)
    return render(
        request,
        "support/action_change.html",
        {"plan": plan, "family": plan.family, "action": action, "owner": plan_rules.action_owner_label(action)},
    )


@require_http_methods(["GET", "POST"])
def plan_action_reopen(request, uuid, action_uuid):
    plan, action = _plan_action(request, uuid, action_uuid)
    return _action_page(
        request,
        plan,
        action,
        ActionReopenForm,
        lambda f: services.plan_action_reopen(action=action, reason=f.cleaned_data["reason"], actor=request.user),
        "Action reopened.",
        "Reopen the action",
        "Reopen",
    )


@require_http_methods(["GET", "POST"])
def plan_action_redate(request, uuid, action_uuid):
    plan, action = _plan_action(request, uuid, action_uuid)
    return _action_page(
        request,
        plan,
        action,
        partial(ActionRedateForm, initial={"due_on": action.due_on}),
        lambda f: services.plan_action_redate(action=action, actor=request.user, **f.cleaned_data),
        "Due date changed.",
        "Change the due date",
        "Change the due date",
    )


@require_http_methods(["GET", "POST"])
def plan_action_reassign(request, uuid, action_uuid):
    plan, action = _plan_action(request, uuid, action_uuid)
    workers = support_selectors.allocated_workers(family=plan.family)
    return _action_page(
        request,
        plan,
        action,
        partial(ActionReassignForm, plan=plan, workers=workers),
        lambda f: services.plan_action_reassign(action=action, actor=request.user, **f.cleaned_data),
        "Action reassigned.",
        "Reassign the action",
        "Reassign",
    )


@require_http_methods(["GET", "POST"])
def follow_up(request, uuid):
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    record = plan.follow_up
    if record is None:
        raise PermissionDenied("This plan has no follow-up.")
    return form_post(
        request,
        FollowUpForm,
        call=lambda f: services.follow_up_record(follow_up=record, actor=request.user, **f.cleaned_data),
        success="Follow-up recorded.",
        redirect_to=redirect("plan-detail", uuid=uuid),
        template="support/follow_up_form.html",
        context={"plan": plan, "family": plan.family, "follow_up": record},
    )


def _on_page_fields(call, names: dict[str, str]):
    """The service names the date it refuses as the API does (``occurred_at``, ``starts_at``); the page's form
    asks for it as a date field of another name: put the message on that field."""

    def run(form):
        try:
            return call(form)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError({names.get(k, k): v for k, v in error.message_dict.items()}) from None

    return run


@require_http_methods(["GET", "POST"])
def contact_new(request, reference):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    family = selectors.family_get(user=request.user, reference=reference)
    return form_post(
        request,
        partial(ContactForm, family=family),
        call=_on_page_fields(
            lambda f: services.contact_log(family=family, actor=request.user, **f.service_kwargs()),
            {"occurred_at": "occurred_on"},
        ),
        success="Contact recorded.",
        # Back to the family's record on its Contacts tab, where the new contact is listed.
        redirect_to=HttpResponseRedirect(reverse("family-detail", args=[reference]) + "#contacts"),
        template="support/contact_form.html",
        context={"family": family},
    )


def contact_detail(request, uuid):
    contact = support_selectors.contact_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=contact, family=contact.family, what="a contact record")
    return render(
        request,
        "support/contact_detail.html",
        {
            "contact": contact,
            "family": contact.family,
            "can_action": contact.safeguarding_concern
            and not hasattr(contact, "safeguarding_action")
            and manages_family(request.user, contact.family),
            "can_correct": corrections.can_correct_contact(request.user, contact),
            "amendments": amendments_of(contact, corrections.AMENDABLE_CONTACT_FIELDS),
        },
    )


@require_http_methods(["GET", "POST"])
def contact_amend(request, uuid):
    contact = support_selectors.contact_get(user=request.user, uuid=uuid)
    if not corrections.can_correct_contact(request.user, contact):
        raise PermissionDenied("Only the person who recorded this contact or the base's team manager corrects it.")
    local = timezone.localtime(contact.occurred_at)
    initial = {
        "occurred_on": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": contact.duration_minutes,
        "notes": contact.notes,
        "next_steps": contact.next_steps,
    }
    return form_post(
        request,
        partial(ContactAmendForm, initial=initial),
        call=lambda f: corrections.contact_amend(contact=contact, actor=request.user, **f.amended()),
        success="Contact corrected. What was there before is kept with your reason.",
        redirect_to=redirect("contact-detail", uuid=uuid),
        template="support/contact_amend.html",
        context={
            "contact": contact,
            "family": contact.family,
            "heading": "Correct this contact",
            "explanation": "Change what was recorded wrongly. The contact as it was stays in its history.",
            "button": "Save the correction",
        },
    )


@require_http_methods(["GET", "POST"])
def contact_in_error(request, uuid):
    contact = support_selectors.contact_get(user=request.user, uuid=uuid)
    if not corrections.can_correct_contact(request.user, contact):
        raise PermissionDenied("Only the person who recorded this contact or the base's team manager can do this.")
    return form_post(
        request,
        InErrorForm,
        call=lambda f: corrections.contact_mark_in_error(contact=contact, actor=request.user, **f.cleaned_data),
        success="Contact marked as recorded in error. It is kept but left out of lists and returns.",
        redirect_to=redirect("family-detail", reference=contact.family.reference),
        template="support/contact_amend.html",
        context={
            "contact": contact,
            "family": contact.family,
            "heading": "Mark this contact as recorded in error",
            "explanation": "Use this when the contact was recorded on the wrong family. It is never deleted.",
            "button": "Mark as recorded in error",
        },
    )


@require_http_methods(["GET", "POST"])
def contact_safeguarding(request, uuid):
    require_role(request.user, Role.MANAGER)
    contact = support_selectors.contact_get(user=request.user, uuid=uuid)
    return form_post(
        request,
        SafeguardingActionForm,
        call=lambda f: services.safeguarding_action_record(contact=contact, actor=request.user, **f.cleaned_data),
        success="Safeguarding action recorded.",
        redirect_to=redirect("home"),
        template="support/safeguarding_form.html",
        context={"contact": contact, "family": contact.family},
    )


@require_http_methods(["GET", "POST"])
def parent_progress(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    return form_post(
        request,
        partial(ParentProgressForm, family=family),
        call=lambda f: services.parent_progress_record(actor=request.user, **f.cleaned_data),
        success=lambda progress: (
            f"Recorded: {progress.person.full_name} started "
            f"{progress.get_kind_display().lower()} on {progress.started_on:%-d %B %Y}."
        ),
        redirect_to=redirect("family-detail", reference=reference),
        template="support/progress_form.html",
        context={"family": family},
    )


@require_http_methods(["GET", "POST"])
def visit_new(request, reference):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    family = selectors.family_get(user=request.user, reference=reference)
    return form_post(
        request,
        PlannedVisitForm,
        call=_on_page_fields(
            lambda f: services.visit_plan(family=family, actor=request.user, **f.service_kwargs()),
            {"starts_at": "on"},
        ),
        success="Visit planned: it is in your week.",
        redirect_to=redirect("family-detail", reference=reference),
        template="support/visit_form.html",
        context={"family": family},
    )


@require_POST
def visit_cancel(request, uuid):
    visit = support_selectors.visit_get(user=request.user, uuid=uuid)
    try:
        services.visit_cancel(visit=visit, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Planned visit cancelled.")
    return redirect("family-detail", reference=visit.family.reference)


def my_week(request):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    today = timezone.localdate()
    context = {"items": support_selectors.worker_week(user=request.user, today=today), "today": today}
    if has_role(request.user, Role.MANAGER):
        context["awaiting_approval"] = support_selectors.plans_awaiting_approval(manager=request.user)
        context["overdue_reviews"] = support_selectors.reviews_overdue(manager=request.user, today=today)
    return render(request, "support/week.html", context)


def plan_family_copy(request, uuid):
    """The family's own copy of the plan as a PDF (``?print=large`` for large print), to download and share."""
    plan = support_selectors.plan_detail(user=request.user, uuid=uuid)
    large_print = request.GET.get("print") == "large"
    pdf = plan_copy_pdf(plan, large_print=large_print)
    audit_record(
        actor=request.user,
        action=AuditAction.PLAN_FAMILY_COPY,
        obj=plan,
        family=plan.family,
        summary="Family's copy of the plan downloaded" + (" (large print)" if large_print else ""),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-large-print" if large_print else ""
    response["Content-Disposition"] = f'attachment; filename="our-plan-{plan.family.reference}{suffix}.pdf"'
    return response
