import logging
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse

from .accounts.selectors import two_factor_enabled, two_factor_required
from .accounts.views import with_next
from .api.errors import NON_FIELD, error_body, is_api_request
from .logging import current_request_id
from .views import healthz

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "ecfs_signed_in_at"
LAST_SEEN = "ecfs_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds: write the session at most once a minute for the idle clock
# Whether a user whose role does not need two-factor had an app when this session was first checked: saves
# every worker's request a query. An app set up later is asked for at the next sign-in.
TWO_FACTOR_ENABLED = "ecfs_two_factor_enabled"


class HealthCheckMiddleware:
    """Answer ``/healthz`` before anything that reads the session or the user from the database, so a
    monitor that sends a session cookie still gets 503 naming what is down, not the error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method == "GET":
            return healthz(request)
        return self.get_response(request)


class SessionLimitsMiddleware:
    """End a session after ``SESSION_IDLE_SECONDS`` idle or ``SESSION_ABSOLUTE_SECONDS`` in all (the API answers
    403 in its JSON error shape, as it does to anyone not signed in, instead of the sign-in page)."""

    API_MESSAGE = "Your session has ended to protect families' information: sign in again."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if is_api_request(request):
                    return JsonResponse(error_body("not_authenticated", self.API_MESSAGE), status=403)
                messages.info(request, "You were signed out to protect families' information. Sign in again.")
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A signed-in user who owes a two-factor code reaches only sign-in, sign-out and the two-factor pages.

    Owes a code: their session is not OTP-verified (``django_otp.middleware.OTPMiddleware``) and either their
    role needs two-factor (``ECFS_MFA_REQUIRED_ROLES``, staff, superusers) or they set up an app. Pages, the
    admin included, redirect to the code page (or to setting up an app); the API answers 403 in its JSON error
    shape. Partner systems' token requests carry no signed-in user, so they are not affected.
    """

    EXEMPT_VIEWS = frozenset({"login", "logout", "healthz", "two-factor-verify", "two-factor-setup"})
    API_PREFIX = "/api/"
    API_PAGES = frozenset({"api-docs"})  # the API's HTML docs page redirects like any page
    MESSAGE = (
        "Two-factor authentication is required: sign in to ECFS Case in the browser and enter the code "
        "from your authenticator app."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else None
        if view_name in self.EXEMPT_VIEWS:
            return None
        required = two_factor_required(user)
        if required or request.session.get(TWO_FACTOR_ENABLED, True):
            enabled = two_factor_enabled(user)
            if not required:
                request.session[TWO_FACTOR_ENABLED] = enabled
        else:
            enabled = False
        if not (required or enabled):
            return None
        if request.path_info.startswith(self.API_PREFIX) and view_name not in self.API_PAGES:
            return JsonResponse(error_body("two_factor_required", self.MESSAGE), status=403)
        next_url = (
            request.get_full_path() if request.method in ("GET", "HEAD") else resolve_url(settings.LOGIN_REDIRECT_URL)
        )
        return redirect(with_next("two-factor-verify" if enabled else "two-factor-setup", next_url))


class PrivateResponseHeadersMiddleware:
    """Pages for signed-in users hold personal data: never cache them; restrict browser features everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestIdMiddleware:
    """A short correlation id per request: in the logs, on the error page and in ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = secrets.token_hex(6)
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


NUL = "\x00"
MEGABYTE = 1024 * 1024
BODY_MARGIN = MEGABYTE  # the form's other fields and the multipart framing around the largest file


def request_body_limit() -> int:
    """The largest request body anything takes, in bytes: the largest upload (a document, or an import file) and
    a margin."""
    return max(settings.DOCUMENTS_MAX_UPLOAD_MB, settings.IMPORT_MAX_UPLOAD_MB) * MEGABYTE + BODY_MARGIN


class RequestBodyLimitMiddleware:
    """Refuse (413) a request whose declared body is larger than any upload the service takes, before anything
    reads it: the CSRF check reads a form's fields, which stores an upload in a temporary file first, so without
    this a huge upload would fill the disk before the form could refuse it. The page says the largest file taken;
    the API answers its JSON error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # not a number: the server (and Django) read no body for it
        if declared > request_body_limit():
            logger.info("request refused: a body of %s bytes declared", declared)
            return too_large(request)
        return self.get_response(request)


def too_large(request):
    largest = max(settings.DOCUMENTS_MAX_UPLOAD_MB, settings.IMPORT_MAX_UPLOAD_MB)
    if is_api_request(request):
        return JsonResponse(error_body("too_large", f"The request is larger than {largest} MB."), status=413)
    message = (
        f"A document must be smaller than {settings.DOCUMENTS_MAX_UPLOAD_MB} MB and an import file smaller than "
        f"{settings.IMPORT_MAX_UPLOAD_MB} MB."
    )
    return render(request, "413.html", {"message": message}, status=413)


NUL_SHOWN = "\\0"  # how a parameter's name with a null character in it is shown back


class RefuseNullCharactersMiddleware:
    """Answer 400 to a request with a null character (``%00``) in its address, query string or form fields.

    PostgreSQL cannot store or compare text holding one, so any view that searched or saved it would fail
    with a 500. No real input has one, so it is refused here, once for every page and endpoint: the 400 page
    says what to put right, and the API answers ``{"error": {"code": "invalid", ..., "fields": {...}}}`` naming
    the parameters. Form bodies are read only for POST (as Django and the CSRF check do); JSON bodies are
    the API serializers' job (their text fields refuse null characters).
    """

    PAGE_MESSAGE = (
        "The web address or the form contained a null character, which cannot be saved or searched for: "
        "remove it and try again."
    )
    API_MESSAGE = "The request contains a null character (\\0), which cannot be saved or searched for."
    FIELD_MESSAGE = "Remove the null character (\\0) from this value."
    PATH_MESSAGE = "Remove the null character (\\0) from the web address."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = self.fields_with_null_characters(request)
        if fields:
            from .views import bad_request

            logger.info("request refused: null character in %s", ", ".join(sorted(fields)))
            message = self.API_MESSAGE if is_api_request(request) else self.PAGE_MESSAGE
            return bad_request(request, message=message, fields=fields)
        return self.get_response(request)

    @classmethod
    def fields_with_null_characters(cls, request) -> dict[str, list[str]]:
        fields: dict[str, list[str]] = {}
        if NUL in request.path_info:
            fields[NON_FIELD] = [cls.PATH_MESSAGE]
        sources = [request.GET]
        if request.method == "POST":
            sources += [request.POST, request.FILES]
        for source in sources:
            for name, values in source.lists():
                values = [getattr(value, "name", value) or "" for value in values]  # uploads: their file names
                if NUL in name or any(NUL in value for value in values):
                    fields[name.replace(NUL, NUL_SHOWN)] = [cls.FIELD_MESSAGE]
        return fields
