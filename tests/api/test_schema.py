"""The OpenAPI schema is valid, documents every endpoint and the error shape, and its docs render under CSP."""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # drf-spectacular's bundled OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.")


def test_every_operation_documents_errors_and_who_may_call_it(schema):
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("403", "404"):
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, code)
            if method == "post":
                assert "400" in responses and "409" in responses, (method, path)
            assert "**Who may call it:**" in operation["description"], (method, path)
            if path.startswith("/api/partner/"):
                assert "429" in responses and operation["security"] == [{"partnerToken": []}], (method, path)


def test_no_endpoint_takes_an_integer_id(schema):
    for path in schema["paths"]:
        assert "{id}" not in path and "{pk}" not in path, path


def test_schema_endpoint_serves_staff(cast):
    response = client_for(cast.worker).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert "/api/contacts/" in response.json()["paths"]


def test_docs_page_uses_our_own_static_files_and_no_inline_code(cast, client):
    client.force_login(cast.worker)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert not re.search(r"<script>\s*\S", html), "inline script would be blocked by the CSP"
    assert "<style>" not in html, "inline style would be blocked by the CSP"
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_the_staff_session_scheme_names_the_cookies_the_service_sets(settings):
    """Production names its cookies ``__Host-sessionid`` and ``__Host-csrftoken``: the schema says so there."""
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    scheme = SchemaGenerator().get_schema(request=None, public=True)["components"]["securitySchemes"]["staffSession"]
    assert scheme["name"] == "__Host-sessionid"
    assert "`__Host-csrftoken` cookie" in scheme["description"]
