from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from ecfs.view_helpers import form_post

from . import reach, selectors, services
from .forms import GenerateForm, SubmitForm
from .models import Return, ReturnRequest
from .periods import MONTHLY, QUARTERLY, parse_period


def _require_returns(user):
    if not selectors.can_see_returns(user):
        raise PermissionDenied("Returns are for team managers, service admins and commissioners.")


@require_http_methods(["GET", "POST"])
def return_list(request):
    _require_returns(request.user)
    can_generate = services.can_generate(request.user)
    returns = selectors.return_list(user=request.user).select_related("submitted_by")
    context = {"returns": returns, "can_generate": can_generate}
    if not can_generate:
        if request.method == "POST":
            raise PermissionDenied("Only team managers and service admins can generate returns.")
        return render(request, "reporting/list.html", {**context, "form": None})
    return form_post(
        request,
        GenerateForm,
        call=lambda form: services.return_request(
            kind=form.cleaned_data["kind"], label=form.period_label(), actor=request.user
        ),
        success=None,
        redirect_to=lambda job: redirect("return-progress", uuid=job.uuid),
        template="reporting/list.html",
        context=context,
    )


def return_progress(request, uuid):
    if not services.can_generate(request.user):
        raise PermissionDenied("Only team managers and service admins generate returns.")
    job = get_object_or_404(ReturnRequest.objects.select_related("result"), uuid=uuid, requested_by=request.user)
    return render(request, "reporting/progress.html", {"job": job})


def _detail_context(request, found: Return, submit_form=None) -> dict:
    return {
        "return": found,
        "figures": found.figures,
        "areas": [*found.figures.get("districts", []), "County"],
        "can_submit": services.can_generate(request.user) and found.status == Return.Status.DRAFT,
        "submit_form": submit_form or SubmitForm(),
    }


def return_detail(request, uuid):
    _require_returns(request.user)
    found = selectors.return_get(user=request.user, uuid=uuid)
    return render(request, "reporting/detail.html", _detail_context(request, found))


@require_POST
def return_submit(request, uuid):
    """Submit a draft to the council, once the manager confirms they know it cannot be changed."""
    if not services.can_generate(request.user):
        raise PermissionDenied("Only team managers and service admins can submit returns.")
    found = selectors.return_get(user=request.user, uuid=uuid)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return render(request, "reporting/detail.html", _detail_context(request, found, form), status=400)
    try:
        services.return_submit(a_return=found, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{found.get_kind_display()} return for {found.period_title}, version {found.version}, "
            "submitted to the council. Commissioners can now download it.",
        )
    return redirect("return-detail", uuid=uuid)


def return_download(request, uuid, fmt):
    _require_returns(request.user)
    found = selectors.return_get(user=request.user, uuid=uuid)
    stored = {"pdf": found.pdf, "csv": found.csv, "definitions": found.definitions_csv}[fmt]
    if not stored:
        raise Http404("This return has no file yet")
    stem = f"ecfs-{found.kind}-return-{found.period}-v{found.version}"
    name = f"{stem}-definitions.csv" if fmt == "definitions" else f"{stem}.{fmt}"
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = "application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8"
    return response


def county_dashboard(request):
    """The latest submitted figures: what a commissioner sees, small numbers suppressed."""
    if not (has_role(request.user, Role.COMMISSIONER) or services.can_generate(request.user)):
        raise PermissionDenied("The county dashboard is for commissioners, team managers and service admins.")
    latest = [r for r in (selectors.latest_submitted(QUARTERLY), selectors.latest_submitted(MONTHLY)) if r]
    return render(request, "reporting/dashboard.html", {"latest": latest})


def reach_dashboard(request):
    """Children under 5 known against the population, by district and town (#19 item 3): the quarterly return's
    reach figures for a quarter, protected as the return is; for the same people as the county dashboard."""
    if not (has_role(request.user, Role.COMMISSIONER) or services.can_generate(request.user)):
        raise PermissionDenied("The reach dashboard is for commissioners, team managers and service admins.")
    today = timezone.localdate()
    offered = reach.quarters_offered(today)
    chosen = reach.default_quarter(today)
    status = 200
    if "quarter" in request.GET:
        try:
            chosen = parse_period(request.GET["quarter"])
        except ValueError:
            chosen = None
        if chosen not in offered:
            chosen, status = reach.default_quarter(today), 400
    context = {**reach.reach_dashboard_cached(chosen), "offered": offered, "bad_quarter": status == 400}
    return render(request, "reporting/reach.html", context, status=status)
