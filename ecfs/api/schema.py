"""The OpenAPI schema: drf-spectacular's, plus the error responses and who may call each operation."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .errors import ErrorSerializer
from .permissions import PartnerSystemOnly

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `error.fields` says which fields and why. Nothing was saved.",
    "403": "Not signed in, an invalid or revoked token, a missing CSRF token on a session write, or a caller "
    "whose role cannot use this endpoint.",
    "404": "No such object, or one the caller may not see: the two are indistinguishable. On a list, a page "
    "past the end.",
    "409": "A rule refused the change in the record's current state (for example, the family already has an "
    "open plan of that kind). Nothing was saved.",
    "429": "Too many requests from this partner system: wait `Retry-After` seconds.",
}


# What ``str.strip()`` removes (DRF trims text before refusing it as blank), and the null character DRF refuses
# anywhere in text: spelled out rather than ``\s``, which differs between Python and ECMA regular expressions.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = r"^[^\x00]*$"
NOT_BLANK_TEXT_PATTERN = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """drf-spectacular's schema, plus the rules our input fields apply that it leaves out: a list that
        may not be empty has ``minItems: 1``; text has no null character and, unless it may be blank,
        something other than spaces (DRF trims it first)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not schema or getattr(field, "read_only", False):
            return schema
        if (is_list_serializer(field) or isinstance(field, serializers.ListField)) and not field.allow_empty:
            schema["minItems"] = max(schema.get("minItems", 0), 1)
        if is_list_serializer(field) and getattr(field, "max_length", None) is not None:
            schema["maxItems"] = field.max_length
        if _is_plain_text(field) and "pattern" not in schema and "format" not in schema:
            blank_allowed = field.allow_blank or not field.trim_whitespace
            schema["pattern"] = TEXT_PATTERN if blank_allowed else NOT_BLANK_TEXT_PATTERN
        return schema

    def _error_codes(self) -> list[str]:
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        codes = ["403", "404"]
        if writes or self._is_list_view():
            codes.append("400")
        if writes:
            codes.append("409")
        if getattr(self.view, "throttle_classes", None):
            codes.append("429")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                error = OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses

    def get_auth(self):
        """Partner endpoints take only a partner token; every other endpoint only a staff session."""
        super().get_auth()  # registers both security schemes as components
        if PartnerSystemOnly in getattr(self.view, "permission_classes", []):
            return [{"partnerToken": []}]
        return [{"staffSession": []}]

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            access = self._access_note()
            if access:
                description = operation.get("description", "")
                operation["description"] = f"{description}\n\n**Who may call it:** {access}".strip()
        return operation

    def _access_note(self) -> str:
        notes = [
            getattr(permission, "schema_note", None) or (permission.__doc__ or "").strip().split("\n\n")[0]
            for permission in getattr(self.view, "permission_classes", [])
        ]
        return " ".join(" ".join(note.split()) for note in notes if note)


def _is_plain_text(field) -> bool:
    return isinstance(field, serializers.CharField) and not isinstance(
        field, serializers.EmailField | serializers.RegexField | serializers.URLField
    )
