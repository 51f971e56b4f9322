"""A child's funded early education (issue #16, definition 6): recorded per child, once, through one service that
the family record's page, the API and the import file share; the household flag it replaced is carried over."""

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecfs.audit.actions import AuditAction
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families import services
from families.models import Person
from families.views import early_education_status
from tests.referrals.factories import allocated_referral

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 3, 10), tick=False):
        yield


@pytest.fixture
def family(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family


def add(family, cast, *, kind=Person.Kind.CHILD, born=date(2023, 11, 20), first_name="Ruby"):
    """A child born 20 Nov 2023: second birthday 20 Nov 2025, third 20 Nov 2026."""
    return services.family_member_add(
        family=family,
        actor=cast.worker,
        kind=kind,
        first_name=first_name,
        last_name="Gurney",
        date_of_birth=born,
        relationship=Person.Relationship.SUBJECT_CHILD if kind == Person.Kind.CHILD else Person.Relationship.MOTHER,
    )


@pytest.fixture
def child(family, cast):
    return add(family, cast)


def record(child, actor, *, eligible=True, started_on=None, setting=""):
    return services.child_early_education_record(
        person=child, eligible_2yo=eligible, started_on=started_on, setting=setting, actor=actor
    )


def unchanged(child):
    child.refresh_from_db()
    return (child.funded_education_eligible, child.funded_education_started_on, child.funded_education_setting) == (
        False,
        None,
        "",
    )


# The service -------------------------------------------------------------------------------------------------


def test_the_allocated_worker_records_an_eligible_two_year_olds_place_and_it_is_audited(cast, child):
    record(child, cast.worker, started_on=date(2026, 1, 5), setting="  Little Acorns  ")

    child.refresh_from_db()
    assert child.funded_education_eligible is True
    assert child.funded_education_started_on == date(2026, 1, 5)
    assert child.funded_education_setting == "Little Acorns"
    event = AuditEvent.objects.get(action=AuditAction.PERSON_EARLY_EDUCATION)
    assert (event.actor, event.family_id) == (cast.worker, child.family_id)
    assert event.changes["funded_education_started_on"] == {"old": None, "new": "2026-01-05"}


def test_a_manager_of_the_base_may_record_it_and_saving_the_same_again_audits_nothing_more(cast, child):
    record(child, cast.manager, eligible=True)
    record(child, cast.manager, eligible=True)

    assert AuditEvent.objects.filter(action=AuditAction.PERSON_EARLY_EDUCATION).count() == 1


@pytest.mark.parametrize("who", ["colleague", "other_worker", "other_manager", "admin"])
def test_nobody_but_the_allocated_worker_or_the_bases_manager_may_record_it(cast, child, who):
    with pytest.raises(PermissionDenied):
        record(child, getattr(cast, who))
    assert unchanged(child)


def test_only_a_child_aged_0_to_5_has_early_education(cast, family):
    parent = add(family, cast, kind=Person.Kind.PARENT_CARER, born=date(1995, 1, 1), first_name="Jade")
    with pytest.raises(ApplicationError, match="child aged 0 to 5"):
        record(parent, cast.worker)


def test_a_place_cannot_start_in_the_future(cast, child):
    with pytest.raises(ValidationError) as refused:
        record(child, cast.worker, started_on=date(2026, 3, 11))
    assert refused.value.message_dict == {
        "funded_education_started_on": ["The date the funded place started must be today or in the past"]
    }
    assert unchanged(child)


def test_a_place_cannot_start_before_the_second_birthday(cast, child):
    with pytest.raises(ValidationError) as refused:
        record(child, cast.worker, started_on=date(2025, 11, 19))
    assert refused.value.message_dict == {
        "funded_education_started_on": [
            "A funded place cannot start before the child's second birthday (20 November 2025)"
        ]
    }
    assert unchanged(child)


def test_a_place_before_the_third_birthday_needs_eligibility_for_a_two_year_old_place(cast, child):
    with pytest.raises(ValidationError) as refused:
        record(child, cast.worker, eligible=False, started_on=date(2026, 1, 5))
    assert list(refused.value.message_dict) == ["funded_education_eligible"]
    assert "eligible for a 2-year-old place" in refused.value.message_dict["funded_education_eligible"][0]
    assert unchanged(child)


def test_a_place_from_the_third_birthday_needs_no_eligibility(cast, family):
    three = add(family, cast, born=date(2022, 9, 1), first_name="Noah")
    record(three, cast.worker, eligible=False, started_on=date(2026, 1, 5), setting="Rainbow Nursery")

    three.refresh_from_db()
    assert (three.funded_education_eligible, three.funded_education_started_on) == (False, date(2026, 1, 5))


def test_a_setting_without_a_start_date_is_refused(cast, child):
    with pytest.raises(ValidationError) as refused:
        record(child, cast.worker, setting="Little Acorns")
    assert list(refused.value.message_dict) == ["funded_education_started_on"]
    assert unchanged(child)


# The family record and its page ------------------------------------------------------------------------------


def test_the_family_record_shows_each_young_childs_early_education_and_a_link(client, cast, family, child):
    five = add(family, cast, born=date(2021, 1, 1), first_name="Max")  # 5: past the family record's column
    record(child, cast.worker, started_on=date(2025, 12, 1), setting="Little Acorns")
    client.force_login(cast.worker)

    page = client.get(reverse("family-detail", args=[family.reference])).content.decode()

    assert "Funded place since 1 Dec 2025 at Little Acorns" in page
    assert "Not recorded" in page  # the referral's child
    assert reverse("person-early-education", args=[family.reference, child.uuid]) in page
    assert reverse("person-early-education", args=[family.reference, five.uuid]) not in page


def test_the_status_the_family_record_shows():
    child = Person(kind=Person.Kind.CHILD, date_of_birth=date(2023, 11, 20))
    assert early_education_status(child, TODAY) == "Not recorded"
    child.funded_education_eligible = True
    assert early_education_status(child, TODAY) == "Eligible for a 2-year-old place"
    child.funded_education_started_on = date(2026, 9, 3)
    child.funded_education_setting = "Little Acorns"
    assert early_education_status(child, TODAY) == "Funded place since 3 Sep 2026 at Little Acorns"
    assert early_education_status(Person(kind=Person.Kind.PARENT_CARER, date_of_birth=date(1990, 1, 1)), TODAY) is None


def _page(family, child):
    return reverse("person-early-education", args=[family.reference, child.uuid])


def _form(eligible=True, started: date | None = None, setting=""):
    data = {"funded_education_setting": setting}
    if eligible:
        data["funded_education_eligible"] = "on"
    if started:
        data.update(
            funded_education_started_on_day=str(started.day),
            funded_education_started_on_month=str(started.month),
            funded_education_started_on_year=str(started.year),
        )
    return data


def test_the_page_shows_the_form_and_saves_through_the_service(client, cast, family, child):
    client.force_login(cast.worker)
    assert client.get(_page(family, child)).status_code == 200

    response = client.post(_page(family, child), _form(started=date(2026, 1, 5), setting="Little Acorns"))

    assert response.status_code == 302
    assert response["Location"] == reverse("family-detail", args=[family.reference])
    child.refresh_from_db()
    assert (child.funded_education_eligible, child.funded_education_started_on, child.funded_education_setting) == (
        True,
        date(2026, 1, 5),
        "Little Acorns",
    )


def test_the_page_refuses_bad_input_with_messages_and_saves_nothing(client, cast, family, child):
    client.force_login(cast.worker)

    before_birthday = client.post(_page(family, child), _form(started=date(2025, 6, 1)))
    not_eligible = client.post(_page(family, child), _form(eligible=False, started=date(2026, 1, 5)))
    setting_only = client.post(_page(family, child), _form(setting="Little Acorns"))

    assert before_birthday.status_code == not_eligible.status_code == setting_only.status_code == 400
    assert "before the child&#x27;s second birthday" in before_birthday.content.decode()
    assert "eligible for a 2-year-old place" in not_eligible.content.decode()
    assert "Enter the date the funded place started" in setting_only.content.decode()
    assert unchanged(child)
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_EARLY_EDUCATION).exists()


