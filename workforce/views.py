"""The workforce pages: staff in post, vacancies, and each member's supervision, training and DBS check.

The service admin and team managers use the workforce page (managers see their teams); a worker sees only their
own record; commissioners get 403 (they see the return's protected figures). A member someone may not see is 404.
"""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ecfs.roles import Role, has_role
from ecfs.view_helpers import form_post, require_role

from . import selectors, services
from .forms import BackgroundCheckForm, SupervisionForm, TrainingForm, VacancyFilledForm, VacancyForm


def _staff_side(request) -> None:
    require_role(request.user, Role.ADMIN, Role.MANAGER, Role.WORKER)


@require_GET
def workforce_home(request):
    require_role(request.user, Role.ADMIN, Role.MANAGER)
    today = timezone.localdate()
    members = selectors.staff_overview(user=request.user, today=today)
    vacancies = list(selectors.vacancy_list(user=request.user).filter(filled_on__isnull=True))
    return render(
        request,
        "workforce/home.html",
        {
            "members": members,
            "in_post": selectors.in_post_table(members),
            "vacancies": vacancies,
            "is_admin": has_role(request.user, Role.ADMIN),
            "today": today,
        },
    )


@require_GET
def workforce_mine(request):
    """A worker's (or anyone's) own record."""
    _staff_side(request)
    return redirect("workforce-member", request.user.pk)


def _member_context(request, profile):
    return {
        "profile": profile,
        "status": selectors.member_status(profile=profile, today=timezone.localdate()),
        **selectors.member_records(profile=profile),
        "can_supervise": selectors.can_record_supervision(request.user, profile),
        "can_train": selectors.can_record_training(request.user, profile),
    }


@require_GET
def member_detail(request, pk):
    _staff_side(request)
    profile = selectors.member_get(user=request.user, pk=pk)
    return render(request, "workforce/member.html", _member_context(request, profile))


@require_http_methods(["GET", "POST"])
def supervision_new(request, pk):
    _staff_side(request)
    profile = selectors.member_get(user=request.user, pk=pk)
    if not selectors.can_record_supervision(request.user, profile):
        raise PermissionDenied("Only the worker's team manager records their supervision.")
    people = list(selectors.supervisors(exclude=profile.user))
    return form_post(
        request,
        partial(SupervisionForm, supervisors=people, initial={"supervisor": str(request.user.pk)}),
        call=lambda form: services.supervision_record(actor=request.user, profile=profile, **form.cleaned_data),
        success="Supervision session recorded.",
        redirect_to=lambda session: redirect("workforce-member", profile.user_id),
        template="workforce/supervision_form.html",
        context={"profile": profile},
    )


def _training_page(request, pk):
    _staff_side(request)
    profile = selectors.member_get(user=request.user, pk=pk)
    if not selectors.can_record_training(request.user, profile):
        raise PermissionDenied("Only the service admin or the member's team manager records this.")
    return profile


@require_http_methods(["GET", "POST"])
def training_new(request, pk):
    profile = _training_page(request, pk)
    return form_post(
        request,
        TrainingForm,
        call=lambda form: services.training_record(actor=request.user, profile=profile, **form.cleaned_data),
        success="Training recorded.",
        redirect_to=lambda record: redirect("workforce-member", profile.user_id),
        template="workforce/training_form.html",
        context={"profile": profile},
    )


@require_http_methods(["GET", "POST"])
def background_check_new(request, pk):
    profile = _training_page(request, pk)
    return form_post(
        request,
        BackgroundCheckForm,
        call=lambda form: services.background_check_record(
            actor=request.user, profile=profile, checked_on=form.cleaned_data["checked_on"]
        ),
        success="DBS check recorded.",
        redirect_to=lambda check: redirect("workforce-member", profile.user_id),
        template="workforce/dbs_form.html",
        context={"profile": profile},
    )


@require_GET
def vacancy_list(request):
    require_role(request.user, Role.ADMIN, Role.MANAGER)
    return render(
        request,
        "workforce/vacancies.html",
        {"vacancies": selectors.vacancy_list(user=request.user), "is_admin": has_role(request.user, Role.ADMIN)},
    )


@require_http_methods(["GET", "POST"])
def vacancy_new(request):
    require_role(request.user, Role.ADMIN)
    return form_post(
        request,
        VacancyForm,
        call=lambda form: services.vacancy_open(actor=request.user, **form.cleaned_data),
        success="Vacancy entered.",
        redirect_to="workforce-vacancies",
        template="workforce/vacancy_form.html",
    )


@require_http_methods(["GET", "POST"])
def vacancy_fill(request, uuid):
    require_role(request.user, Role.ADMIN)
    vacancy = get_object_or_404(selectors.vacancy_list(user=request.user), uuid=uuid)
    return form_post(
        request,
        VacancyFilledForm,
        call=lambda form: services.vacancy_fill(
            actor=request.user, vacancy=vacancy, filled_on=form.cleaned_data["filled_on"]
        ),
        success="Vacancy marked as filled.",
        redirect_to="workforce-vacancies",
        template="workforce/vacancy_filled.html",
        context={"vacancy": vacancy},
    )
