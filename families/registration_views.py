"""Registering a family lightly: the standalone page, and the page flow the session register reuses."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ecfs.errors import ApplicationError
from ecfs.view_helpers import add_service_error

from .registration import PossibleDuplicate, family_register, registering_team
from .registration_forms import RegistrationForm
from .selectors import duplicate_candidate_rows, family_get


def registration_flow(
    request,
    *,
    registered_via: str | None,
    initial: dict,
    template: str,
    context: dict,
    register: Callable[..., object] | None = None,
    registered: Callable[[object], HttpResponse],
    use_known: Callable[[object], HttpResponse],
) -> HttpResponse:
    """GET shows the form; POST registers (the duplicate check first), or uses a match the worker chose.

    ``registered_via`` fixes where (a session); None lets the worker say. ``register(**kwargs)`` makes the family
    (``family_register`` by default, or a caller's service that also does more in the same transaction);
    ``registered(result)`` and ``use_known(family)`` answer once it is done."""
    team = registering_team(request.user)
    if team is None:
        raise PermissionDenied("Only workers and team managers register families.")
    register = register or family_register
    at_session = registered_via is not None
    candidates, problem = [], None
    if request.method != "POST":
        form = RegistrationForm(initial=initial, at_session=at_session)
    else:
        form = RegistrationForm(data=request.POST, at_session=at_session)
        chosen = (request.POST.get("use_family") or "").strip()
        if chosen:
            family = family_get(user=request.user, reference=chosen)  # 404 for a family the user may not see
            try:
                return use_known(family)
            except (ValidationError, ApplicationError) as error:
                form = RegistrationForm(initial=initial, at_session=at_session)
                problem = forms.Form(data={})
                add_service_error(problem, error)
        elif form.is_valid():
            kwargs = form.service_kwargs()
            try:
                result = register(
                    actor=request.user,
                    team=team,
                    registered_via=registered_via or form.cleaned_data["registered_via"],
                    confirmed_new=request.POST.get("confirmed_new") == "yes",
                    **kwargs,
                )
            except PossibleDuplicate as duplicate:
                candidates = duplicate_candidate_rows(user=request.user, candidates=duplicate.candidates)
            except (ValidationError, ApplicationError) as error:
                add_service_error(form, error)
            else:
                return registered(result)
    failed = problem is not None or (request.method == "POST" and form.is_bound and bool(form.errors))
    status = 400 if failed else 200
    return render(
        request,
        template,
        {**context, "form": form, "problem": problem, "candidates": candidates, "at_session": at_session},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def family_register_page(request):
    """Register a family at a drop-in, outreach or elsewhere (a universal session's register has its own)."""

    def registered(family):
        messages.success(request, f"{family.reference} registered: the family is now known to the service.")
        return redirect("family-detail", reference=family.reference)

    def use_known(family):
        messages.success(request, f"{family.reference} is already known to the service: nothing new was recorded.")
        return redirect("family-detail", reference=family.reference)

    return registration_flow(
        request,
        registered_via=None,
        initial={},
        template="families/register.html",
        context={},
        registered=registered,
        use_known=use_known,
    )
