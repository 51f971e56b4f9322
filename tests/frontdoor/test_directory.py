"""The Open Referral UK feed publishes ECFS's own service with the online request for support as its contact route."""

import json

import pytest
from django.urls import reverse

from venues.directory import ECFS_SERVICE_ID

from ..community.test_directory import check

pytestmark = pytest.mark.django_db


def test_the_feed_lists_ecfs_own_service_with_the_request_route(client):
    page = json.loads(client.get(reverse("directory-services")).content)
    own = page["contents"][0]
    assert own["id"] == str(ECFS_SERVICE_ID) and own["status"] == "active"
    assert own["url"] == "http://testserver/request-support/"
    assert own["contacts"][0]["name"] == "Ask for support online"
    assert "/request-support/" in own["application_process"]
    check(own, "service")
    detail = client.get(reverse("directory-service", args=[ECFS_SERVICE_ID]))
    assert detail.status_code == 200 and json.loads(detail.content)["url"] == own["url"]
