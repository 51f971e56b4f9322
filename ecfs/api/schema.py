"""The OpenAPI schema: drf-spectacular's, plus the error responses and who may call each operation."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse

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


class AutoSchema(SpectacularAutoSchema):
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
