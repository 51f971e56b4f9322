import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from ecfs.audit.models import AuditEvent
from ecfs.middleware import LAST_SEEN, SIGNED_IN_AT
from ecfs.roles import Role, group_name
from families.models import Family
from families.selectors import family_list
from tests.factories import TEST_PASSWORD
from tests.referrals.factories import allocated_referral

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_that_user_from_that_address_with_a_clear_message(client, cast):
    for _ in range(5):
        _sign_in(client, "worker@example.org", "wrong")
    response = _sign_in(client, "WORKER@example.org", TEST_PASSWORD)
    assert response.status_code == 429
    assert "You cannot sign in for 30 minutes" in response.content.decode()
    # A colleague behind the same proxy still signs in; so does the same person from elsewhere.
    assert _sign_in(client, "colleague@example.org", TEST_PASSWORD).status_code == 302
    client.logout()
    assert _sign_in(client, "worker@example.org", TEST_PASSWORD, address="10.0.0.2").status_code == 302


def _expire(client, key, seconds_ago):
    session = client.session
    session[key] = time.time() - seconds_ago
    session.save()


def test_session_ends_after_30_minutes_idle(client, cast):
    client.force_login(cast.worker)
    assert client.get(reverse("home")).status_code == 200
    _expire(client, LAST_SEEN, 31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


def test_an_api_call_on_a_session_that_has_ended_is_a_json_403_not_the_sign_in_page(client, cast):
    client.force_login(cast.worker)
    assert client.get(reverse("api-family-list")).status_code == 200
    _expire(client, LAST_SEEN, 31 * 60)
    response = client.get(reverse("api-family-list"))
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "sign in again" in response.json()["error"]["message"]
    assert client.get(reverse("api-family-list")).status_code == 403  # signed out, not just refused once


def test_session_ends_after_12_hours_even_when_busy(client, cast):
    client.force_login(cast.worker)
    client.get(reverse("home"))
    _expire(client, SIGNED_IN_AT, 12 * 60 * 60 + 1)
    assert client.get(reverse("home")).status_code == 302


def test_session_cookie_ends_at_browser_close(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_disabling_an_account_takes_effect_on_the_next_request(client, cast):
    client.force_login(cast.worker)
    assert client.get(reverse("home")).status_code == 200
    type(cast.worker).objects.filter(pk=cast.worker.pk).update(is_active=False)
    assert client.get(reverse("home")).status_code == 302


def test_pages_send_csp_without_inline_script_and_no_store(client, cast):
    client.force_login(cast.worker)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_viewing_a_family_is_audited_and_its_managers_see_who_looked(client, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    client.force_login(cast.worker)
    client.get(reverse("family-detail", args=[family.reference]))
    viewed = AuditEvent.objects.filter(family=family, action="viewed", actor=cast.worker)
    assert viewed.count() == 1
    client.force_login(cast.manager)
    html = client.get(reverse("family-detail", args=[family.reference])).content.decode()
    assert "Who viewed or changed this family" in html and cast.worker.get_full_name() in html
    # Workers do not see the access log.
    client.force_login(cast.worker)
    assert "Who viewed or changed" not in client.get(reverse("family-detail", args=[family.reference])).content.decode()


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    event = AuditEvent.objects.filter(family=family).first()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="nothing happened")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.summary = "edited"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_database_refuses_raw_sql_changes_to_audit_rows(on_postgres, cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    event = AuditEvent.objects.filter(family=family).first()
    for statement in (
        "UPDATE audit_auditevent SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == event.summary


def test_a_model_wide_view_permission_does_not_widen_what_anyone_sees(client, cast):
    """guardian and Django would let a group-wide permission see everything; our selectors do not."""
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    workers = Group.objects.get(name=group_name(Role.WORKER))
    workers.permissions.add(Permission.objects.get(codename="view_family"))
    assert cast.colleague.has_perm("families.view_family")  # the trap
    assert family not in family_list(user=cast.colleague)
    assert not family_list(user=cast.other_worker).exists()
    client.force_login(cast.colleague)
    assert client.get(reverse("family-detail", args=[family.reference])).status_code == 404
    assert family.reference not in client.get(reverse("family-list")).content.decode()
    assert Family.objects.count() == 1


def test_your_account_page_lists_your_recent_sign_ins(client, cast):
    assert _sign_in(client, "worker@example.org", TEST_PASSWORD, address="192.0.2.44").status_code == 302
    html = client.get(reverse("account")).content.decode()
    assert "Your recent sign-ins" in html and "192.0.2.44" in html


@pytest.mark.urls("tests.ecfs.error_urls")
def test_errors_show_a_generic_page_with_a_reference_and_keep_personal_details_out_of_logs(client, cast, caplog):
    import logging

    from ecfs.logging import RequestIdFilter, ScrubbingFormatter

    client.raise_request_exception = False
    client.force_login(cast.worker)
    caplog.handler.addFilter(RequestIdFilter())  # as the project's console handler has it
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    reference = response["X-Request-ID"]
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html and reference in html
    assert "jo.bloggs" not in html and "NR30" not in html
    record = next(r for r in caplog.records if r.name == "django.request")
    line = ScrubbingFormatter("[%(request_id)s] %(message)s").format(record)
    assert reference in line
    assert "jo.bloggs@example.org" not in line and "NR30 1AB" not in line and "07700 900123" not in line
    assert "[email]" in line and "[postcode]" in line and "[phone]" in line
