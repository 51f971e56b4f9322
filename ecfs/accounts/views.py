"""Two-factor pages: the code asked for at sign-in, setting up an authenticator app, recovery codes.

The sign-in itself is ``ecfs.views.SignInView``; ``ecfs.middleware.TwoFactorRequiredMiddleware`` sends a
signed-in user who still owes a code here, and lets them reach only these pages and sign-out until then.
"""

from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from ecfs.errors import ApplicationError

from . import selectors, services
from .forms import TwoFactorCodeForm
from .qr import qr_code_svg

# Pages a signed-in user may reach before entering a code (see TwoFactorRequiredMiddleware).
TWO_FACTOR_PAGES = ("two-factor-verify", "two-factor-setup")


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def safe_next(request) -> str:
    """Where to go afterwards: ``next`` when it is a page of this site (and not a sign-in step), else home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        path = candidate.split("?", 1)[0]
        if path not in {reverse(name) for name in (*TWO_FACTOR_PAGES, "login", "logout")}:
            return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def two_factor_redirect(user, next_url: str) -> str | None:
    """Where a user who has just signed in with their password goes next, if they owe a code."""
    if selectors.two_factor_enabled(user):
        return with_next("two-factor-verify", next_url)
    if selectors.two_factor_required(user):
        return with_next("two-factor-setup", next_url)
    return None


def _mark_verified(request, device) -> None:
    """The session has passed two-factor: a new session key (the privilege changed), then django-otp's login."""
    request.session.cycle_key()
    otp_login(request, device)


def _status(form) -> int:
    return 400 if form.errors else 200


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = request.user
    next_url = safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    if not selectors.two_factor_enabled(user):
        if selectors.two_factor_required(user):
            return redirect(with_next("two-factor-setup", next_url))
        return redirect(next_url)
    recovery = request.GET.get("recovery") == "1"
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, recovery=recovery)
    if form.is_bound and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = selectors.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code, which will not work again. You have {left} left"
                    + (": generate new ones from Your account." if left <= 3 else "."),
                )
            return redirect(next_url)
    return render(
        request,
        "registration/two_factor_verify.html",
        {
            "form": form,
            "recovery": recovery,
            "pending": True,
            "app_query": urlencode({"next": next_url}),
            "recovery_query": urlencode({"next": next_url, "recovery": "1"}),
        },
        status=_status(form),
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code, save the recovery codes.

    Someone who already has an app must enter a code from it first; then this page replaces it (a new phone).
    """
    user = request.user
    next_url = safe_next(request)
    enabled = selectors.two_factor_enabled(user)
    if enabled and not user.is_verified():
        return redirect(with_next("two-factor-verify", next_url))
    device = services.two_factor_enrol_start(user=user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, app_only=True)
    if form.is_bound and form.is_valid():
        try:
            device, codes = services.two_factor_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            _mark_verified(request, device)
            return render(
                request,
                "registration/two_factor_recovery_codes.html",
                {"codes": codes, "next": next_url, "just_enrolled": True},
            )
    secret = b32encode(device.bin_key).decode("ascii")
    required = selectors.two_factor_required(user)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "pending": required and not user.is_verified(),  # nothing else opens until this is done
            "required": required,
            "replacing": enabled,
            "secret": _grouped(secret),
            "otpauth_url": device.config_url,
            "qr_svg": mark_safe(  # noqa: S308 - built by ElementTree, which escapes the only text it holds
                qr_code_svg(device.config_url, label="QR code to scan with your authenticator app")
            ),
        },
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request):
    """How many recovery codes are left; POST replaces them all with 10 new ones, shown once."""
    user = request.user
    if not selectors.two_factor_enabled(user):
        return redirect("two-factor-setup")
    if not user.is_verified():
        return redirect(with_next("two-factor-verify", request.get_full_path()))
    if request.method == "POST":
        try:
            codes = services.recovery_codes_regenerate(user=user)
        except ApplicationError:  # the app was reset meanwhile
            return redirect("two-factor-setup")
        return render(
            request,
            "registration/two_factor_recovery_codes.html",
            {"codes": codes, "next": reverse("account"), "just_enrolled": False},
        )
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"left": selectors.recovery_codes_left(user)},
    )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's form, with GOV.UK labels and messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password1"].help_text = "At least 12 characters, not a common password"
        self.fields["new_password1"].error_messages["required"] = "Enter a password"
        self.fields["new_password2"].label = "Enter the password again"
        self.fields["new_password2"].error_messages["required"] = "Enter the password again"


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link a service admin sends a new member of staff (``bases.services.set_password_link``).

    Django's password-reset confirmation: the token works once (it is made from the password hash) and for
    ``PASSWORD_RESET_TIMEOUT``. A used or expired link shows a page saying so, status 404 is not used: it is
    the link that is wrong, not the page.
    """

    form_class = SetPasswordForm
    template_name = "registration/set_password.html"
    reset_url_token = "choose"  # noqa: S105 - the placeholder Django puts in the URL instead of the token
    post_reset_login = False

    def get_success_url(self):
        return reverse("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in with your email address and your new password.")
        return response

    def render_to_response(self, context, **kwargs):
        if self.request.method == "POST" and context.get("form") is not None and context["form"].errors:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)
