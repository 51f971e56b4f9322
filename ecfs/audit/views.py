"""The audit trail for service admins: search it, and export what a search finds as CSV."""

import csv
import json

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ecfs.roles import Role
from ecfs.view_helpers import require_role

from . import selectors
from .actions import AuditAction
from .forms import AuditSearchForm
from .models import AuditEvent
from .services import audit_record
from .visibility import visible_family_ids

PAGE_SIZE = 50
EXPORT_CHUNK_SIZE = 2000
CSV_HEADER = ("occurred_at", "actor", "action", "object_type", "object_id", "family", "summary", "changes")
# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _query_of(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _form_of(request) -> AuditSearchForm:
    """The filter form, bound only when the query string holds a filter (so a bare visit shows no errors)."""
    names = {name for name in request.GET if name != "page"}
    return AuditSearchForm(request.GET if names else None)


def _visible_family_ids(user) -> set[int]:
    """The families whose audit details the viewer may read: those they may see as a manager or worker."""
    return visible_family_ids(user)


def audit_search(request):
    require_role(request.user, Role.ADMIN)
    form = _form_of(request)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = form.filters()
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()  # never show a wrongly filtered trail
    else:
        events = selectors.audit_event_search(filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    visible = _visible_family_ids(request.user)
    for event in page:
        event.shown_summary, _ = selectors.shown_to(event, visible_family_ids=visible)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "query": _query_of(request), "filtered": bool(filters), "invalid": form.errors},
    )


def _describe(filters: dict) -> str:
    if not filters:
        return "no filters"
    return ", ".join(f"{name}={value}" for name, value in filters.items())


def _safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer inside a streaming response."""

    def write(self, value):
        return value


def _rows(events, visible_family_ids: set[int]):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for event in events.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        summary, changes = selectors.shown_to(event, visible_family_ids=visible_family_ids)
        yield writer.writerow(
            (
                timezone.localtime(event.occurred_at).isoformat(),
                _safe_cell(event.actor.email if event.actor else ""),
                _safe_cell(event.action),
                _safe_cell(event.object_type),
                _safe_cell(event.object_id),
                _safe_cell(event.family.reference if event.family else ""),
                _safe_cell(summary),
                json.dumps(changes, cls=DjangoJSONEncoder, sort_keys=True),
            )
        )


def audit_export(request):
    require_role(request.user, Role.ADMIN)
    form = _form_of(request)
    if form.is_bound and not form.is_valid():
        # Send the admin back to the search, where the form shows what is wrong.
        return redirect(f"{reverse('audit-search')}?{_query_of(request)}")
    filters = form.filters() if form.is_bound else {}
    exported = audit_record(
        actor=request.user,
        action=AuditAction.AUDIT_EXPORTED,
        obj=request.user,
        summary=f"Audit trail exported ({_describe(filters)})",
        changes={"filters": {name: str(value) for name, value in filters.items()}},
    )
    # The export is the trail as it stood when asked for: not its own record of being exported.
    events = selectors.audit_event_search(filters=filters).exclude(pk=exported.pk)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _rows(events, _visible_family_ids(request.user)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
