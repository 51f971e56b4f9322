"""The Documents part of the family record page (templates/families/detail.html), in one query."""

from django import template

from documents.selectors import family_documents as documents_of

register = template.Library()


@register.inclusion_tag("documents/_family_documents.html")
def family_documents(family):
    return {"family": family, "documents": list(documents_of(family=family))}
