"""A manager's name search (families.search._named_in_scope: the distinct names in their bases matched by
trigrams on PostgreSQL) finds what a worker's does: typos, accents, hyphens, every word, best first, and only
their bases' families."""

import pytest

from families.models import Family
from tests.families.test_search import family, found

pytestmark = pytest.mark.django_db


def test_a_manager_finds_misspelt_names_best_match_first(cast, on_postgres):
    johnson, _ = family(cast, "Kerry", "Johnson")
    jonsen, _ = family(cast, "Lee", "Jonsen", postcode="PE30 1AA")
    assert set(found(cast.manager, "Jonson")) == {johnson.reference, jonsen.reference}
    assert found(cast.manager, "Johnsen")[0] == johnson.reference
    assert found(cast.manager, "Jonsen")[0] == jonsen.reference
    assert found(cast.manager, "Kery Jonhson") == [johnson.reference]
    assert found(cast.manager, "Alfie Jonsen")[0] == jonsen.reference


def test_a_manager_finds_accented_and_hyphenated_names_and_short_words(cast):
    zoe, _ = family(cast, "Zoë", "O'Brien-Smith")
    for query in ("zoe", "obrien-smith", "O'Brien Smith", "Smith", "Zo"):
        assert found(cast.manager, query) == [zoe.reference], query


def test_a_managers_exact_name_comes_before_a_near_one(cast, on_postgres):
    smyth, _ = family(cast, "Ann", "Smyth")
    smith, _ = family(cast, "Bea", "Smith", postcode="PE30 1AA")
    assert found(cast.manager, "Smith") == [smith.reference, smyth.reference]


def test_a_manager_finds_only_their_bases_families_and_restricted_ones_they_are_named_on(cast, deputy):
    theirs, _ = family(
        cast, "Kerry", "Howes", team=cast.other_team, manager=cast.other_manager, worker=cast.other_worker
    )
    mine, _ = family(cast, "Lee", "Howse", postcode="PE30 1AA")
    assert theirs.reference not in found(cast.manager, "Howes")
    assert theirs.reference not in found(cast.manager, "Kerry Howes")
    Family.objects.filter(pk=mine.pk).update(restricted=True)
    mine.restricted_to.add(cast.manager)
    assert found(cast.manager, "Lee Howse") == [mine.reference]
    assert found(deputy, "Lee Howse") == []
