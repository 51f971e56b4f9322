"""Every API URL over the whole cast (DESIGN §2): lists hold only what each may see, objects they may
not see are 404, commissioners and service admins get no case data, anonymous callers get JSON 403."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ecfs.api.permissions import DenyUnlessDeclared
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

CAST = ("worker", "colleague", "other_worker", "manager", "other_manager", "commissioner", "admin", "anonymous")


def expect(default, **overrides):
    return {member: overrides.get(member, default) for member in CAST}


LIST = expect(200, commissioner=403, admin=403, anonymous=403)
FAMILY_OBJECT = expect(404, worker=200, manager=200, anonymous=403)
COURSE_OBJECT = expect(404, worker=200, colleague=200, manager=200, anonymous=403)
# An empty body: front-line staff are told what is missing (400); nobody else gets that far.
CREATE = expect(400, commissioner=403, admin=403, anonymous=403)
FAMILY_OBJECT_WRITE = expect(404, worker=400, manager=400, anonymous=403)
COURSE_OBJECT_WRITE = expect(404, worker=400, colleague=400, manager=400, anonymous=403)
# A register names the people enrolled: the course's facilitator (worker) and the base's manager only.
REGISTER = expect(404, worker=200, colleague=403, manager=200, anonymous=403)
REGISTER_WRITE = expect(404, worker=400, colleague=403, manager=400, anonymous=403)
PARTNER_ONLY = expect(403)

# name → (method, url args from the scenario, expected status per cast member); also printed in docs/api.md
TABLE = {
    "api-schema": ("get", None, expect(200, anonymous=403)),
    "api-docs": ("get", None, expect(200, anonymous=302)),
    "api-family-list": ("get", None, LIST),
    "api-family-detail": ("get", "family", FAMILY_OBJECT),
    "api-person-list": ("get", None, LIST),
    "api-person-detail": ("get", "person", FAMILY_OBJECT),
    "api-person-early-education": ("post", "person", FAMILY_OBJECT_WRITE),
    "api-referral-list": ("get", None, LIST),
    "api-referral-detail": ("get", "referral", FAMILY_OBJECT),
    # A triage decision: the referral's team manager (an empty body: 400); a worker who sees it may not decide.
    "api-referral-decision": ("post", "referral", expect(404, worker=403, manager=400, anonymous=403)),
    "api-plan-list": ("get", None, LIST),
    "api-plan-detail": ("get", "plan", FAMILY_OBJECT),
    "api-plan-outcomes": ("get", "plan", FAMILY_OBJECT),
    "api-plan-action-done": ("post", "plan_action", FAMILY_OBJECT_WRITE),
    "api-contact-list": ("get", None, LIST),
    "api-contact-detail": ("get", "contact", FAMILY_OBJECT),
    "api-course-list": ("get", None, LIST),
    "api-course-detail": ("get", "group_course", COURSE_OBJECT),
    "api-session-list": ("get", None, LIST),
    "api-session-detail": ("get", "group_session", COURSE_OBJECT),
    "api-session-register": ("get", "group_session", REGISTER),
    "api-fund-application-list": ("get", None, LIST),
    "api-fund-application-detail": ("get", "application", FAMILY_OBJECT),
    # The advice log: the recorder's team and its base's managers.
    "api-advice-list": ("get", None, LIST),
    "api-advice-detail": ("get", "advice", expect(404, worker=200, colleague=200, manager=200, anonymous=403)),
    # The complaints log: team managers only, their bases' complaints (another base's: 404).
    "api-complaints-list": ("get", None, expect(403, manager=200, other_manager=200)),
    "api-complaints-detail": ("get", "complaint", expect(403, manager=200, other_manager=404)),
    # Child development reviews: scoped like the family.
    "api-development-review-list": ("get", None, LIST),
    "api-development-review-detail": ("get", "development_review", FAMILY_OBJECT),
    # The community groups register (any signed-in member of staff) and the grants (managers and the admin).
    "api-community-group-list": ("get", None, expect(200, anonymous=403)),
    "api-community-group-detail": ("get", "community_group", expect(200, anonymous=403)),
    "api-community-grant-list": ("get", None, expect(403, manager=200, other_manager=200, admin=200)),
    "api-community-grant-detail": ("get", "grant", expect(403, manager=200, other_manager=200, admin=200)),
    # Team around the family meetings and onward referrals: scoped like the family.
    "api-taf-meeting-list": ("get", None, LIST),
    "api-taf-meeting-detail": ("get", "taf_meeting", FAMILY_OBJECT),
    "api-onward-referral-list": ("get", None, LIST),
    "api-onward-referral-detail": ("get", "onward_referral", FAMILY_OBJECT),
    "api-partner-referral-list": ("get", None, PARTNER_ONLY),
    "api-partner-referral-detail": ("get", "referral", PARTNER_ONLY),
}
# Writes, with an empty JSON body.
WRITES = {
    "api-person-list": ("post", None, CREATE),
    "api-referral-list": ("post", None, CREATE),
    "api-plan-list": ("post", None, CREATE),
    "api-plan-outcomes": ("post", "plan", FAMILY_OBJECT_WRITE),
    "api-contact-list": ("post", None, CREATE),
    "api-session-register": ("post", "group_session", REGISTER_WRITE),
    "api-fund-application-list": ("post", None, CREATE),
    "api-advice-list": ("post", None, CREATE),
    "api-development-review-list": ("post", None, CREATE),
    "api-taf-meeting-list": ("post", None, CREATE),
    "api-onward-referral-list": ("post", None, CREATE),
    "api-partner-referral-list": ("post", None, PARTNER_ONLY),
}


def _api_patterns(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_patterns(pattern)
        elif isinstance(pattern, URLPattern) and (pattern.name or "").startswith("api-"):
            yield pattern


def test_every_api_url_is_in_the_table():
    missing = {p.name for p in _api_patterns()} - set(TABLE)
    assert not missing, f"add these API URLs to the permission table: {sorted(missing)}"


def test_every_api_view_declares_its_permissions():
    for pattern in _api_patterns():
        view_class = getattr(pattern.callback, "cls", None) or pattern.callback.view_class
        assert view_class.permission_classes, pattern.name
        assert DenyUnlessDeclared not in view_class.permission_classes, f"{pattern.name} declares no permission"


def _run(cast, scenario, name, method, args_key, expected):
    url = reverse(name, args=scenario[args_key] if args_key else None)
    for member in CAST:
        client = client_for(None if member == "anonymous" else getattr(cast, member))
        response = getattr(client, method)(url, {}, format="json") if method == "post" else client.get(url)
        assert response.status_code == expected[member], f"{method} {name} as {member}: {response.status_code}"
        if name != "api-docs" and "json" in response.get("Content-Type", ""):
            body = response.json()
            if response.status_code >= 400:
                assert set(body["error"]) == {"code", "message", "fields"}, body


@pytest.mark.parametrize("name", sorted(TABLE))
def test_permission_table(cast, scenario, name):
    _run(cast, scenario, name, *TABLE[name])


@pytest.mark.parametrize("name", sorted(WRITES))
def test_write_permission_table(cast, scenario, name):
    _run(cast, scenario, name, *WRITES[name])


LISTS = ["api-family-list", "api-person-list", "api-referral-list", "api-plan-list", "api-contact-list",
         "api-fund-application-list", "api-course-list", "api-session-list", "api-advice-list",
         "api-development-review-list", "api-taf-meeting-list", "api-onward-referral-list"]  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_lists_hold_only_what_the_caller_may_see(cast, scenario, name):
    url = reverse(name)
    counts = {m: client_for(getattr(cast, m)).get(url).json()["count"] for m in ("worker", "other_worker", "manager")}
    assert counts["worker"] > 0 and counts["manager"] > 0
    assert counts["other_worker"] == 0, "another team's worker sees nothing of team A's"
    assert client_for(cast.other_manager).get(url).json()["count"] == 0


def test_a_group_with_model_wide_view_family_widens_nothing(cast, scenario):
    """guardian's get_objects_for_user would return every family here; the selectors do not."""
    group = Group.objects.create(name="Everything")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_family", "change_family", "view_referral"]))
    for member in ("other_worker", "other_manager", "commissioner", "admin"):
        getattr(cast, member).groups.add(group)
    for member in ("other_worker", "other_manager"):
        client = client_for(getattr(cast, member))
        assert client.get(reverse("api-family-list")).json()["count"] == 0
        assert client.get(reverse("api-family-detail", args=scenario["family"])).status_code == 404
        assert client.get(reverse("api-referral-detail", args=scenario["referral"])).status_code == 404
    assert client_for(cast.commissioner).get(reverse("api-family-list")).status_code == 403


def test_a_partner_token_reads_no_case_data(cast, scenario, partner):
    client = client_for(token=partner.token)
    for name in LISTS:
        assert client.get(reverse(name)).status_code == 403, name
    for name, key in [
        ("api-family-detail", "family"),
        ("api-referral-detail", "referral"),
        ("api-plan-detail", "plan"),
    ]:
        assert client.get(reverse(name, args=scenario[key])).status_code == 403, name
    assert client.get(reverse("api-schema")).status_code == 403


def test_anonymous_gets_json_403_not_a_redirect(api):
    response = api.get(reverse("api-family-list"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


def test_an_invalid_token_is_403(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api.get(reverse("api-partner-referral-list"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "authentication_failed"


def test_session_writes_need_the_csrf_token(cast):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.worker)
    response = client.post(reverse("api-contact-list"), {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_responses_are_not_cached(cast, scenario):
    response = client_for(cast.worker).get(reverse("api-family-detail", args=scenario["family"]))
    assert response["Cache-Control"] == "no-store"
