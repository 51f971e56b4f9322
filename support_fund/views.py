import csv
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ecfs.audit.services import audit_view
from ecfs.errors import ApplicationError
from ecfs.roles import Role, has_role
from ecfs.view_helpers import add_service_error, form_post, require_role
from families.selectors import family_get

from . import corrections, selectors, services
from .forms import (
    AdjustmentForm,
    ApplicationCorrectionForm,
    ApplicationForm,
    BudgetForm,
    CancelForm,
    DecisionForm,
    PaymentForm,
    correction_initial,
)
from .models import Application, Budget


def fund_home(request):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    context = {"mine": list(selectors.my_applications(user=request.user))}
    if has_role(request.user, Role.MANAGER):
        context["queue"] = list(selectors.decision_queue(manager=request.user))
    selectors.with_family_names([*context["mine"], *context.get("queue", [])], user=request.user)
    return render(request, "fund/home.html", context)


@require_http_methods(["GET", "POST"])
def apply(request, reference):
    require_role(request.user, Role.WORKER, Role.MANAGER)
    family = family_get(user=request.user, reference=reference)
    plan = services._active_plan(family)
    context = {"family": family, "plan": plan}
    if plan is None:  # the page explains why there is no form; a POST is refused
        status = 400 if request.method == "POST" else 200
        return render(request, "fund/apply.html", {**context, "form": ApplicationForm(plan=None)}, status=status)
    return form_post(
        request,
        partial(ApplicationForm, plan=plan),
        call=lambda form: services.application_create(
            family=family, actor=request.user, submit="save_draft" not in request.POST, **form.cleaned_data
        ),
        success=lambda application: f"Application {application.reference} {application.get_status_display().lower()}.",
        redirect_to=lambda application: redirect("fund-application", uuid=application.uuid),
        template="fund/apply.html",
        context=context,
    )


def _detail(request, application, **forms):
    user = request.user
    context = {
        "application": application,
        "can_decide": services.can_decide_application(user, application),
        "can_pay": services.can_record_payment(user, application),
        "can_cancel": services.can_cancel_application(user, application),
        "can_submit": services.can_submit_application(user, application),
        "can_correct": corrections.can_correct_application(user, application),
        "amendments": corrections.application_amendments(application),
        "limit_reasons": services.over_limit_reasons(application)
        if application.status in Application.AWAITING_DECISION
        else [],
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }
    return context


def application_detail(request, uuid):
    application = selectors.application_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=application, family=application.family, what="a fund application")
    return render(request, "fund/application.html", _detail(request, application))


def _post(request, uuid, form_class, form_key, call, success):
    application = selectors.application_get(user=request.user, uuid=uuid)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            if not selectors.application_list(user=request.user).filter(uuid=uuid).exists():
                # A second approver from another base sees the application only while it awaits them:
                # back to the fund's queue (with the banner), not a page they may no longer see.
                return redirect("fund-home")
            return redirect("fund-application", uuid=uuid)
    return render(request, "fund/application.html", _detail(request, application, **{form_key: form}), status=400)


@require_POST
def decide(request, uuid):
    require_role(request.user, Role.MANAGER)

    def call(application, data):
        if data["decision"] == "approve":
            services.application_approve(application=application, actor=request.user, note=data["reason"])
        else:
            services.application_decline(application=application, actor=request.user, reason=data["reason"])

    return _post(request, uuid, DecisionForm, "decision_form", call, "Decision recorded.")


@require_POST
def pay(request, uuid):
    require_role(request.user, Role.MANAGER)
    return _post(
        request,
        uuid,
        PaymentForm,
        "payment_form",
        lambda application, data: services.application_record_payment(
            application=application, paid_on=data["paid_on"], reference=data["reference"], actor=request.user
        ),
        "Payment recorded.",
    )


@require_POST
def cancel(request, uuid):
    require_role(request.user, Role.MANAGER)
    return _post(
        request,
        uuid,
        CancelForm,
        "cancel_form",
        lambda application, data: services.application_cancel(
            application=application, actor=request.user, reason=data["reason"]
        ),
        "Application cancelled; the money is back in the budget.",
    )


@require_http_methods(["GET", "POST"])
def correct(request, uuid):
    """Correct an application's amount and details, or a paid one's payment, with a reason."""
    application = selectors.application_get(user=request.user, uuid=uuid)
    if not corrections.can_correct_application(request.user, application):
        raise PermissionDenied(
            "Only the applicant or a team manager of the family's base corrects an application, and only a manager "
            "who did not apply corrects a payment."
        )
    paid = application.status == Application.Status.PAID

    def success(corrected):
        if corrected.status != application.status:
            return (
                f"{corrected.reference} corrected. The new amount is more than was approved, so it is back awaiting "
                "a decision; the money approved before has gone back to the budget."
            )
        return f"{corrected.reference} corrected. What was there before is kept with your reason."

    return form_post(
        request,
        partial(ApplicationCorrectionForm, paid=paid, initial=correction_initial(application)),
        call=lambda form: corrections.application_amend(application=application, actor=request.user, **form.amended()),
        success=success,
        redirect_to=lambda _: redirect("fund-application", uuid=uuid),
        template="fund/correct.html",
        context=lambda: {
            "application": application,
            "paid": paid,
            "amendments": corrections.application_amendments(application),
        },
    )


@require_POST
def submit(request, uuid):
    application = selectors.application_get(user=request.user, uuid=uuid)
    try:
        services.application_submit(application=application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Application submitted.")
    return redirect("fund-application", uuid=uuid)


def _year(request) -> int:
    """The financial year asked for (this one when none is): one the fund has no figures for is not found."""
    today = timezone.localdate()
    if "year" not in request.GET:
        return services.financial_year_of(today)
    try:
        year = int(request.GET["year"])
    except ValueError:
        raise Http404("No such financial year") from None
    if year not in selectors.dashboard_years(today=today):
        raise Http404("The fund has no figures for that financial year")
    return year


def dashboard(request):
    if not selectors.can_see_dashboard(request.user):
        raise PermissionDenied("The fund dashboard is for team managers and service admins.")
    year = _year(request)
    years = selectors.dashboard_years(today=timezone.localdate())
    return render(
        request,
        "fund/dashboard.html",
        {
            "dashboard": selectors.dashboard(year=year),
            "previous_year": year - 1 if year - 1 in years else None,
            "next_year": year + 1 if year + 1 in years else None,
        },
    )


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    if not selectors.can_see_dashboard(request.user):
        raise PermissionDenied("The finance export is for team managers and service admins.")
    year = _year(request)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in [selectors.FINANCE_COLUMNS, *selectors.finance_rows(year=year)])
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="family-support-fund-{year}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def budgets(request):
    require_role(request.user, Role.ADMIN)
    return form_post(
        request,
        BudgetForm,
        call=lambda form: services.budget_create(actor=request.user, **form.cleaned_data),
        success="Budget created.",
        redirect_to="fund-budgets",
        template="fund/budgets.html",
        context={"budgets": Budget.objects.select_related("source", "district")},
    )


@require_http_methods(["GET", "POST"])
def budget_adjust(request, uuid):
    require_role(request.user, Role.ADMIN)
    budget = get_object_or_404(Budget.objects.select_related("source", "district"), uuid=uuid)
    return form_post(
        request,
        AdjustmentForm,
        call=lambda form: services.budget_adjust(budget=budget, actor=request.user, **form.cleaned_data),
        success="Budget adjusted.",
        redirect_to="fund-budgets",
        template="fund/adjust.html",
        context={"budget": budget, "adjustments": budget.adjustments.select_related("created_by")},
    )
