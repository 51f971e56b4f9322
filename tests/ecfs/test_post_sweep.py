"""Every address that refuses a member of staff on GET (403, or 404 for a record outside their scope) refuses
their POST too: the scope is checked before the form is read, so nothing is changed and nothing is told."""

import pytest
from django.urls import reverse

from tests.test_permissions import CAST, TABLE, scenario  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

STAFF = [member for member in CAST if member != "anonymous"]


def test_a_post_from_someone_refused_the_page_is_refused_too(client, cast, scenario):  # noqa: F811
    answers = {}
    for member in STAFF:
        client.force_login(getattr(cast, member))
        for name, (method, args_key, expected) in sorted(TABLE.items()):
            if method != "get" or expected[member] not in (403, 404) or name.startswith("api-"):
                continue
            url = reverse(name, args=scenario[args_key] if args_key else None)
            status = client.post(url, {"reason": "x", "confirm": "yes"}).status_code
            if status not in (403, 404, 405):
                answers[f"{name} as {member}"] = status
    assert answers == {}
