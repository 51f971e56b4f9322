"""The API's URLs, mounted at /api/. Names start with ``api-`` (not namespaced, for the permission table).

Each domain app routes its own viewsets (its ``api_urls``); they are included here by name, so the kernel
imports none of them.
"""

from django.urls import include, path

from .views import DocsView, SchemaView

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(), name="api-docs"),
    path("", include("families.api_urls")),
    path("", include("families.support.api_urls")),
    path("", include("referrals.api_urls")),
    path("", include("venues.api_urls")),
    path("", include("support_fund.api_urls")),
    path("", include("advice.api_urls")),
    path("", include("community.api_urls")),
    path("", include("voice.api_urls")),
    path("", include("partnership.api_urls")),
    path("", include("development.api_urls")),
]
