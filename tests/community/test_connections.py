"""Connecting a family to a community group or service, and four weeks later: did they go, and is it helping?"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from community import selectors, services
from community.models import Connection
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from tests.referrals.factories import allocated_referral

from .factories import community_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def test_connecting_a_family_sets_the_follow_up_four_weeks_on_and_is_audited(cast, family):
    group = community_group(cast)
    connection = services.connection_create(family=family, actor=cast.worker, group=group, note="Met the organiser")

    assert connection.follow_up_due == timezone.localdate() + timedelta(weeks=4)
    assert connection.outcome == "pending"
    event = AuditEvent.objects.get(action="connection.made")
    assert event.family == family and group.name in event.summary


def test_a_group_or_a_named_service_but_not_both_nor_neither(cast, family):
    group = community_group(cast)
    with pytest.raises(ValidationError):
        services.connection_create(family=family, actor=cast.worker)
    with pytest.raises(ValidationError):
        services.connection_create(family=family, actor=cast.worker, group=group, service_name="Home-Start")
    connection = services.connection_create(family=family, actor=cast.worker, service_name="Home-Start")
    assert connection.to_name == "Home-Start"


def test_a_closed_group_cannot_take_new_families(cast, family):
    group = community_group(cast, status="closed")
    with pytest.raises(ApplicationError, match="closed"):
        services.connection_create(family=family, actor=cast.worker, group=group)
    assert not Connection.objects.exists()


@pytest.mark.dates
def test_the_worker_is_asked_four_weeks_later_and_the_answer_is_recorded(client, cast, family):
    group = community_group(cast)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        connection = services.connection_create(family=family, actor=cast.worker, group=group)
    with time_machine.travel(date(2026, 3, 29), tick=False):
        assert not selectors.follow_ups_due(user=cast.worker, today=timezone.localdate()).exists()
    with time_machine.travel(date(2026, 3, 30), tick=False):
        assert list(selectors.follow_ups_due(user=cast.worker, today=timezone.localdate())) == [connection]
        # Mine lists follow the allocation: the colleague and the manager are not asked.
        assert not selectors.follow_ups_due(user=cast.colleague, today=timezone.localdate()).exists()
        client.force_login(cast.worker)
        home = client.get(reverse("home")).content.decode()
        assert "Did they go?" in home and group.name in home
        response = client.post(
            reverse("community-connection-outcome", args=[connection.uuid]),
            {"outcome": "going_helping", "note": "Goes every Tuesday; made a friend"},
        )
        assert response.status_code == 302
        assert not selectors.follow_ups_due(user=cast.worker, today=timezone.localdate()).exists()
    connection.refresh_from_db()
    assert connection.outcome == "going_helping" and connection.outcome_recorded_by == cast.worker
    assert AuditEvent.objects.filter(action="connection.outcome", family=family).exists()


def test_the_outcome_page_names_the_missing_answer(client, cast, family):
    connection = services.connection_create(family=family, actor=cast.worker, service_name="Home-Start")
    client.force_login(cast.worker)
    response = client.post(reverse("community-connection-outcome", args=[connection.uuid]), {})
    assert response.status_code == 400
    assert "Choose whether they went and whether it is helping" in response.content.decode()


def test_the_worker_connects_a_family_from_the_page(client, cast, family):
    group = community_group(cast)
    client.force_login(cast.worker)
    page = client.get(reverse("community-connect", args=[family.reference]))
    assert page.status_code == 200 and group.name in page.content.decode()

    response = client.post(reverse("community-connect", args=[family.reference]), {"group": str(group.uuid)})
    assert response.status_code == 302
    assert Connection.objects.get().group == group
    empty = client.post(reverse("community-connect", args=[family.reference]), {})
    assert empty.status_code == 400
    assert "Choose a community group, or name another service" in empty.content.decode()


def test_another_teams_family_is_404_on_connect_urls(client, cast, family):
    group = community_group(cast)
    connection = services.connection_create(family=family, actor=cast.worker, group=group)
    for user in (cast.other_worker, cast.other_manager, cast.colleague):
        client.force_login(user)
        assert client.get(reverse("community-connect", args=[family.reference])).status_code == 404
        assert (
            client.post(reverse("community-connect", args=[family.reference]), {"group": str(group.uuid)}).status_code
            == 404
        )
        outcome = reverse("community-connection-outcome", args=[connection.uuid])
        assert client.post(outcome, {"outcome": "did_not_go"}).status_code == 404
    assert Connection.objects.count() == 1
    connection.refresh_from_db()
    assert connection.outcome == "pending"


def test_a_commissioner_cannot_connect_or_see_connections(client, cast, family):
    client.force_login(cast.commissioner)
    assert client.get(reverse("community-connect", args=[family.reference])).status_code == 403
    assert client.get(reverse("community-follow-ups")).status_code == 403


def test_a_family_is_not_connected_twice_to_a_group_before_anyone_asks_how_it_went(cast, family):
    group = community_group(cast)
    connection = services.connection_create(family=family, actor=cast.worker, group=group)
    with pytest.raises(ApplicationError, match="record whether they went before connecting them again"):
        services.connection_create(family=family, actor=cast.worker, group=group)
    services.connection_record_outcome(connection=connection, actor=cast.worker, outcome="did_not_go")
    assert services.connection_create(family=family, actor=cast.worker, group=group).outcome == "pending"


def test_a_connection_dated_before_the_service_began_is_refused(client, cast, family):
    group = community_group(cast)
    client.force_login(cast.worker)
    response = client.post(
        reverse("community-connect", args=[family.reference]),
        {"group": str(group.uuid), "connected_on_day": "1", "connected_on_month": "1", "connected_on_year": "1901"},
    )

    assert response.status_code == 400
    assert "The date you connected them must be after the service began (1 October 2019)" in response.content.decode()
    assert not Connection.objects.exists()


def test_too_long_notes_on_a_connection_or_its_answer_are_refused(client, cast, family):
    group = community_group(cast)
    client.force_login(cast.worker)
    long = "x" * 2001
    refused = client.post(
        reverse("community-connect", args=[family.reference]), {"group": str(group.uuid), "note": long}
    )
    assert refused.status_code == 400
    assert "How you helped them get there must be 2,000 characters or fewer" in refused.content.decode()
    assert not Connection.objects.exists()

    connection = services.connection_create(family=family, actor=cast.worker, group=group)
    answer = client.post(
        reverse("community-connection-outcome", args=[connection.uuid]), {"outcome": "going_helping", "note": long}
    )
    assert answer.status_code == 400
    assert "Anything to add must be 2,000 characters or fewer" in answer.content.decode()
    connection.refresh_from_db()
    assert connection.outcome == "pending"
