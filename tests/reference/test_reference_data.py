import csv

import pytest

from bases.models import Base, District, Locality
from reference.services import REFERENCE_DIR, reference_data_load
from reporting.models import ContractBudgetLine
from venues.models import Venue

pytestmark = pytest.mark.django_db


def _csv(name):
    with open(REFERENCE_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_districts_match_the_reference_file():
    rows = _csv("districts.csv")
    assert len(rows) == 7
    assert set(District.objects.values_list("name", flat=True)) == {row["district"] for row in rows}
    breckland = District.objects.get(name="Breckland")
    assert (breckland.onsite_group_sessions_pct_2018, breckland.outreach_group_sessions_pct_2018) == (79, 21)
    assert (breckland.targeted_group_sessions_pct_2018, breckland.universal_group_sessions_pct_2018) == (45, 55)


def test_fifteen_bases_two_per_district_three_in_norwich():
    rows = [row for row in _csv("childrens_centres_2018.csv") if row["role_from_oct_2019"] == "base"]
    assert Base.objects.count() == 15 == len(rows)
    assert set(Base.objects.values_list("name", flat=True)) == {row["name"] for row in rows}
    for district in District.objects.all():
        assert district.bases.count() == district.bases_from_oct_2019
    assert District.objects.get(name="Norwich").bases.count() == 3


def test_all_53_former_centres_are_venues_with_their_role():
    rows = _csv("childrens_centres_2018.csv")
    assert Venue.objects.count() == 53 == len(rows)
    for row in rows:
        venue = Venue.objects.get(name=row["name"])
        assert venue.district.name == row["district"]
        assert venue.kind == Venue.Kind.FORMER_CHILDRENS_CENTRE
    assert Venue.objects.filter(role=Venue.Role.BASE).count() == 15
    outreach_only = Venue.objects.filter(role=Venue.Role.OUTREACH_ONLY)
    assert set(outreach_only.values_list("name", flat=True)) == {
        "Dereham South",
        "Reepham",
        "West Walton",
        "Hethersett",
    }
    assert not outreach_only.filter(has_building=True).exists()
    assert Venue.objects.filter(base__isnull=False, role=Venue.Role.BASE).count() == 15


def test_localities_and_budget_lines_loaded():
    assert Locality.objects.count() == len(_csv("localities.csv")) == 29
    assert Locality.objects.get(name="Great Yarmouth").under_5 == 2037
    assert Locality.objects.get(is_other=True).name == "Other"
    assert ContractBudgetLine.objects.count() == 5
    assert sum(line.ecfs_indicative_pct for line in ContractBudgetLine.objects.all()) == 100


def test_need_index_ranks_great_yarmouth_and_west_norwich_top_wymondham_and_long_stratton_bottom():
    towns = list(Locality.objects.filter(is_other=False).order_by("-need_index").values_list("name", flat=True))
    assert towns[:2] == ["Great Yarmouth", "West Norwich"]
    assert set(towns[-2:]) == {"Wymondham", "Long Stratton"}
    # An average town scores about 100.
    average = sum(Locality.objects.filter(is_other=False).values_list("need_index", flat=True)) / len(towns)
    assert 99 < average < 101


def test_load_reference_data_twice_changes_nothing():
    snapshot = {
        model: list(model.objects.order_by("pk").values())
        for model in (District, Locality, Base, Venue, ContractBudgetLine)
    }
    report = reference_data_load()
    assert not report.changed
    for model, rows in snapshot.items():
        assert list(model.objects.order_by("pk").values()) == rows


def test_load_reference_data_repairs_an_edited_row():
    District.objects.filter(name="Norwich").update(onsite_group_sessions_pct_2018=1)
    report = reference_data_load()
    assert report.updated == {"District": 1}
    assert District.objects.get(name="Norwich").onsite_group_sessions_pct_2018 == 84


def test_load_reference_data_command_says_nothing_changed(capsys):
    from django.core.management import call_command

    call_command("load_reference_data")
    assert "nothing changed" in capsys.readouterr().out
