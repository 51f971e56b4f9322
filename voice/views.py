"""Families' voice pages: the public feedback form (no sign-in), and for team managers the feedback of their bases
and the complaints log; for the service admin, the monthly digital reach."""

import logging
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from ecfs.audit.services import audit_view
from ecfs.roles import Role
from ecfs.view_helpers import form_post, require_role
from families.rules import SERVICE_START

from . import selectors, services
from .forms import ComplaintForm, CorrectionForm, DigitalReachForm, FeedbackForm, ResponseForm
from .models import DigitalReach, Feedback

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
SENT_KEY = "feedback_sent"


# The public form -----------------------------------------------------------------------------------------


@login_not_required
@never_cache
@ratelimit(key="ip", rate=lambda group, request: settings.FEEDBACK_RATE_LIMIT, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def feedback(request):
    """Tell us what you think: CSRF-checked, counted per address, a honeypot, size limits on every answer."""
    if request.method == "POST":
        if getattr(request, "limited", False):
            response = render(request, "voice/public/rate_limited.html", status=429)
            response["Retry-After"] = "3600"
            return response
        if (request.POST.get("website") or "").strip():
            logger.warning("feedback refused: honeypot filled")
            return render(request, "voice/public/refused.html", status=400)
    return form_post(
        request,
        FeedbackForm,
        call=lambda form: services.feedback_receive(**form.service_kwargs()),
        success=None,
        redirect_to=lambda _: _sent(request),
        template="voice/public/feedback.html",
    )


def _sent(request):
    request.session[SENT_KEY] = True
    return redirect("feedback-sent")


@login_not_required
@never_cache
@require_GET
def feedback_sent(request):
    if not request.session.pop(SENT_KEY, False):
        return redirect("feedback")
    return render(request, "voice/public/sent.html")


# Feedback received (team managers) -----------------------------------------------------------------------


def _managers(request) -> None:
    require_role(request.user, Role.MANAGER)


@require_GET
def feedback_list(request):
    _managers(request)
    try:
        rating = int(request.GET.get("rating") or 0)
    except ValueError:
        rating = 0
    rating = rating if rating in Feedback.Rating.values else None
    page = Paginator(selectors.feedback_list(user=request.user, rating=rating), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "voice/feedback_list.html",
        {
            "page": page,
            "rating": rating,
            "ratings": Feedback.Rating.choices,
            "query": f"rating={rating}" if rating else "",
        },
    )


@require_GET
def feedback_detail(request, uuid):
    _managers(request)
    item = selectors.feedback_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=item, family=item.family if item.family_visible else None, what="feedback")
    return render(request, "voice/feedback_detail.html", {"item": item})


# Complaints (team managers) ------------------------------------------------------------------------------

STATES = (("", "All"), ("open", "Waiting for a response"), ("overdue", "Overdue"), ("answered", "Answered"))


@require_GET
def complaint_list(request):
    _managers(request)
    state = request.GET.get("state", "")
    state = state if state in dict(STATES) else ""
    page = Paginator(selectors.complaint_list(user=request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "voice/complaint_list.html",
        {
            "page": page,
            "state": state,
            "states": STATES,
            "today": timezone.localdate(),
            "query": f"state={state}" if state else "",
        },
    )


@require_http_methods(["GET", "POST"])
def complaint_new(request):
    _managers(request)
    return form_post(
        request,
        partial(ComplaintForm, user=request.user),
        call=lambda form: services.complaint_record(actor=request.user, **form.service_kwargs()),
        success=lambda complaint: f"Complaint recorded. The response is due by {complaint.response_due_on:%-d %B %Y}.",
        redirect_to=lambda complaint: complaint.get_absolute_url(),
        template="voice/complaint_new.html",
    )


def _history(complaint):
    """The corrections, newest first: when, who, why, and what each changed."""
    records = list(complaint.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = []
    for newer, older in zip(records, records[1:], strict=False):
        if not newer.history_change_reason:
            continue
        delta = newer.diff_against(older)
        rows.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "reason": newer.history_change_reason,
                "fields": [change.field.replace("_", " ") for change in delta.changes],
            }
        )
    return rows


@require_GET
def complaint_detail(request, uuid):
    _managers(request)
    complaint = selectors.complaint_get(user=request.user, uuid=uuid)
    if complaint.family_id and complaint.family_visible:
        audit_view(actor=request.user, obj=complaint, family=complaint.family, what="a complaint")
    return render(
        request,
        "voice/complaint_detail.html",
        {
            "complaint": complaint,
            "corrections": _history(complaint),
            "overdue": complaint.overdue_on(timezone.localdate()),
            "form": ResponseForm() if complaint.is_open else None,
        },
    )


@require_http_methods(["POST"])
def complaint_respond(request, uuid):
    _managers(request)
    complaint = selectors.complaint_get(user=request.user, uuid=uuid)
    return form_post(
        request,
        ResponseForm,
        call=lambda form: services.complaint_respond(complaint=complaint, actor=request.user, **form.cleaned_data),
        success="Response recorded.",
        redirect_to=lambda answered: answered.get_absolute_url(),
        template="voice/complaint_detail.html",
        context={
            "complaint": complaint,
            "corrections": _history(complaint),
            "overdue": complaint.overdue_on(timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
def complaint_correct(request, uuid):
    _managers(request)
    complaint = selectors.complaint_get(user=request.user, uuid=uuid)
    return form_post(
        request,
        partial(CorrectionForm, complaint=complaint),
        call=lambda form: services.complaint_correct(complaint=complaint, actor=request.user, **form.service_kwargs()),
        success="Complaint corrected.",
        redirect_to=lambda corrected: corrected.get_absolute_url(),
        template="voice/complaint_correct.html",
        context={"complaint": complaint},
    )


# Digital reach (the service admin) -----------------------------------------------------------------------


def _month(request) -> date:
    """The month the page is about: ``?month=2026-11``, else last month (figures come in after a month ends).

    A month typed into the address that cannot have figures (not a month, one to come, or before the service
    began) is not found, rather than quietly showing (and saving) another month.
    """
    this_month = timezone.localdate().replace(day=1)
    asked = request.GET.get("month", "").strip()
    if not asked:
        return (this_month - timedelta(days=1)).replace(day=1)
    try:
        year, month = (int(part) for part in asked.split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        raise Http404("Not a month") from None
    if chosen > this_month or chosen < SERVICE_START.replace(day=1):
        raise Http404("No digital reach for that month")
    return chosen


@require_http_methods(["GET", "POST"])
def digital_reach(request):
    require_role(request.user, Role.ADMIN)
    month = _month(request)
    record = DigitalReach.objects.filter(month=month).first()
    initial = {field: getattr(record, field) for field in services.DIGITAL_FIELDS} if record else {}
    this_month = timezone.localdate().replace(day=1)
    months = []
    cursor = this_month
    for _ in range(24):
        months.append(cursor)
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    return form_post(
        request,
        lambda **kwargs: DigitalReachForm(initial=initial, **kwargs),
        call=lambda form: services.digital_reach_record(actor=request.user, month=month, **form.cleaned_data),
        success=f"Digital reach saved for {month:%B %Y}.",
        redirect_to=f"{reverse('voice-digital-reach')}?month={month:%Y-%m}",
        template="voice/digital_reach.html",
        context={
            "month": month,
            "months": months,
            "recent": selectors.digital_reach_months(count=12),
            "platforms": DigitalReach.PLATFORMS,
        },
    )
