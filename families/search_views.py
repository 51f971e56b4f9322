"""The "Find a family" page: the header's search box and the families list's lead here (families/search.py)."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ecfs.roles import Role, has_role

from .names import household_prefetch
from .search import family_search

SEARCH_PAGE_SIZE = 20


def family_search_page(request):
    """Families the user may see that match ``q``, best first, 20 a page, with who is in them."""
    if not (has_role(request.user, Role.WORKER) or has_role(request.user, Role.MANAGER)):
        raise PermissionDenied("Your role does not work with families.")
    query = request.GET.get("q", "").strip()
    terms, families = family_search(user=request.user, query=query, prefetch=[household_prefetch()])
    page = None if terms.empty else families.page(request.GET.get("page"), SEARCH_PAGE_SIZE)
    return render(
        request,
        "families/search.html",
        {"query": terms.text, "searched": bool(query), "page": page, "pagination_query": urlencode({"q": terms.text})},
    )
