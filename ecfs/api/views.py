"""Base classes for every API view, and the schema and its docs."""

from collections.abc import Callable
from contextlib import contextmanager

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from ecfs.audit.services import audit_view

from .permissions import FrontLineStaff, SignedInStaff

# A uuid in an address as the schema's ``format: uuid`` means it; Python's uuid.UUID also reads it without hyphens.
UUID_IN_PATH = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class ApiViewMixin:
    """JSON answers for every caller: the site's sign-in redirect does not apply; nothing is cached. An object
    looked up by uuid is found only at the address with its hyphenated uuid (any other spelling is a 404)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "lookup_field", None) == "uuid" and "lookup_value_regex" not in cls.__dict__:
            cls.lookup_value_regex = UUID_IN_PATH

    @classmethod
    def as_view(cls, *args, **initkwargs):
        return login_not_required(super().as_view(*args, **initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


@contextmanager
def fields_named(rename: Callable[[str], str]):
    """A service's ``ValidationError`` names the page's form fields (``child_7``, or ``__all__`` for the form
    as a whole): re-raise it naming the request's own fields, so that every field an error names is one the
    schema documents."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        fields: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            fields.setdefault(rename(name), []).extend(messages)
        raise serializers.ValidationError(fields) from None


def whole_request_is(field: str) -> Callable[[str], str]:
    """Errors about the whole request name ``field``; others keep their names."""
    return lambda name: field if name == NON_FIELD_ERRORS else name


class StaffViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """A viewset for case records: front-line staff, querysets from the apps' selectors."""

    permission_classes = [FrontLineStaff]

    def validated(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def output(self, serializer_class, instance, **kwargs):
        return serializer_class(instance, context=self.get_serializer_context(), **kwargs).data


class AuditedRetrieveMixin(mixins.RetrieveModelMixin):
    """``retrieve`` that records the view in the family's audit trail (``Viewed <audit_what>``) before answering.

    Set ``audit_what`` (e.g. ``"a support plan (API)"``); the family is ``obj.family`` unless ``audited_family``
    is overridden (a family's own viewset returns the object itself). A record about no family the caller may see
    (``audited_family`` gives None: an anonymous advice entry, a complaint about another base's family) is not
    audited, as on its page, unless ``audit_unlinked`` (a referral before triage names a family all the same).
    """

    audit_what: str
    audit_unlinked = False

    def audited_family(self, obj):
        return obj.family

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        family = self.audited_family(obj)
        if family is not None or self.audit_unlinked:
            audit_view(actor=request.user, obj=obj, family=family, what=self.audit_what)
        return Response(self.get_serializer(obj).data)


def visible_family(obj):
    """The family a complaint or an advice entry is about, when the caller may see it (``family_visible``)."""
    return obj.family if obj.family_id and obj.family_visible else None


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
