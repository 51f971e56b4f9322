"""Data protection pages for service admins: subject access requests, retention and legal holds."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ecfs.errors import ApplicationError
from ecfs.roles import Role
from ecfs.view_helpers import add_service_error, require_role
from families.models import Family
from families.services import protection

from . import services
from .forms import LegalHoldForm, RedactionForm, SubjectAccessForm
from .models import SubjectAccessRequest
from .retention import families_due, families_on_hold
from .subject_access import third_parties


def _request_of(request, uuid) -> SubjectAccessRequest:
    require_role(request.user, Role.ADMIN)
    return get_object_or_404(SubjectAccessRequest.objects.select_related("family", "person"), uuid=uuid)


def subject_access_list(request):
    require_role(request.user, Role.ADMIN)
    requests = SubjectAccessRequest.objects.select_related("family", "person").order_by("status", "due_on")
    return render(request, "privacy/subject_access_list.html", {"requests": requests, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
def subject_access_new(request):
    require_role(request.user, Role.ADMIN)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.subject_access_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Request {sar.reference} recorded: it is due by {sar.due_on:%d %B %Y}.")
            return redirect("subject-access-detail", uuid=sar.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/subject_access_new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def subject_access_detail(request, uuid):
    sar = _request_of(request, uuid)
    parties = third_parties(sar)
    form = RedactionForm(request.POST or None, parties=parties, initial={"redacted": sar.redacted})
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_access_redact(sar=sar, actor=request.user, keys=form.cleaned_data["redacted"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Redactions saved.")
            return redirect("subject-access-detail", uuid=sar.uuid)
    status = 400 if request.method == "POST" else 200
    context = {"sar": sar, "form": form, "today": timezone.localdate(), "has_parties": bool(parties)}
    return render(request, "privacy/subject_access_detail.html", context, status=status)


@require_POST
def subject_access_release(request, uuid):
    sar = _request_of(request, uuid)
    try:
        services.subject_access_release(sar=sar, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{sar.reference} is marked as released.")
    return redirect("subject-access-detail", uuid=sar.uuid)


def subject_access_download(request, uuid, kind):
    sar = _request_of(request, uuid)
    if kind not in ("pdf", "json"):
        raise Http404("No such format")
    content = services.subject_access_download(sar=sar, actor=request.user, kind=kind)
    response = HttpResponse(content, content_type="application/pdf" if kind == "pdf" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="{sar.reference}.{kind}"'
    return response


@require_http_methods(["GET", "POST"])
def retention(request):
    """What the nightly job would anonymise tonight (a dry run), and the legal holds."""
    require_role(request.user, Role.ADMIN)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        family = Family.objects.filter(reference__iexact=form.cleaned_data["family_reference"].strip()).first()
        if family is None:
            form.add_error("family_reference", "No family has that reference")
        else:
            place = request.POST.get("action") != "release"
            try:
                (protection.legal_hold_place if place else protection.legal_hold_release)(
                    family=family, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Legal hold {'placed on' if place else 'released for'} {family.reference}.")
                return redirect("privacy-retention")
    context = {
        "form": form,
        "due": families_due(today=timezone.localdate()),
        "held": families_on_hold(),
        "child_age": settings.RETENTION_CHILD_AGE_YEARS,
        "years": settings.RETENTION_YEARS_AFTER_CLOSURE,
    }
    return render(request, "privacy/retention.html", context, status=400 if form.errors else 200)
