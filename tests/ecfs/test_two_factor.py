"""Two-factor authentication (django-otp TOTP, recovery codes): who must use it, enrolment, sign-in, reuse.

Every test here signs in the way a person does, or with ``force_login`` *without* the conftest shortcut
(``real_two_factor``): a session that has entered no code is exactly what is being tested.
"""

import re
from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ecfs.accounts import services
from ecfs.api.services import partner_system_create
from ecfs.audit.models import AuditEvent
from ecfs.roles import role_groups_ensure
from tests.conftest import authenticator_of, pass_two_factor, totp_code
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.real_two_factor]

REQUIRED = ("manager", "commissioner", "admin")
API_LIST = "/api/families/"


def sign_in_with_password(client, user, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.email, "password": TEST_PASSWORD})


def enter_code(client, code, *, next_url=None, recovery=False):
    query = {"next": next_url or "", "recovery": "1" if recovery else ""}
    return client.post(f"{reverse('two-factor-verify')}?{urlencode(query)}", {"code": code})


def enrol(client, user) -> list[str]:
    """Set up an app through the pages; returns the recovery codes shown."""
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two-factor-setup"), {"code": totp_code(device)})
    assert response.status_code == 200, response.content.decode()
    return re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


# Who must use it -------------------------------------------------------------------------------


