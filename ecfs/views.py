from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .accounts import selectors as account_selectors
from .accounts.views import two_factor_redirect
from .api.errors import NOT_FOUND_MESSAGE, error_body, is_api_request
from .forms import SignInForm
from .health import components_down


class SignInView(auth_views.LoginView):
    """The password; then, for anyone who set up an app or whose role needs it, the two-factor code page."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        two_factor = two_factor_redirect(form.get_user(), self.get_success_url())
        return redirect(two_factor) if two_factor else response


@require_GET
def account(request):
    """Your own account: your role, two-factor authentication and your recent sign-ins (successful and failed)."""
    from axes.models import AccessAttempt, AccessLog

    user = request.user
    email = user.email.lower()
    enabled = account_selectors.two_factor_enabled(user)
    return render(
        request,
        "account.html",
        {
            "sign_ins": AccessLog.objects.filter(username=email).order_by("-attempt_time")[:10],
            "failures": AccessAttempt.objects.filter(username=email).order_by("-attempt_time")[:5],
            "two_factor_enabled": enabled,
            "two_factor_required": account_selectors.two_factor_required(user),
            "recovery_codes_left": account_selectors.recovery_codes_left(user) if enabled else 0,
        },
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    down = components_down()
    if down:
        return JsonResponse({"status": "unavailable", "down": down}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request):
    """The 500 page: generic, with the correlation id to quote to the service desk."""
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))


def bad_request(request, exception=None, *, message: str = "", fields: dict | None = None):
    """The 400 answer (``handler400``, and the null-character guard): a page saying what to put right, or the
    API's JSON error shape under /api/. The exception's own text is for the log, not the page."""
    if is_api_request(request):
        body = error_body("invalid", message or "The request could not be read.", fields)
        return JsonResponse(body, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception=None):
    """The 404 answer (``handler404``): under /api/ the JSON error shape, whatever the address; else the page."""
    if is_api_request(request):
        return JsonResponse(error_body("not_found", NOT_FOUND_MESSAGE), status=404)
    return defaults.page_not_found(request, exception)
