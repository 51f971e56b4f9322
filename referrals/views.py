from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bases.models import Base, District
from ecfs.audit.services import audit_view
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from ecfs.view_helpers import add_service_error, form_post, require_role
from families.access import address_visible
from families.selectors import duplicate_candidate_rows, duplicate_candidates, family_get, worker_caseloads

from . import corrections, selectors, services
from .correction_forms import ReferralCorrectionForm, initial_for
from .forms import AllocationForm, DecisionForm, FirstContactForm, ReferralForm, initial_from_family
from .models import Referral, Source

QUEUE_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def referral_new(request):
    """Record a referral; ``?family=<reference>`` (*Refer for support* on a family's record, a registered family
    say) starts it from what the service holds, so nothing is typed twice, and routes it to the family's team."""
    require_role(request.user, Role.WORKER, Role.MANAGER)
    reference = request.GET.get("family", "").strip()[:20]
    family = family_get(user=request.user, reference=reference) if reference else None  # 404: not theirs
    initial = initial_from_family(family, address=address_visible(user=request.user, family=family)) if family else None

    def next_page(referral):
        if selectors.referral_list(user=request.user).filter(pk=referral.pk).exists():
            return redirect("referral-detail", uuid=referral.uuid)
        return redirect("home")

    return form_post(
        request,
        partial(ReferralForm, initial=initial),
        call=lambda form: services.referral_record(actor=request.user, family=family, **form.service_kwargs()),
        success=lambda referral: (
            f"Referral {referral.reference} recorded and sent to {referral.routed_team} for triage."
        ),
        redirect_to=next_page,
        template="referrals/new.html",
        context={"family": family},
    )


def _queue_filters(request) -> selectors.QueueFilters:
    params = request.GET
    return selectors.QueueFilters(
        status=params.get("status", "open"),
        district=params.get("district", ""),
        base=params.get("base", ""),
        source=params.get("source", ""),
        urgency=params.get("urgency", ""),
        overdue=params.get("overdue") == "1",
        sort=params.get("sort", "due"),
    )


def triage_queue(request):
    require_role(request.user, Role.MANAGER)
    filters = _queue_filters(request)
    today = timezone.localdate()
    referrals = selectors.triage_queue(user=request.user, filters=filters, today=today)
    page = Paginator(referrals, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "referrals/queue.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "statuses": [("open", "Needing action")] + Referral.Status.choices,
            "districts": District.objects.order_by("name"),
            "bases": Base.objects.order_by("name"),
            "sources": Source.choices,
            "urgencies": Referral.Urgency.choices,
            "today": today,
        },
    )


def _detail_context(request, referral: Referral, *, decision_form=None, contact_form=None) -> dict:
    user = request.user
    can_triage = services.can_triage(user, referral)
    allowed = services.ALLOWED_DECISIONS.get(referral.status, set())
    candidates = []
    accepting = can_triage and services.can_accept(referral)
    if accepting:
        people = [
            {
                "first_name": p.first_name,
                "last_name": p.last_name,
                "date_of_birth": p.date_of_birth,
                "expected_date": p.expected_date,
            }
            for p in referral.people.all()
        ]
        candidates = duplicate_candidates(people=people, postcode=referral.postcode)
    rows = duplicate_candidate_rows(user=user, candidates=candidates)
    linkable = [c for c, row in zip(candidates, rows, strict=True) if row.linkable]
    # The re-referral flag while the manager decides: a match whose support ended within 12 months.
    rereferral_matches = []
    if referral.family_id is None:
        ended = services.rereferral_closures([c.family for c in linkable], referral.received_at)
        rereferral_matches = [(c.family.reference, ended[c.family.pk]) for c in linkable if c.family.pk in ended]
    return {
        "rereferral_matches": rereferral_matches,
        "address_hidden": not address_visible(user=user, family=referral.family),
        "referral": referral,
        "can_triage": can_triage and bool(allowed),
        "can_allocate": services.can_allocate(user, referral),
        "accepting": accepting,
        "candidates": rows,
        "linkable": linkable,
        "decision_form": decision_form or DecisionForm(allowed_decisions=allowed, candidates=linkable),
        "contact_form": contact_form or FirstContactForm(),
        "can_record_first_contact": services.awaits_first_contact(referral),
        "can_correct": corrections.can_correct_referral(user, referral),
        "amendments": corrections.referral_amendments(referral),
        "today": timezone.localdate(),
    }


