"""Who may call what. Every view declares one of these; the default denies (fail closed).

What a caller may *see* is decided by each view's queryset, built from the apps' selectors; these
classes only decide who may call the endpoint at all.
"""

import logging

from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ecfs.roles import Role, has_role

from .models import PartnerSystem

logger = logging.getLogger(__name__)


def is_partner(request) -> bool:
    return isinstance(getattr(request, "auth", None), PartnerSystem)


def is_staff_user(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and not is_partner(request))


def is_front_line(user) -> bool:
    return has_role(user, Role.WORKER) or has_role(user, Role.MANAGER)


class DenyUnlessDeclared(BasePermission):
    """The default permission class: a view that does not declare its own is closed to everyone."""

    message = "This endpoint is closed."

    def has_permission(self, request, view):
        logger.error("%s declares no permission_classes: refused", type(view).__name__)
        return False


class FrontLineStaff(BasePermission):
    """Family support workers and team managers, signed in.

    Collections (list, create) answer 403 to anyone else. Single objects (``detail`` routes) let any
    signed-in member of staff through to the scoped queryset, so an object they may not see is a 404,
    exactly as on the pages: a commissioner or a service admin sees no case record at all.
    """

    message = "Only family support workers and team managers can use this endpoint."

    def has_permission(self, request, view):
        if not is_staff_user(request):
            return False
        if getattr(view, "detail", False):
            return True
        return is_front_line(request.user)


class PartnerSystemOnly(BasePermission):
    """A partner system's token; staff sessions and anonymous callers are refused."""

    message = "Only a partner system's token can use this endpoint."

    def has_permission(self, request, view):
        return is_partner(request)


class PartnerRateThrottle(SimpleRateThrottle):
    """Each partner system's requests, counted in the default cache (Redis when ``REDIS_URL`` is set).

    The rate is read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"]`` on each request, so
    a changed setting takes effect without a restart of the class.
    """

    scope = "partner"
    default_rate = "60/min"

    def __init__(self):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate

    def get_cache_key(self, request, view):
        if not is_partner(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class SignedInStaff(BasePermission):
    """Any signed-in member of staff (the schema and its docs hold no case data)."""

    def has_permission(self, request, view):
        return is_staff_user(request)
