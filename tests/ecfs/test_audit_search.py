"""Service admins search the audit trail and export it as CSV; nobody else can (issue: admins search and export)."""

import csv
import datetime
import io
import json
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from ecfs.audit.selectors import WITHHELD_SUMMARY
from ecfs.audit.services import _write_event as audit_record  # made-up "test." actions, outside the vocabulary
from ecfs.roles import Role, group_name
from tests.helpers import count_queries
from tests.referrals.factories import allocated_referral

pytestmark = pytest.mark.django_db

SEARCH = "audit-search"
EXPORT = "audit-export"


def _recorded_at(when: datetime.datetime, **kwargs) -> AuditEvent:
    """Record an event as if at ``when``: audit rows cannot be moved afterwards (the database refuses it)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit_record(**kwargs)


def _at(day: datetime.date, hour=12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def trail(cast):
    """Two families, each with a marked event by a different actor on a different day."""
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    other = allocated_referral(team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker).family
    first = _recorded_at(
        _at(datetime.date(2024, 3, 10)),
        actor=cast.worker,
        action="test.noted",
        obj=family,
        family=family,
        summary="Noted the first family",
        changes={"note": ["", "first"]},
    )
    second = _recorded_at(
        _at(datetime.date(2024, 5, 20)),
        actor=cast.other_worker,
        action="test.noted",
        obj=other,
        family=other,
        summary="Noted the second family",
    )
    return {"family": family, "other": other, "first": first, "second": second}


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_admin_sees_the_trail_newest_first(client, cast, trail):
    client.force_login(cast.admin)
    response = client.get(reverse(SEARCH))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert rows == sorted(rows, key=lambda e: (e.occurred_at, e.pk), reverse=True)
    html = response.content.decode()
    # Who, when, what and which record; never what was written about a family the admin may not see.
    assert "Noted the first family" not in html
    assert "Noted the second family" not in html
    assert WITHHELD_SUMMARY.replace("'", "&#x27;") in html
    assert trail["family"].reference in html
    assert "worker@example.org" in html


def test_admin_reads_family_details_in_the_trail_only_where_they_may_see_the_family(client, cast, trail):
    """An admin who also manages a base reads its families' summaries, and no others."""
    cast.manager.groups.add(Group.objects.get_or_create(name=group_name(Role.ADMIN))[0])
    client.force_login(cast.manager)
    html = client.get(reverse(SEARCH)).content.decode()
    assert "Noted the first family" in html
    assert "Noted the second family" not in html
    rows = _csv(client.get(reverse(EXPORT), {"action": "test.noted"}))
    assert [(row["summary"], json.loads(row["changes"])) for row in rows] == [
        (WITHHELD_SUMMARY, {}),
        ("Noted the first family", {"note": ["", "first"]}),
    ]


def test_audit_export_never_shows_a_familys_free_text_to_an_admin(client, cast, trail):
    reason = "Mother has moved to a refuge: never share the address"
    audit_record(
        actor=cast.manager,
        action="family.address_withheld",
        obj=trail["family"],
        family=trail["family"],
        summary=f"Address withheld: {reason}",
        changes={"reason": ["", reason]},
    )
    client.force_login(cast.admin)
    body = b"".join(client.get(reverse(EXPORT), {"action": "family."}).streaming_content).decode()
    assert "refuge" not in body
    assert "family.address_withheld" in body and trail["family"].reference in body
    assert "refuge" not in client.get(reverse(SEARCH), {"action": "family."}).content.decode()


def test_admin_filters_by_family_actor_action_and_dates(client, cast, trail):
    client.force_login(cast.admin)
    url = reverse(SEARCH)

    by_family = client.get(url, {"family": trail["family"].reference.lower()}).context["page"]
    assert {e.family_id for e in by_family} == {trail["family"].pk}
    assert trail["first"] in list(by_family)

    by_actor = client.get(url, {"actor": "OTHER.worker@example.org", "action": "test."}).context["page"]
    assert list(by_actor) == [trail["second"]]

    by_type = client.get(url, {"object_type": "families.family", "action": "test.noted"}).context["page"]
    assert set(by_type) == {trail["first"], trail["second"]}

    dates = {"date_from_day": "1", "date_from_month": "3", "date_from_year": "2024"}
    dates |= {"date_to_day": "10", "date_to_month": "3", "date_to_year": "2024"}
    assert list(client.get(url, dates).context["page"]) == [trail["first"]]


