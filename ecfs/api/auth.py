"""Authentication: Django sessions for staff in the browser, bearer tokens for partner systems.

A partner token authenticates the *system*, not a person: ``request.user`` stays anonymous (so every
selector returns nothing for it) and ``request.auth`` is the ``PartnerSystem``. Only views whose
permission asks for a partner system let it in.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import PartnerSystem, token_hash

KEYWORD = b"bearer"


class PartnerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            token = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed("Invalid token.") from None
        partner = PartnerSystem.objects.filter(token_hash=token_hash(token), is_active=True).first()
        if partner is None:
            raise AuthenticationFailed("Invalid or revoked token.")
        return AnonymousUser(), partner

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "ecfs.api.auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner system's token (from `manage.py create_partner_token`). It may only "
            "create referrals and read back those it created.",
        }


class StaffSessionScheme(OpenApiAuthenticationExtension):
    """Staff use the API from the browser with their signed-in session (and the CSRF token on writes)."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "staffSession"

    def get_security_definition(self, auto_schema):
        # The cookies' names as this deployment sets them (production prefixes them with __Host-).
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A signed-in member of staff's session. Writes also need the `X-CSRFToken` header "
            f"with the value of the `{settings.CSRF_COOKIE_NAME}` cookie.",
        }


__all__ = ["PartnerTokenAuthentication", "SessionAuthentication"]