def test_the_page_is_for_children_only(client, cast, family):
    parent = add(family, cast, kind=Person.Kind.PARENT_CARER, born=date(1995, 1, 1), first_name="Jade")
    client.force_login(cast.worker)
    assert client.get(_page(family, parent)).status_code == 404


# The household flag carried over -----------------------------------------------------------------------------

CARRY_OVER = importlib.import_module("families.migrations.0008_early_education_per_child")


class _HistoricalApps:
    """A stand-in for the migration's ``apps``: the families with the flag set are ``flagged_family_ids`` (the
    field is gone from today's model). Migrating back and forth inside a test is refused by PostgreSQL (pending
    trigger events), so the migration's function is called directly."""

    def __init__(self, flagged_family_ids):
        self.flagged = flagged_family_ids

    def get_model(self, app_label, name):
        model = django_apps.get_model(app_label, name)
        if name != "Family":
            return model
        flagged = self.flagged

        class _Families:
            objects = type("M", (), {"filter": staticmethod(lambda **kw: model.objects.filter(pk__in=flagged))})()

        return _Families


def test_the_household_flag_marks_its_children_aged_two_today_as_eligible_and_leaves_the_rest(cast, family):
    referrals_child = family.members.get(kind=Person.Kind.CHILD)  # born 2 years and 30 days ago
    two = add(family, cast, born=date(2023, 11, 20), first_name="Two")  # 2 on 10 Mar 2026
    just_two = add(family, cast, born=date(2024, 3, 10), first_name="Birthday")  # 2 today
    one = add(family, cast, born=date(2024, 3, 11), first_name="One")  # 2 tomorrow
    three = add(family, cast, born=date(2023, 3, 10), first_name="Three")  # 3 today
    other = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
    unflagged_two = add(other, cast, born=date(2023, 11, 20), first_name="Elsewhere")

    CARRY_OVER.carry_over(_HistoricalApps([family.pk]), None)

    eligible = set(Person.objects.filter(funded_education_eligible=True).values_list("pk", flat=True))
    assert eligible == {referrals_child.pk, two.pk, just_two.pk}
    assert not eligible & {one.pk, three.pk, unflagged_two.pk}
