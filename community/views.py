"""Pages: the community groups register, connecting a family (and did they go?), community grants, the gaps."""

import re
from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecfs.errors import ApplicationError
from ecfs.roles import Role
from ecfs.view_helpers import add_service_error, form_post, require_role
from families.selectors import family_get

from . import permissions, scoring, selectors, services
from .forms import (
    AssessForm,
    BudgetForm,
    ConnectForm,
    DecisionForm,
    GrantForm,
    GroupForm,
    GroupSearchForm,
    MonitoringForm,
    OutcomeForm,
    PaymentForm,
    WithdrawForm,
)
from .models import GrantApplication

GROUP_PAGE_SIZE = 25
CHECK_EVERY = timedelta(days=365)


# The register -----------------------------------------------------------------------------------------


@require_GET
def group_list(request):
    form = GroupSearchForm(request.GET or None)
    filters = selectors.GroupFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.GroupFilters(
            text=data["q"].strip(),
            district=data["district"],
            locality=data["locality"],
            weekday=int(data["day"]) if data["day"] != "" else None,
            kind=data["kind"],
            include_closed=data["closed"],
        )
    groups = selectors.group_list(filters=filters)
    page = Paginator(groups, GROUP_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/group_list.html",
        {
            "form": form,
            "page": page,
            "groups": page.object_list,
            "query": query.urlencode(),
            "can_add": permissions.can_add_group(request.user),
            "can_grants": permissions.can_manage_grants(request.user),
            # Details not checked with the group for a year are flagged for checking.
            "check_due_before": timezone.localdate() - CHECK_EVERY,
            "can_follow_up": services.can_connect(request.user),
        },
    )


@require_GET
def group_detail(request, uuid):
    group = selectors.group_get(uuid=uuid)
    return render(
        request,
        "community/group_detail.html",
        {"group": group, "can_edit": permissions.can_edit_group(request.user, group)},
    )


@require_http_methods(["GET", "POST"])
def group_add(request):
    if not permissions.can_add_group(request.user):
        raise PermissionDenied("Only team managers and the service admin keep the register.")
    return form_post(
        request,
        partial(GroupForm, districts=permissions.group_districts_for(request.user)),
        call=lambda form: services.group_add(actor=request.user, **form.cleaned_data),
        success=lambda group: f"{group.name} added to the register.",
        redirect_to=lambda group: redirect("community-group-detail", uuid=group.uuid),
        template="community/group_form.html",
    )


@require_http_methods(["GET", "POST"])
def group_edit(request, uuid):
    group = selectors.group_get(uuid=uuid)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied("Only the managers of the district's bases and the service admin keep its groups.")
    return form_post(
        request,
        partial(GroupForm, instance=group, districts=permissions.group_districts_for(request.user)),
        call=lambda form: services.group_update(group=group, actor=request.user, **form.cleaned_data),
        success=lambda group: f"{group.name} saved.",
        redirect_to=lambda group: redirect("community-group-detail", uuid=group.uuid),
        template="community/group_form.html",
        context={"group": group},
    )


@require_POST
def group_checked(request, uuid):
    group = selectors.group_get(uuid=uuid)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied("Only the managers of the district's bases and the service admin keep its groups.")
    services.group_mark_checked(group=group, actor=request.user)
    messages.success(request, f"{group.name}: marked as checked today.")
    return redirect("community-group-detail", uuid=group.uuid)


@require_GET
def gaps(request):
    return render(
        request,
        "community/gaps.html",
        {"places": selectors.localities_by_gap(), "scoring": scoring},
    )


# Connecting a family ----------------------------------------------------------------------------------


