"""Sign-in and the rule that every page needs a signed-in user."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = {"/sign-in/", "/healthz"}
# The community directory feed: public, no personal data (tested there). The one-time set-password link a new
# member of staff opens before they have a password (tests/home/test_admin_configuration.py). The request for
# support, for professionals and families outside the service (tests/frontdoor/). The link in a reminder that
# lets a family stop reminders, signed and telling nothing about the family (tests/notifications/). The feedback
# form, open to anyone who has had support (tests/voice/).
PUBLIC_PREFIXES = ("/directory/", "/account/set-password/", "/request-support/", "/reminders/stop/", "/feedback/")
API_PREFIX = "/api/"  # systems get a JSON 403, not a redirect to a sign-in page (the docs page redirects)


def _all_paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _all_paths(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + _fill(route)


def _fill(route: str) -> str:
    """A concrete path for a route: placeholders (path converters or regex groups) get plausible values."""
    import re

    a_uuid = "00000000-0000-4000-8000-000000000000"
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"\\\.\(\?P<format>[^)]*\)/\?", "", route)  # DRF's optional .json suffix
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: a_uuid if "uuid" in m[1] or m[1] == "pk" else "x", route)
    route = re.sub(r"<uuid:[^>]+>", a_uuid, route)
    route = re.sub(r"<(?:int:)?[^>]*(?:id|pk)>", "1", route)
    route = re.sub(r"<path:[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return route.replace("\\", "")


def test_every_url_except_sign_in_and_healthz_redirects_anonymous_to_sign_in(client):
    paths = sorted(set(_all_paths()))
    assert "/" in paths and "/county/" in paths and "/admin/" in paths
    sign_in = reverse("login")
    for path in paths:
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            continue
        if path.startswith(API_PREFIX) and path != "/api/docs/":
            response = client.get(path)
            assert response.status_code == 403, f"{path} answered an anonymous caller {response.status_code}"
            assert b"<html" not in response.content.lower(), f"{path} sent an HTML page to a system"
            continue
        response = client.get(path, follow=True)
        assert response.redirect_chain, f"{path} answered an anonymous user without a redirect"
        final_url = response.redirect_chain[-1][0]
        assert final_url.startswith(sign_in), f"{path} redirected to {final_url}, not the sign-in page"


@pytest.mark.parametrize("path", sorted(PUBLIC_PATHS))
def test_public_paths_answer_anonymous(client, path):
    assert client.get(path).status_code == 200


def test_sign_in_with_email_in_any_case_lands_on_home(client, cast):
    # A worker: team managers go on to the two-factor code (tests/ecfs/test_two_factor.py).
    response = client.post(reverse("login"), {"username": "WORKER@Example.org", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert b"Your work" in response.content


def test_wrong_password_shows_error_summary_and_signs_nobody_in(client, cast):
    response = client.post(reverse("login"), {"username": "manager@example.org", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a correct email address and password" in html
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_says_what_is_missing(client, db):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_only_admin_sees_configuration_link(client, cast):
    client.force_login(cast.admin)
    assert "Configuration" in client.get(reverse("county")).content.decode()
    client.force_login(cast.worker)
    assert reverse("admin:index") not in client.get(reverse("county")).content.decode()


def test_admin_can_manage_venues_but_worker_cannot_reach_admin(client, cast):
    from ecfs.roles import role_groups_ensure

    role_groups_ensure()
    client.force_login(cast.admin)
    assert client.get(reverse("admin:venues_venue_changelist")).status_code == 200
    client.force_login(cast.worker)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_unknown_page_is_a_govuk_404(client, cast):
    client.force_login(cast.worker)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
