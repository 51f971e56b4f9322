"""Base classes for every API view, and the schema and its docs."""

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets

from .permissions import FrontLineStaff, SignedInStaff


class ApiViewMixin:
    """JSON answers for every caller: the site's sign-in redirect does not apply; nothing is cached."""

    @classmethod
    def as_view(cls, *args, **initkwargs):
        return login_not_required(super().as_view(*args, **initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


class StaffViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """A viewset for case records: front-line staff, querysets from the apps' selectors."""

    permission_classes = [FrontLineStaff]

    def validated(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def output(self, serializer_class, instance, **kwargs):
        return serializer_class(instance, context=self.get_serializer_context(), **kwargs).data


class SchemaView(ApiViewMixin, SpectacularAPIView):
    """The OpenAPI 3 schema of this API (YAML, or JSON with ``?format=json`` or ``Accept``)."""

    permission_classes = [SignedInStaff]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, served from our own static files (drf-spectacular-sidecar) under the site's CSP.

    Unlike the JSON endpoints, a visitor who is not signed in is sent to the sign-in page.
    """

    permission_classes = [SignedInStaff]
    url_name = "api-schema"
    template_name = "ecfs_api/swagger_ui.html"

    @classmethod
    def as_view(cls, *args, **initkwargs):
        view = super().as_view(*args, **initkwargs)
        view.login_required = True  # DRF marks its views login_not_required; this page wants the sign-in redirect
        return view

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response
