"""A stored document sent to a browser, from the family's record or from a subject access request."""

from django.http import FileResponse

from . import services


def document_response(document, *, actor, purpose: str = "") -> FileResponse:
    """The file as an attachment the browser neither sniffs nor keeps (audited by ``document_open``)."""
    response = FileResponse(
        services.document_open(document=document, actor=actor, purpose=purpose),
        as_attachment=True,
        filename=services.download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
