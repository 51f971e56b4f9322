"""The API's one error shape, and the one handler that produces it.

    {"error": {"code": "invalid", "message": "Check the fields", "fields": {"postcode": ["Enter a real UK postcode"]}}}

- a serializer's or a service's ``ValidationError`` → 400 ``invalid``, with messages per field
- ``ApplicationError`` (a rule refused the change in the record's current state) → 409 ``conflict``
- not signed in, a bad token, no permission, a CSRF failure → 403
- ``Http404``, or an object outside what the caller may see → 404 ``not_found``; so does an address under
  /api/ that matches no endpoint (``ecfs.views.page_not_found``)
- a null character anywhere in the request → 400 ``invalid`` (``ecfs.middleware.RefuseNullCharactersMiddleware``)
- too many requests → 429 ``throttled`` with ``Retry-After``
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from ecfs.errors import ApplicationError

logger = logging.getLogger(__name__)

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"
INVALID_MESSAGE = "Check the highlighted fields and try again."
API_PREFIX = "/api/"
NOT_FOUND_MESSAGE = "No API endpoint or record at this address."


def is_api_request(request) -> bool:
    """Whether the request is for the API, which answers every error in its JSON shape (never an HTML page)."""
    return request.path_info.startswith(API_PREFIX)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"people.0.date_of_birth": ["..."]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            # An error about the whole object is named by the object itself.
            inner = (prefix or f"{NON_FIELD}.") if key in ("__all__", NON_FIELD) else f"{prefix}{key}."
            for field, messages in _flatten(value, inner).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            for field, messages in _flatten(item, f"{prefix}{index}.").items():
                out.setdefault(field, []).extend(messages)
    else:
        items = detail if isinstance(detail, list) else [detail]
        key = prefix.rstrip(".") or NON_FIELD
        out.setdefault(key, []).extend(str(item) for item in items if str(item))
    return {field: messages for field, messages in out.items() if messages}


def _django_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return _flatten({field: list(messages) for field, messages in error.message_dict.items()})
    return {NON_FIELD: list(error.messages)}


def _message(fields: dict[str, list[str]]) -> str:
    if list(fields) == [NON_FIELD]:
        return fields[NON_FIELD][0]
    return INVALID_MESSAGE


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        set_rollback()
        status = exc.extra.get("status", 409)
        return Response(error_body(exc.extra.get("code", "conflict"), exc.message), status=status)
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        fields = _django_fields(exc)
        return Response(error_body("invalid", _message(fields), fields), status=400)
    if isinstance(exc, IntegrityError):
        # A rule the database enforces that a concurrent request broke first: the caller may retry.
        logger.warning("API write refused by the database: %s", exc)
        set_rollback()
        return Response(error_body("conflict", "The record changed while saving: reload and try again."), status=409)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let Django log it and answer 500

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        body = error_body("invalid", _message(fields), fields)
    else:
        code = exc.get_codes() if isinstance(exc.detail, str) else exc.default_code
        body = error_body(str(code), str(exc.detail) if isinstance(exc.detail, str) else str(exc.default_detail))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


# For the schema --------------------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable and machine-readable: invalid, conflict, not_found, ...")
    message = serializers.CharField(help_text="For people: what went wrong and what to do.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per input field; nested fields are dotted ("people.0.date_of_birth"); '
        f'"{NON_FIELD}" for the request as a whole. Empty unless code is "invalid".',
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