@pytest.mark.parametrize("member", REQUIRED)
def test_roles_that_need_two_factor_are_sent_to_set_it_up_from_every_page_and_the_admin(client, cast, member):
    client.force_login(getattr(cast, member))
    for path in (reverse("home"), reverse("county"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == f"{reverse('two-factor-setup')}?next={path.replace('/', '%2F')}", path


@pytest.mark.parametrize("member", REQUIRED)
def test_roles_that_need_two_factor_and_have_an_app_are_asked_for_a_code(client, cast, member):
    user = getattr(cast, member)
    authenticator_of(user)
    client.force_login(user)
    for path in (reverse("home"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("two-factor-verify") + "?next=")


@pytest.mark.parametrize("member", REQUIRED)
@pytest.mark.parametrize("has_app", [False, True], ids=["no-app", "app"])
def test_the_api_answers_403_json_until_the_code_is_entered(client, cast, member, has_app):
    user = getattr(cast, member)
    if has_app:
        authenticator_of(user)
    client.force_login(user)
    for path in (API_LIST, reverse("api-schema")):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response["Content-Type"] == "application/json"
        error = response.json()["error"]
        assert error["code"] == "two_factor_required"
        assert "authenticator app" in error["message"] and error["fields"] == {}


@pytest.mark.parametrize("member", REQUIRED)
def test_once_the_code_is_entered_pages_admin_and_api_open(client, cast, member):
    user = getattr(cast, member)
    client.force_login(user)
    pass_two_factor(client, user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("api-schema")).status_code == 200
    # The admin answers as it does without two-factor: the service admin sees it, the others are sent to sign in.
    assert client.get("/admin/").status_code == (200 if member == "admin" else 302)


def test_a_worker_is_not_asked_for_a_code(client, cast):
    client.force_login(cast.worker)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(API_LIST).status_code == 200
    assert client.get(reverse("two-factor-verify")).url == reverse("home")


def test_staff_and_superusers_need_two_factor_whatever_their_role(client, cast):
    staff_worker = UserFactory(is_staff=True)
    superuser = UserFactory(is_superuser=True)
    for user in (staff_worker, superuser):
        client.force_login(user)
        assert client.get(reverse("home")).url.startswith(reverse("two-factor-setup"))


def test_the_roles_that_need_two_factor_are_a_setting(client, cast, settings):
    settings.ECFS_MFA_REQUIRED_ROLES = ["commissioner"]
    client.force_login(cast.manager)
    assert client.get(reverse("home")).status_code == 200
    client.force_login(cast.commissioner)
    assert client.get(reverse("home")).status_code == 302
    settings.ECFS_MFA_REQUIRED_ROLES = ["worker", "nobody"]
    with pytest.raises(ImproperlyConfigured, match="nobody"):
        apps.get_app_config("accounts").ready()


def test_sign_in_sign_out_health_and_the_two_factor_pages_stay_open(client, cast):
    client.force_login(cast.manager)
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("two-factor-setup")).status_code == 200
    assert client.get(reverse("login")).status_code == 302  # signed in: on to home, which sends it here
    # The API's HTML docs page redirects like any page.
    assert client.get(reverse("api-docs")).url.startswith(reverse("two-factor-setup"))
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_partner_system_tokens_are_not_affected(client, cast):
    partner, token = partner_system_create(name="Health visiting service")
    response = client.get(reverse("api-partner-referral-list"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


# Enrolment -------------------------------------------------------------------------------------


def test_manager_without_an_app_signs_in_then_sets_one_up(client, cast):
    response = sign_in_with_password(client, cast.manager, next_url="/county/")
    assert response.url == f"{reverse('two-factor-setup')}?next=%2Fcounty%2F"
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=cast.manager, confirmed=False)
    # The key, grouped in fours, and the QR code as inline SVG; no inline script.
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert '<svg width="240" height="240"' in html and 'role="img"' in html
    assert "<script>" not in html and "<script " not in html.replace('<script type="module" src=', "")
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert '<form method="post" novalidate>' in html
    assert "Content-Security-Policy" in page.headers
    # Reloading shows the same key.
    client.get(response.url)
    assert TOTPDevice.objects.filter(user=cast.manager).count() == 1

    response = client.post(f"{reverse('two-factor-setup')}?next=%2Fcounty%2F", {"code": totp_code(device)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Two-factor authentication is on" in html
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", html)
    assert len(set(codes)) == 10
    assert 'href="/county/"' in html
    assert StaticToken.objects.filter(device__user=cast.manager).count() == 10
    assert is_verified(client)
    assert client.get("/county/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=cast.manager).exists()


def test_a_wrong_code_at_enrolment_is_refused_with_a_message(client, cast):
    client.force_login(cast.commissioner)
    client.get(reverse("two-factor-setup"))
    response = client.post(reverse("two-factor-setup"), {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "The code is not correct" in html
    assert not TOTPDevice.objects.filter(user=cast.commissioner, confirmed=True).exists()
    assert not is_verified(client)
    failure = AuditEvent.objects.get(action="two_factor.verify_failed", actor=cast.commissioner)
    assert failure.changes == {"stage": "enrolment", "kind": "totp", "reason": "wrong"}


def test_someone_with_an_app_cannot_set_up_another_without_a_code(client, cast):
    """Otherwise a stolen password would be enough: set up your own app and sign in with it."""
    authenticator_of(cast.manager)
    client.force_login(cast.manager)
    response = client.get(reverse("two-factor-setup"))
    assert response.url.startswith(reverse("two-factor-verify"))
    response = client.post(reverse("two-factor-setup"), {"code": "123456"})
    assert response.url.startswith(reverse("two-factor-verify"))
    assert TOTPDevice.objects.filter(user=cast.manager).count() == 1


def test_a_verified_user_can_replace_their_app(client, cast):
    old = authenticator_of(cast.manager)
    client.force_login(cast.manager)
    pass_two_factor(client, cast.manager)
    assert "This replaces the authenticator app" in client.get(reverse("two-factor-setup")).content.decode()
    enrol(client, cast.manager)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get(reverse("home")).status_code == 200


# Signing in with a code ------------------------------------------------------------------------


def test_sign_in_with_the_app_code(client, cast):
    device = authenticator_of(cast.manager)
    response = sign_in_with_password(client, cast.manager, next_url="/county/")
    assert response.url == f"{reverse('two-factor-verify')}?next=%2Fcounty%2F"
    page = client.get(response.url).content.decode()
    assert "Enter the code from your authenticator app" in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert 'href="?next=%2Fcounty%2F&amp;recovery=1"' in page
    session_before = client.session.session_key
    response = enter_code(client, totp_code(device), next_url="/county/")
    assert response.status_code == 302 and response.url == "/county/"
    assert is_verified(client)
    assert client.session.session_key != session_before  # a new session key once the code is in
    assert client.get(reverse("home")).status_code == 200
    assert client.get(API_LIST).status_code == 200


def test_the_same_code_cannot_be_used_twice(client, cast):
    device = authenticator_of(cast.manager)
    code = totp_code(device)
    sign_in_with_password(client, cast.manager)
    assert enter_code(client, code).status_code == 302
    client.post(reverse("logout"))

    sign_in_with_password(client, cast.manager)
    response = enter_code(client, code)
    assert response.status_code == 400
    assert "That code has already been used" in response.content.decode()
    assert not is_verified(client)
    assert client.get(reverse("home")).url.startswith(reverse("two-factor-verify"))
    failure = AuditEvent.objects.filter(action="two_factor.verify_failed").get()
    assert failure.changes == {"stage": "sign-in", "kind": "totp", "reason": "reused"}


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(client, cast):
    device = authenticator_of(cast.admin)
    sign_in_with_password(client, cast.admin)
    response = enter_code(client, "000000" if totp_code(device) != "000000" else "111111")
    assert response.status_code == 400
    assert "The code is not correct" in response.content.decode()
    # Straight away, even the right code waits: django-otp's throttling (1, 2, 4 ... seconds).
    response = enter_code(client, totp_code(device))
    assert response.status_code == 400
    assert "You have entered too many wrong codes. Wait 1 second and try again" in response.content.decode()
    assert not is_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Once the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(seconds=2))
    assert enter_code(client, totp_code(device)).status_code == 302


def test_throttling_is_on_for_both_kinds_of_code():
    assert TOTPDevice().throttling_enabled and StaticDevice().throttling_enabled


def test_a_recovery_code_works_once(client, cast):
    client.force_login(cast.manager)
    codes = enrol(client, cast.manager)
    client.post(reverse("logout"))

    sign_in_with_password(client, cast.manager)
    page = client.get(reverse("two-factor-verify") + "?recovery=1").content.decode()
    assert "Enter a recovery code" in page and 'inputmode="numeric"' not in page
    response = enter_code(client, codes[0].upper(), recovery=True)  # any case, with or without the hyphen
    assert response.status_code == 302
    assert is_verified(client)
    assert "You signed in with a recovery code" in client.get(reverse("home")).content.decode()
    assert StaticToken.objects.filter(device__user=cast.manager).count() == 9
    client.post(reverse("logout"))

    sign_in_with_password(client, cast.manager)
    response = enter_code(client, codes[0], recovery=True)
    assert response.status_code == 400
    assert "That recovery code is not correct, or it has already been used" in response.content.decode()
    assert not is_verified(client)


def test_new_recovery_codes_replace_the_old_ones(client, cast):
    client.force_login(cast.manager)
    old_codes = enrol(client, cast.manager)
    page = client.get(reverse("two-factor-recovery-codes")).content.decode()
    assert "You have 10 unused recovery codes" in page
    response = client.post(reverse("two-factor-recovery-codes"))
    new_codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(action="two_factor.recovery_codes_replaced").exists()
    client.post(reverse("logout"))
    sign_in_with_password(client, cast.manager)
    assert enter_code(client, old_codes[0], recovery=True).status_code == 400
    # (The wait after a wrong code is tested above: skip it here.)
    StaticDevice.objects.filter(user=cast.manager).update(throttling_failure_count=0)
    assert enter_code(client, new_codes[0], recovery=True).status_code == 302


@pytest.mark.parametrize(
    "code",
    ["", "   ", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "x" * 500, "12 34 5\x00", "<script>", "--", "0" * 20],
)
def test_bad_input_is_a_message_never_an_error(client, cast, code):
    authenticator_of(cast.manager)
    sign_in_with_password(client, cast.manager)
    for recovery in (False, True):
        response = enter_code(client, code, recovery=recovery)
        assert response.status_code == 400, code
        assert "govuk-error-summary" in response.content.decode()
    assert not is_verified(client)
    assert not AuditEvent.objects.filter(action="two_factor.verify_failed").exists()  # no code was checked


def test_next_never_leaves_the_site(client, cast):
    device = authenticator_of(cast.manager)
    response = sign_in_with_password(client, cast.manager, next_url="https://evil.example/")
    assert "evil" not in response.url
    response = enter_code(client, totp_code(device), next_url="https://evil.example/")
    assert response.url == reverse("home")


# Workers opting in -----------------------------------------------------------------------------


def test_a_worker_can_opt_in_and_is_then_asked_for_a_code(client, cast):
    client.force_login(cast.worker)
    account = client.get(reverse("account")).content.decode()
    assert "It is optional for your role" in account
    assert "optional for your role" in client.get(reverse("two-factor-setup")).content.decode()
    enrol(client, cast.worker)
    assert "You have 10 unused recovery codes" in client.get(reverse("account")).content.decode()
    client.post(reverse("logout"))

    response = sign_in_with_password(client, cast.worker)
    assert response.url.startswith(reverse("two-factor-verify"))
    assert client.get(reverse("home")).url.startswith(reverse("two-factor-verify"))
    assert client.get(API_LIST).status_code == 403
    assert enter_code(client, totp_code(TOTPDevice.objects.get(user=cast.worker))).status_code == 302
    assert client.get(reverse("home")).status_code == 200


# Reset by a service admin ----------------------------------------------------------------------


def test_a_service_admin_resets_a_lost_phone_in_the_admin(client, cast):
    role_groups_ensure()
    lost = authenticator_of(cast.manager)
    manager_client = type(client)()
    manager_client.force_login(cast.manager)
    pass_two_factor(manager_client, cast.manager)
    assert manager_client.get(reverse("home")).status_code == 200

    client.force_login(cast.admin)
    pass_two_factor(client, cast.admin)
    changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Reset two-factor authentication" in changelist
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [cast.manager.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    event = AuditEvent.objects.get(action="two_factor.reset")
    assert event.actor == cast.admin and event.object_id == str(cast.manager.pk)
    # The manager's session no longer counts as verified: they set up a new app.
    assert manager_client.get(reverse("home")).url.startswith(reverse("two-factor-setup"))


def test_device_keys_are_not_in_the_admin():
    assert not admin.site.is_registered(TOTPDevice) and not admin.site.is_registered(StaticDevice)


def test_reset_removes_the_app_and_the_recovery_codes(cast):
    device = authenticator_of(cast.worker)
    services.recovery_codes_regenerate(user=cast.worker)
    assert services.two_factor_reset(user=cast.worker, actor=cast.admin) == 2
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not StaticDevice.objects.filter(user=cast.worker).exists()


def test_a_workers_pages_do_not_look_for_an_app_on_every_request(client, cast):
    client.force_login(cast.worker)
    client.get(reverse("home"))  # the first request looks once, and the session remembers
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert not [query for query in captured if "otp_" in query["sql"]]


def test_the_menu_is_hidden_only_while_a_code_is_owed(client, cast):
    client.force_login(cast.manager)
    assert 'aria-label="Menu"' not in client.get(reverse("two-factor-setup")).content.decode()
    client.force_login(cast.worker)
    html = client.get(reverse("two-factor-setup")).content.decode()
    assert 'aria-label="Menu"' in html and "Back to your account" in html
