"""Test settings with the API's settings, until they are merged into ``ecfs/settings/base.py``.

Run the API tests with ``--ds tests.api.settings`` until then; once merged, this adds nothing.
"""

from ecfs.settings.test import *  # noqa: F403
from ecfs.settings.test import INSTALLED_APPS, REST_FRAMEWORK

for app in ("django_filters", "drf_spectacular", "drf_spectacular_sidecar", "ecfs.api"):
    if app not in INSTALLED_APPS:
        INSTALLED_APPS = [*INSTALLED_APPS, app]

if "EXCEPTION_HANDLER" not in REST_FRAMEWORK:
    REST_FRAMEWORK = {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.SessionAuthentication",
            "ecfs.api.auth.PartnerTokenAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["ecfs.api.permissions.DenyUnlessDeclared"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_PAGINATION_CLASS": "ecfs.api.pagination.Pagination",
        "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
        "DEFAULT_SCHEMA_CLASS": "ecfs.api.schema.AutoSchema",
        "EXCEPTION_HANDLER": "ecfs.api.errors.exception_handler",
        "DEFAULT_THROTTLE_RATES": {"partner": "60/min"},
        "TEST_REQUEST_DEFAULT_FORMAT": "json",
    }

SPECTACULAR_SETTINGS = {
    "TITLE": "ECFS Case API",
    "DESCRIPTION": "Case records of the Early Childhood and Family Service, scoped exactly as the pages are. "
    "See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OpenClosedEnum": "families.models.Family.Status",
        "PersonKindEnum": "families.models.Person.Kind",
        "PlanKindEnum": "families.models.SupportPlan.Kind",
        "PlanStatusEnum": "families.models.SupportPlan.Status",
        "ReferralStatusEnum": "referrals.models.Referral.Status",
        "ApplicationStatusEnum": "support_fund.models.Application.Status",
        "SessionStatusEnum": "venues.models.GroupSession.Status",
        "DeterminantEnum": "ecfs.api.fields.DETERMINANT_CODES",
    },
}
