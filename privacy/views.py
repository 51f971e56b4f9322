"""Data protection pages for service admins: subject access requests, retention and legal holds."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.responses import document_response
from documents.selectors import family_document_get, family_documents
from ecfs.errors import ApplicationError
from ecfs.roles import Role
from ecfs.view_helpers import form_post, require_role
from families.models import Family
from families.services import protection
from referrals.models import Referral

from . import services
from .forms import LegalHoldForm, RedactionForm, SubjectAccessForm
from .models import SubjectAccessRequest
from .retention import families_due, families_on_hold, referrals_due, referrals_on_hold
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
    return form_post(
        request,
        SubjectAccessForm,
        call=lambda form: services.subject_access_create(actor=request.user, **form.cleaned_data),
        success=lambda sar: f"Request {sar.reference} recorded: it is due by {sar.due_on:%d %B %Y}.",
        redirect_to=lambda sar: redirect("subject-access-detail", uuid=sar.uuid),
        template="privacy/subject_access_new.html",
    )


@require_http_methods(["GET", "POST"])
def subject_access_detail(request, uuid):
    sar = _request_of(request, uuid)
    parties = third_parties(sar)
    return form_post(
        request,
        partial(RedactionForm, parties=parties, initial={"redacted": sar.redacted}),
        call=lambda form: services.subject_access_redact(
            sar=sar, actor=request.user, keys=form.cleaned_data["redacted"]
        ),
        success="Redactions saved.",
        redirect_to=redirect("subject-access-detail", uuid=sar.uuid),
        template="privacy/subject_access_detail.html",
        context={
            "sar": sar,
            "today": timezone.localdate(),
            "has_parties": bool(parties),
            "documents": family_documents(family=sar.family),
        },
    )


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


@require_GET
def subject_access_document(request, uuid, document):
    """A document the bundle lists, for the admin to send with it: the family's records are not theirs to open."""
    sar = _request_of(request, uuid)
    return document_response(
        family_document_get(family=sar.family, uuid=document),
        actor=request.user,
        purpose=f"for subject access request {sar.reference}",
    )


@require_http_methods(["GET", "POST"])
def retention(request):
    """What the nightly job would anonymise tonight (a dry run), and the legal holds."""
    require_role(request.user, Role.ADMIN)
    place = request.POST.get("action") != "release"

    def hold(form):
        reference, reason = form.cleaned_data["family_reference"].strip(), form.cleaned_data["reason"]
        family = Family.objects.filter(reference__iexact=reference).first()
        if family is not None:
            (protection.legal_hold_place if place else protection.legal_hold_release)(
                family=family, actor=request.user, reason=reason
            )
            return family
        referral = Referral.objects.filter(reference__iexact=reference).first()
        if referral is None:
            raise ValidationError({"family_reference": "No family or referral has that reference"})
        return (services.referral_legal_hold_place if place else services.referral_legal_hold_release)(
            referral=referral, actor=request.user, reason=reason
        )

    return form_post(
        request,
        LegalHoldForm,
        call=hold,
        success=lambda family: f"Legal hold {'placed on' if place else 'released for'} {family.reference}.",
        redirect_to="privacy-retention",
        template="privacy/retention.html",
        context=lambda: {
            "due": families_due(today=timezone.localdate()),
            "referrals_due": referrals_due(today=timezone.localdate()),
            "held": families_on_hold(),
            "held_referrals": referrals_on_hold(),
            "child_age": settings.RETENTION_CHILD_AGE_YEARS,
            "years": settings.RETENTION_YEARS_AFTER_CLOSURE,
        },
    )
