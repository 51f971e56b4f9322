"""Small helpers every app's views share: role checks, service errors on forms, and the form page's POST loop."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import ApplicationError
from .roles import Role, has_role


def require_role(user, *roles: Role) -> None:
    """A second, explicit check for pages that only some roles use: 403 for the rest."""
    if not any(has_role(user, role) for role in roles):
        raise PermissionDenied("Your role cannot use this page.")


def add_service_error(form, error: ValidationError | ApplicationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, else at the top."""
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def form_post(
    request: HttpRequest,
    form: Callable[..., forms.BaseForm],
    *,
    call: Callable[[Any], Any],
    success: str | Callable[[Any], str] | None,
    redirect_to: str | HttpResponse | Callable[[Any], str | HttpResponse],
    template: str,
    context: dict | Callable[[], dict] | None = None,
) -> HttpResponse:
    """A form page: GET shows the form; POST validates it, calls one service, and redirects with a banner.

    ``form`` builds the form (a form class, or a ``functools.partial``/function taking ``data`` and ``files``
    keywords). On POST it is always bound, to ``request.POST`` and ``request.FILES``, even when the body is empty,
    so an empty POST shows the required-field messages. ``call(form)`` runs the service on the valid form and
    returns what it made; a ``ValidationError`` or ``ApplicationError`` from it goes on the form. On success the
    ``success`` banner (text, or a function of the result; None for none) is added and the page redirects to
    ``redirect_to`` (a URL name or path, a response, or a function of the result returning either). An invalid
    form or a refusal renders ``template`` again, with ``form`` and ``context`` (a dict, or a function building
    one), at status 400.
    """
    if request.method != "POST":
        bound = form()
    else:
        bound = form(data=request.POST, files=request.FILES)
        if bound.is_valid():
            try:
                result = call(bound)
            except (ValidationError, ApplicationError) as error:
                add_service_error(bound, error)
            else:
                text = success(result) if callable(success) else success
                if text:
                    messages.success(request, text)
                target = redirect_to(result) if callable(redirect_to) else redirect_to
                return target if isinstance(target, HttpResponse) else redirect(target)
    extra = context() if callable(context) else (context or {})
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**extra, "form": bound}, status=status)