@pytest.mark.parametrize("member", ["worker", "colleague", "other_worker", "manager", "other_manager", "commissioner"])
def test_other_roles_are_refused(client, cast, member):
    client.force_login(getattr(cast, member))
    assert client.get(reverse(SEARCH)).status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_anonymous_is_sent_to_sign_in(client):
    for name in (SEARCH, EXPORT):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_bad_dates_give_a_message_and_no_rows(client, cast, trail):
    client.force_login(cast.admin)
    url = reverse(SEARCH)

    response = client.get(url, {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2024"})
    assert response.status_code == 200
    assert "Date from must be a real date" in response.content.decode()
    assert list(response.context["page"]) == []

    backwards = {"date_from_day": "1", "date_from_month": "6", "date_from_year": "2024"}
    backwards |= {"date_to_day": "1", "date_to_month": "3", "date_to_year": "2024"}
    response = client.get(url, backwards)
    assert "Date to must be the same as or after date from" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert list(response.context["page"]) == []

    export = client.get(reverse(EXPORT), backwards)
    assert export.status_code == 302
    assert export.url.startswith(url + "?")
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_export_holds_the_filtered_rows_only(client, cast, trail):
    client.force_login(cast.admin)
    response = client.get(reverse(EXPORT), {"family": trail["family"].reference})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = _csv(response)
    assert rows
    assert {row["family"] for row in rows} == {trail["family"].reference}
    assert {row["summary"] for row in rows} == {WITHHELD_SUMMARY}
    assert len(rows) == AuditEvent.objects.filter(family=trail["family"]).count()

    first = next(row for row in rows if row["action"] == "test.noted")
    assert list(first) == ["occurred_at", "actor", "action", "object_type", "object_id", "family", "summary", "changes"]
    assert first["actor"] == "worker@example.org"
    assert first["object_type"] == "families.family"
    assert datetime.datetime.fromisoformat(first["occurred_at"]) == _at(datetime.date(2024, 3, 10))
    assert json.loads(first["changes"]) == {}


def test_export_is_itself_audited(client, cast, trail):
    client.force_login(cast.admin)
    response = client.get(reverse(EXPORT), {"action": "test.noted"})
    rows = _csv(response)
    assert [row["object_id"] for row in rows] == [str(trail["other"].uuid), str(trail["family"].uuid)]

    event = AuditEvent.objects.get(action="audit.exported")
    assert event.actor == cast.admin
    assert event.object_type == "accounts.user"
    assert "action=test.noted" in event.summary


def test_export_neutralises_spreadsheet_formulas(client, cast):
    audit_record(actor=cast.worker, action="test.formula", obj=cast.worker, summary='=HYPERLINK("http://x")')
    client.force_login(cast.admin)
    rows = _csv(client.get(reverse(EXPORT), {"action": "test.formula"}))
    assert rows[0]["summary"].startswith("'=")


def test_search_query_count_does_not_grow_with_rows(client, cast, trail):
    client.force_login(cast.admin)
    url = reverse(SEARCH)
    few = count_queries(client, url)
    for _ in range(30):
        audit_record(actor=cast.worker, action="test.bulk", obj=trail["family"], family=trail["family"])
        audit_record(actor=cast.other_worker, action="test.bulk", obj=trail["other"], family=trail["other"])
    assert count_queries(client, url) == few


def test_search_pages_fifty_at_a_time(client, cast, trail):
    for _ in range(60):
        audit_record(actor=cast.worker, action="test.bulk", obj=trail["family"], family=trail["family"])
    client.force_login(cast.admin)
    response = client.get(reverse(SEARCH), {"action": "test.bulk"})
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.num_pages == 2
    assert "action=test.bulk&amp;page=2" in response.content.decode()
