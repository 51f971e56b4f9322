"""A parent or carer is at least 10 years older than each child in the family: a mistyped year (a parent "born"
after their child) is refused on the family record, in its corrections and in the import, naming the other date."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from families import services
from families.models import Family, Person
from families.rules import validate_household_ages
from imports import services as import_services
from tests.integrations.helpers import csv_bytes, days_ago, good_row
from tests.referrals.factories import allocated_referral

pytestmark = pytest.mark.django_db
CHILD, PARENT = Person.Kind.CHILD, Person.Kind.PARENT_CARER


def member(kind, born):
    return Person(kind=kind, date_of_birth=born)


def test_the_rule_either_way_round():
    child = member(CHILD, date(2024, 5, 3))
    validate_household_ages(kind=PARENT, date_of_birth=date(2014, 5, 3), others=[child])  # exactly 10 years
    with pytest.raises(ValidationError) as parent_too_young:
        validate_household_ages(kind=PARENT, date_of_birth=date(2014, 5, 4), others=[child])
    assert parent_too_young.value.message_dict == {
        "date_of_birth": [
            "A parent or carer must be at least 10 years older than the children in the family "
            "(a child was born on 3 May 2024)"
        ]
    }
    with pytest.raises(ValidationError, match=r"A child must be born at least 10 years after .* 1 June 2020"):
        validate_household_ages(kind=CHILD, date_of_birth=date(2024, 5, 3), others=[member(PARENT, date(2020, 6, 1))])
    # Other adults, unborn children and unknown dates are not compared.
    validate_household_ages(kind=Person.Kind.OTHER_ADULT, date_of_birth=date(2024, 1, 1), others=[child])
    validate_household_ages(kind=PARENT, date_of_birth=None, others=[child])
    validate_household_ages(kind=PARENT, date_of_birth=date(2025, 1, 1), others=[member(CHILD, None)])


@time_machine.travel("2026-11-03 10:00 +0000", tick=False)
def test_adding_or_correcting_a_member_is_refused_with_nothing_saved(cast):
    family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    child = family.members.filter(kind=CHILD).exclude(date_of_birth=None).first()
    members = family.members.count()
    with pytest.raises(ValidationError, match="at least 10 years older"):
        services.family_member_add(
            family=family,
            actor=cast.worker,
            kind=PARENT,
            first_name="Jade",
            last_name="Gurney",
            date_of_birth=child.date_of_birth.replace(year=child.date_of_birth.year - 3),
            relationship=Person.Relationship.MOTHER,
        )
    assert family.members.count() == members
    parent = services.family_member_add(
        family=family,
        actor=cast.worker,
        kind=PARENT,
        first_name="Jade",
        last_name="Gurney",
        date_of_birth=date(2012, 1, 1),  # a young mother
        relationship=Person.Relationship.MOTHER,
    )
    with pytest.raises(ValidationError, match="A child must be born at least 10 years after"):
        services.person_amend(person=child, actor=cast.worker, reason="Year mistyped", date_of_birth=date(2021, 12, 1))
    with pytest.raises(ValidationError, match="at least 10 years older"):
        services.person_amend(person=parent, actor=cast.worker, reason="Year mistyped", date_of_birth=date(2025, 2, 1))
    parent.refresh_from_db()
    assert parent.date_of_birth == date(2012, 1, 1)


def test_an_import_row_with_a_parent_younger_than_the_child_is_a_row_error(cast):
    row = good_row(cast, parent1_dob=days_ago(300).isoformat(), child1_dob=days_ago(400).isoformat())
    report = import_services.open_cases_import(data=csv_bytes([row]), file_name="open-cases.csv", actor=cast.admin)
    assert [(e.column, e.message) for e in report.errors] == [
        (
            "child1_dob",
            f"A child must be born at least 10 years after the parents and carers in the family (one was born on "
            f"{days_ago(300):%-d %B %Y})",
        )
    ]
    assert not Family.objects.filter(members__first_name="Jade").exists()
