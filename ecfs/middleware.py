import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .logging import current_request_id

SIGNED_IN_AT = "ecfs_signed_in_at"
LAST_SEEN = "ecfs_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds: write the session at most once a minute for the idle clock


class SessionLimitsMiddleware:
    """End a session after ``SESSION_IDLE_SECONDS`` idle or ``SESSION_ABSOLUTE_SECONDS`` in all."""

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
                messages.info(request, "You were signed out to protect families' information. Sign in again.")
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


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