_FROM_ADVICE = re.compile(r"advice/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


@require_http_methods(["GET", "POST"])
def connect(request, reference):
    """Connect a family to a group or service: from the family record, or from an advice entry naming the family
    (``?from=advice/<uuid>``: the page leads back to the entry; the advice log links here, since community may not
    import advice)."""
    require_role(request.user, Role.WORKER, Role.MANAGER)
    family = family_get(user=request.user, reference=reference)
    groups = list(selectors.groups_to_connect(family=family))
    came_from = _FROM_ADVICE.fullmatch(request.GET.get("from", ""))
    from_advice = came_from.group(1) if came_from else ""
    here = reverse("community-connect", args=[family.reference])
    if from_advice:
        here += "?" + urlencode({"from": f"advice/{from_advice}"})
    return form_post(
        request,
        partial(ConnectForm, groups=groups),
        call=lambda form: services.connection_create(
            family=family,
            actor=request.user,
            group=form.cleaned_data["group"],
            service_name=form.cleaned_data["service_name"],
            note=form.cleaned_data["note"],
            connected_on=form.cleaned_data["connected_on"],
        ),
        success=lambda connection: (
            f"{family.reference} connected to {connection.to_name}. "
            f"You will be asked on {connection.follow_up_due:%-d %B %Y} whether they went."
        ),
        redirect_to=lambda connection: redirect(here),
        template="community/connect.html",
        context=lambda: {
            "family": family,
            "from_advice": from_advice,
            "connections": list(selectors.connections_of(user=request.user, family=family)),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def connection_outcome(request, uuid):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    connection = selectors.connection_get(user=request.user, uuid=uuid)
    return form_post(
        request,
        OutcomeForm,
        call=lambda form: services.connection_record_outcome(
            connection=connection,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        ),
        success=lambda saved: f"Recorded for {connection.family.reference}: {saved.get_outcome_display().lower()}.",
        redirect_to=lambda saved: redirect("community-connect", reference=connection.family.reference),
        template="community/outcome.html",
        context={"connection": connection},
    )


@require_GET
def follow_ups(request):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    today = timezone.localdate()
    return render(
        request,
        "community/follow_ups.html",
        {"follow_ups": list(selectors.follow_ups_due(user=request.user, today=today)), "today": today},
    )


# Community grants -------------------------------------------------------------------------------------


def _require_grants(user):
    if not permissions.can_manage_grants(user):
        raise PermissionDenied("Community grants are run by team managers and the service admin.")


@require_GET
def grant_list(request):
    _require_grants(request.user)
    status = request.GET.get("status", "")
    if status not in GrantApplication.Status.values:
        status = ""
    year = services.financial_year_of(timezone.localdate())
    return render(
        request,
        "community/grant_list.html",
        {
            "applications": list(selectors.grant_list(status=status)[:200]),
            "status": status,
            "statuses": GrantApplication.Status.choices,
            "budget": selectors.grant_budget_for(financial_year=year),
            "year": year,
        },
    )


@require_http_methods(["GET", "POST"])
def grant_new(request):
    _require_grants(request.user)
    groups = list(selectors.group_list().select_related("locality"))

    def create(form):
        data = dict(form.cleaned_data)
        group = data.pop("group")
        if group is not None:
            data["group_name"] = data["group_name"].strip() or group.name
            data["organisation"] = data["organisation"].strip() or group.organisation
        return services.grant_create(actor=request.user, group=group, **data)

    return form_post(
        request,
        partial(GrantForm, groups=groups),
        call=create,
        success=lambda application: f"Application {application.reference} recorded.",
        redirect_to=lambda application: redirect("community-grant-detail", uuid=application.uuid),
        template="community/grant_form.html",
    )


def _grant_context(request, application, **forms):
    points = scoring.place_points(locality=application.locality, rural=application.rural)
    return {
        "application": application,
        "points": points,
        "scoring": scoring,
        "payments": list(application.payments.all()),
        "monitoring": list(application.monitoring.all()),
        "assess_form": forms.get("assess_form") or AssessForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(initial={"amount": application.amount_requested}),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "monitoring_form": forms.get("monitoring_form") or MonitoringForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }


@require_GET
def grant_detail(request, uuid):
    _require_grants(request.user)
    application = selectors.grant_get(uuid=uuid)
    return render(request, "community/grant_detail.html", _grant_context(request, application))


def _grant_post(request, uuid, form_class, form_key, call, success):
    _require_grants(request.user)
    application = selectors.grant_get(uuid=uuid)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("community-grant-detail", uuid=uuid)
    context = _grant_context(request, application, **{form_key: form})
    return render(request, "community/grant_detail.html", context, status=400)


@require_POST
def grant_assess(request, uuid):
    return _grant_post(
        request,
        uuid,
        AssessForm,
        "assess_form",
        lambda application, data: services.grant_assess(
            application=application, actor=request.user, quality_points=data["quality_points"], notes=data["notes"]
        ),
        "Assessment recorded.",
    )


@require_POST
def grant_decide(request, uuid):
    def call(application, data):
        if data["decision"] == "approve":
            services.grant_approve(
                application=application, actor=request.user, amount=data["amount"], reason=data["reason"]
            )
        else:
            services.grant_decline(application=application, actor=request.user, reason=data["reason"])

    return _grant_post(request, uuid, DecisionForm, "decision_form", call, "Decision recorded.")


@require_POST
def grant_pay(request, uuid):
    return _grant_post(
        request,
        uuid,
        PaymentForm,
        "payment_form",
        lambda application, data: services.grant_record_payment(application=application, actor=request.user, **data),
        "Payment recorded.",
    )


@require_POST
def grant_monitor(request, uuid):
    return _grant_post(
        request,
        uuid,
        MonitoringForm,
        "monitoring_form",
        lambda application, data: services.grant_record_monitoring(application=application, actor=request.user, **data),
        "Monitoring return recorded.",
    )


@require_POST
def grant_withdraw(request, uuid):
    return _grant_post(
        request,
        uuid,
        WithdrawForm,
        "withdraw_form",
        lambda application, data: services.grant_withdraw(
            application=application, actor=request.user, reason=data["reason"]
        ),
        "Application withdrawn.",
    )


@require_http_methods(["GET", "POST"])
def grant_budget(request):
    require_role(request.user, Role.ADMIN)
    year = services.financial_year_of(timezone.localdate())
    return form_post(
        request,
        partial(BudgetForm, initial={"financial_year": year}),
        call=lambda form: services.grant_budget_adjust(actor=request.user, **form.cleaned_data),
        success=lambda budget: f"{budget}: £{budget.total_amount:,} in total.",
        redirect_to="community-grant-list",
        template="community/grant_budget.html",
        context=lambda: {"budgets": list(selectors.grant_budgets())},
    )
