"""Reads of documents, always through the family's access rules (families/access.py)."""

from django.http import Http404

from families.access import family_scope

from .models import Document


def family_documents(*, family):
    """The documents on a family's record, newest first; those recorded in error are left out."""
    return Document.objects.filter(family=family, in_error_at__isnull=True).select_related("added_by")


def document_get(*, user, uuid) -> Document:
    """A document of a family ``user`` may see, or 404 (also for one recorded in error)."""
    document = (
        Document.objects.filter(family_scope(user, via="family"), uuid=uuid, in_error_at__isnull=True)
        .select_related("family", "added_by")
        .first()
    )
    if document is None:
        raise Http404("No such document")
    return document


def document_for_correction(*, user, uuid) -> Document:
    """A document of a family ``user`` may see, one recorded in error included (so a correction sent twice is told
    so), or 404."""
    document = (
        Document.objects.filter(family_scope(user, via="family"), uuid=uuid)
        .select_related("family", "added_by")
        .first()
    )
    if document is None:
        raise Http404("No such document")
    return document


def family_document_get(*, family, uuid) -> Document:
    """One of ``family``'s documents (not one recorded in error), or 404: for a subject access request about the
    family, whose admin is not in the family's scope."""
    document = family_documents(family=family).filter(uuid=uuid).select_related("family").first()
    if document is None:
        raise Http404("No such document")
    return document
