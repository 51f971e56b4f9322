"""The county-scale generator adds the advice log in proportion (a tiny factor here; any database)."""

import pytest
from django.db.models import Count, F

from advice.models import AdviceEntry
from devdata.scale import COUNTY, scale_seed

pytestmark = pytest.mark.django_db
FACTOR = 0.001


def test_the_county_generator_adds_advice_in_proportion():
    scale_seed(factor=FACTOR)
    entries = AdviceEntry.objects.all()
    assert entries.count() == round(COUNTY["advice"] * FACTOR)
    assert set(entries.values_list("channel", flat=True)) == set(AdviceEntry.Channel.values)
    # Each entry is its base's team's, in the district it names, about one or two topics, anonymous.
    assert not entries.exclude(base__district=F("district")).exists()
    assert not entries.exclude(team__base=F("base")).exists()
    topics = entries.annotate(n=Count("topics")).values_list("n", flat=True)
    assert min(topics) >= 1 and max(topics) <= 2
    assert not entries.filter(family__isnull=False).exists()
    assert not entries.filter(given="signposted", signposted_to="").exists()
    assert not entries.exclude(channel="outreach").exclude(partner_session="").exists()
