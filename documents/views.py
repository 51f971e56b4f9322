from functools import partial

from django.conf import settings
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ecfs.view_helpers import form_post
from families.selectors import family_get

from . import selectors, services
from .forms import DocumentForm, InErrorForm
from .responses import document_response


def _back_to_documents(family) -> str:
    return reverse("family-detail", args=[family.reference]) + "#documents"


@require_http_methods(["GET", "POST"])
def document_add(request, reference):
    family = family_get(user=request.user, reference=reference)
    return form_post(
        request,
        partial(DocumentForm, max_mb=settings.DOCUMENTS_MAX_UPLOAD_MB),
        call=lambda form: services.document_add(
            family=family,
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
        ),
        success=lambda document: f"Document added: {document.description}",
        redirect_to=lambda document: _back_to_documents(family),
        template="documents/add.html",
        context={"family": family},
    )


@require_GET
def document_download(request, uuid):
    return document_response(selectors.document_get(user=request.user, uuid=uuid), actor=request.user)


@require_http_methods(["GET", "POST"])
def document_in_error(request, uuid):
    document = selectors.document_for_correction(user=request.user, uuid=uuid)
    return form_post(
        request,
        InErrorForm,
        call=lambda form: services.document_mark_in_error(
            document=document, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success="Document recorded in error: it no longer shows on the record.",
        redirect_to=lambda result: _back_to_documents(document.family),
        template="documents/in_error.html",
        context={"family": document.family, "document": document},
    )
