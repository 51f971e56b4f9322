from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ecfs.audit.services import audit_view
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from ecfs.view_helpers import add_service_error

from . import selectors, services
from .forms import CharacteristicsForm, PersonForm, ProfessionalForm, WorkerChoiceForm

FAMILY_PAGE_SIZE = 50


def family_list(request):
    """Workers see their caseload; managers see their bases' families."""
    today = timezone.localdate()
    context = {"today": today}
    if has_role(request.user, Role.WORKER):
        context["caseload"] = selectors.caseload(user=request.user, today=today)
    if has_role(request.user, Role.MANAGER):
        families = (
            selectors.family_list(user=request.user)
            .filter(status="open")
            .select_related("base", "locality")
            .order_by("reference")
        )
        query = request.GET.get("q", "").strip()
        if query:
            families = families.filter(reference__icontains=query) | families.filter(postcode__iexact=query)
        context["query"] = query
        context["page"] = Paginator(families, FAMILY_PAGE_SIZE).get_page(request.GET.get("page"))
    if "caseload" not in context and "page" not in context:
        raise PermissionDenied("Your role does not work with families.")
    return render(request, "families/list.html", context)


def family_detail(request, reference):
    family = selectors.family_detail(user=request.user, reference=reference)
    audit_view(actor=request.user, obj=family, family=family, what="the family record")
    is_manager = has_role(request.user, Role.MANAGER) and family.base_id in selectors.managed_base_ids(request.user)
    return render(
        request,
        "families/detail.html",
        {
            "family": family,
            "is_manager": is_manager,
            "open_allocations": [a for a in family.allocation_list if a.ended_at is None],
            "access_log": selectors.family_access_log(family=family) if is_manager else None,
        },
    )


def _form_page(request, family, form, template, success_message, save):
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except (ValidationError, ApplicationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, success_message)
            return redirect("family-detail", reference=family.reference)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"family": family, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def family_edit(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    form = CharacteristicsForm(request.POST or None, instance=family)
    if request.method == "POST":
        # ModelForm validation writes onto the instance; re-read so the service compares against the database.
        family = selectors.family_get(user=request.user, reference=reference)
    return _form_page(
        request,
        family,
        form,
        "families/edit.html",
        "Household details saved.",
        lambda f: services.family_update_characteristics(family=family, actor=request.user, **f.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
def member_add(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    form = PersonForm(request.POST or None)
    return _form_page(
        request,
        family,
        form,
        "families/member_form.html",
        "Family member added.",
        lambda f: services.family_member_add(family=family, actor=request.user, **f.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
def professional_add(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    form = ProfessionalForm(request.POST or None)
    return _form_page(
        request,
        family,
        form,
        "families/professional_form.html",
        "Professional added to the team around the family.",
        lambda f: services.professional_add(family=family, actor=request.user, **f.cleaned_data),
    )


def _manager_family(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    if not (has_role(request.user, Role.MANAGER) and family.base_id in selectors.managed_base_ids(request.user)):
        raise PermissionDenied("Only the family's team manager can change who works with them.")
    return family


@require_http_methods(["GET", "POST"])
def family_reallocate(request, reference):
    family = _manager_family(request, reference)
    workers = list(selectors.worker_caseloads(manager=request.user))
    form = WorkerChoiceForm(request.POST or None, workers=workers, reason_required=True)
    return _form_page(
        request,
        family,
        form,
        "families/worker_form.html",
        "Family reallocated.",
        lambda f: services.family_reallocate(
            family=family, worker=f.cleaned_data["worker"], reason=f.cleaned_data["reason"], actor=request.user
        ),
    )


@require_http_methods(["GET", "POST"])
def family_add_co_worker(request, reference):
    family = _manager_family(request, reference)
    workers = list(selectors.worker_caseloads(manager=request.user))
    form = WorkerChoiceForm(request.POST or None, workers=workers)
    return _form_page(
        request,
        family,
        form,
        "families/worker_form.html",
        "Co-worker added.",
        lambda f: services.family_add_co_worker(
            family=family, worker=f.cleaned_data["worker"], reason=f.cleaned_data["reason"], actor=request.user
        ),
    )
