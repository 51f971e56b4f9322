"""The community groups register and the grants in the API: who may read them, the filters, the query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import CommunityGroup
from tests.api.conftest import client_for

from .factories import community_group, grant_application

pytestmark = pytest.mark.django_db


def test_staff_search_the_register_by_place_and_day(cast):
    tuesday = community_group(cast)
    community_group(cast, name="Rhyme Time", kind=CommunityGroup.Kind.RHYME_TIME, weekday=3)
    community_group(cast, name="Closed Group", status=CommunityGroup.Status.CLOSED)
    client = client_for(cast.commissioner)

    everything = client.get(reverse("api-community-group-list")).json()
    assert everything["count"] == 2  # not the closed one
    tuesdays = client.get(reverse("api-community-group-list"), {"weekday": "1"}).json()["results"]
    assert [g["uuid"] for g in tuesdays] == [str(tuesday.uuid)]
    assert tuesdays[0]["day"] == "Tuesday" and tuesdays[0]["locality"] == tuesday.locality.name
    district = cast.team.base.district.slug
    assert client.get(reverse("api-community-group-list"), {"district": district}).json()["count"] == 2
    assert client.get(reverse("api-community-group-list"), {"include_closed": "true"}).json()["count"] == 3
    assert client.get(reverse("api-community-group-list"), {"weekday": "9"}).status_code == 400


def test_a_closed_group_is_still_found_by_its_uuid(cast):
    closed = community_group(cast, status=CommunityGroup.Status.CLOSED)
    response = client_for(cast.worker).get(reverse("api-community-group-detail", args=[closed.uuid]))
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_grants_with_their_payments_and_monitoring_for_managers_only(cast):
    today = timezone.localdate()
    services.grant_budget_adjust(
        financial_year=services.financial_year_of(today), amount="10000", reason="Committee", actor=cast.admin
    )
    application = grant_application(cast)
    services.grant_assess(application=application, actor=cast.manager, quality_points=6)
    services.grant_approve(application=application, actor=cast.other_manager, amount="2000")
    services.grant_record_payment(
        application=application, actor=cast.manager, amount="2000", paid_on=today, reference="BACS 1"
    )
    services.grant_record_monitoring(
        application=application, actor=cast.manager, period_end=today, families_reached=14, sessions_held=10
    )
    url = reverse("api-community-grant-detail", args=[application.uuid])

    body = client_for(cast.other_manager).get(url).json()
    assert body["amount_approved"] == "2000.00" and body["status"] == "paid"
    assert body["payments"] == [{"amount": "2000.00", "paid_on": today.isoformat(), "reference": "BACS 1"}]
    assert body["monitoring"][0]["families_reached"] == 14
    for member in ("worker", "commissioner"):
        assert client_for(getattr(cast, member)).get(url).status_code == 403
        assert client_for(getattr(cast, member)).get(reverse("api-community-grant-list")).status_code == 403
    paid = client_for(cast.admin).get(reverse("api-community-grant-list"), {"status": "paid"}).json()
    assert paid["count"] == 1


@pytest.mark.parametrize("name", ["api-community-group-list", "api-community-grant-list"])
def test_list_queries_do_not_grow_with_the_rows(cast, name):
    """Session, user, two-factor device (3), count (1), page (1); for grants also the caller's roles (1) and the
    payments and monitoring returns (2)."""
    client = client_for(cast.manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    community_group(cast)
    grant_application(cast)
    queries()  # the first request saves the session
    first = queries()
    assert first == (5 if name == "api-community-group-list" else 8)
    for n in range(3):
        community_group(cast, name=f"Group {n}")
        grant_application(cast, group_name=f"Group {n}")
    assert queries() == first