def referral_detail(request, uuid):
    referral = selectors.referral_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=referral, family=referral.family, what="a referral")
    return render(request, "referrals/detail.html", _detail_context(request, referral))


@require_POST
def referral_decide(request, uuid):
    referral = selectors.referral_get(user=request.user, uuid=uuid)
    context = _detail_context(request, referral)
    if not context["can_triage"]:
        raise PermissionDenied("You cannot make decisions on this referral.")
    form = DecisionForm(
        request.POST,
        allowed_decisions=services.ALLOWED_DECISIONS.get(referral.status, set()),
        candidates=context["linkable"],
    )
    if form.is_valid():
        try:
            decision = services.referral_decide(
                referral=referral,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                notes=form.cleaned_data["notes"],
                consent_override_reason=form.cleaned_data["consent_override_reason"],
                actor=request.user,
                **form.family_kwargs(),
            )
        except (ValidationError, ApplicationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Decision recorded: {decision.get_decision_display().lower()}.")
            if decision.decision == "accept":
                return redirect("referral-allocate", uuid=referral.uuid)
            return redirect("referral-detail", uuid=referral.uuid)
    context["decision_form"] = form
    return render(request, "referrals/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def referral_allocate(request, uuid):
    require_role(request.user, Role.MANAGER)
    referral = selectors.referral_get(user=request.user, uuid=uuid)
    workers = list(worker_caseloads(manager=request.user))
    return form_post(
        request,
        partial(AllocationForm, workers=workers),
        call=lambda form: services.referral_allocate(
            referral=referral, worker=form.cleaned_data["worker"], actor=request.user
        ),
        success=lambda allocation: f"{referral.family.reference} allocated to {allocation.worker.get_full_name()}.",
        redirect_to=lambda _: redirect("family-detail", reference=referral.family.reference),
        template="referrals/allocate.html",
        context={"referral": referral},
    )


@require_POST
def referral_first_contact(request, uuid):
    referral = selectors.referral_get(user=request.user, uuid=uuid)
    form = FirstContactForm(request.POST)
    if form.is_valid():
        try:
            services.referral_record_first_contact(referral=referral, when=form.contact_datetime(), actor=request.user)
        except (ValidationError, ApplicationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "First contact recorded.")
            return redirect("referral-detail", uuid=referral.uuid)
    return render(request, "referrals/detail.html", _detail_context(request, referral, contact_form=form), status=400)


@require_http_methods(["GET", "POST"])
def referral_correct(request, uuid):
    """Correct what was recorded on a referral, with a reason (``referrals.corrections``)."""
    referral = selectors.referral_for_correction(user=request.user, uuid=uuid)
    if not corrections.can_correct_referral(request.user, referral):
        raise PermissionDenied(
            "Only the person who recorded this referral, while it is open, or the base's team manager corrects it."
        )
    with_address = corrections.address_correctable(referral)

    def done(result: corrections.ReferralCorrection):
        if result.rerouted_to:
            messages.info(
                request,
                f"The family's new address is served by {result.rerouted_to.base}: the referral has gone to "
                f"{result.rerouted_to} for triage, with its due dates unchanged.",
            )
        if result.kept_due:
            messages.info(
                request,
                "The due date for " + " and ".join(result.kept_due) + " had passed, so it stays as it was: "
                "the returns already counted the referral in that period.",
            )
        if selectors.referral_list(user=request.user).filter(pk=referral.pk).exists():
            return redirect("referral-detail", uuid=referral.uuid)
        if corrections.can_correct_referral(request.user, result.referral):
            return redirect("referral-correct", uuid=referral.uuid)  # its recorder, before triage
        return redirect("triage-queue" if has_role(request.user, Role.MANAGER) else "home")

    return form_post(
        request,
        partial(ReferralCorrectionForm, with_address=with_address, initial=initial_for(referral)),
        call=lambda form: corrections.referral_amend(referral=referral, actor=request.user, **form.amended()),
        success=f"Referral {referral.reference} corrected. What was there before is kept with your reason.",
        redirect_to=done,
        template="referrals/correct.html",
        context=lambda: {
            "referral": referral,
            "with_address": with_address,
            "amendments": corrections.referral_amendments(referral),
            "can_see_referral": selectors.referral_list(user=request.user).filter(pk=referral.pk).exists(),
        },
    )
