import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.extracts import postcode_outward, pseudonym, pseudonymised_extract
from families.models import Person
from tests.referrals.factories import allocated_referral

from .factories import active_plan, closed_plan

pytestmark = pytest.mark.django_db

SALT = "a-long-enough-salt-0123456789"
OTHER_SALT = "another-salt-that-is-long-enough"


@pytest.fixture
def referral(cast):
    return allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker, postcode="NR30 1AB")


@pytest.fixture
def family(cast, referral):
    family = referral.family
    closed_plan(family=family, worker=cast.worker, manager=cast.manager)
    Person.objects.create(
        family=family,
        kind=Person.Kind.UNBORN,
        first_name="Baby",
        last_name="Howes",
        expected_date=date(2031, 3, 14),
    )
    return family


def _extract(salt=SALT) -> str:
    out = io.StringIO()
    pseudonymised_extract(out=out, salt=salt)
    return out.getvalue()


def _rows(text) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_person_with_pseudonymous_ids(family):
    rows = _rows(_extract())
    people = list(family.members.all())
    assert len(rows) == len(people) == 3
    assert {row["pseudo_family_id"] for row in rows} == {pseudonym(SALT, family.uuid)}
    assert {row["pseudo_person_id"] for row in rows} == {pseudonym(SALT, person.uuid) for person in people}
    assert all(len(row["pseudo_person_id"]) == 16 for row in rows)
    row = rows[0]
    assert row["postcode_outward"] == "NR30"
    assert row["district"] == family.district.name
    assert row["base"] == family.base.name
    assert row["referral_count"] == "1"
    assert row["plan_count"] == "1"
    assert row["latest_plan_status"] == "closed"
    assert row["latest_plan_closure_reason"] == "needs_met"
    assert row["start_score_social_networks"] == "3"
    assert row["latest_score_social_networks"] == "7"


def test_birth_month_not_date(family):
    rows = {row["pseudo_person_id"]: row for row in _rows(_extract())}
    for person in family.members.all():
        row = rows[pseudonym(SALT, person.uuid)]
        if person.kind == Person.Kind.UNBORN:
            assert row["birth_month"] == "2031-03"
        elif person.date_of_birth:
            assert row["birth_month"] == f"{person.date_of_birth:%Y-%m}"
        else:
            assert row["birth_month"] == ""


def test_nothing_identifying_in_the_file(cast, family, referral):
    text = _extract()
    forbidden = [
        family.address_line_1,
        "NR30 1AB",
        "NR301AB",
        str(family.uuid),
        family.uuid.hex,
        family.reference,
        referral.reference,
        str(referral.uuid),
        referral.referrer_name,
        referral.reason_details,
        cast.worker.email,
        "ECFS-",
        "@",
    ]
    for plan in family.plans.all():
        forbidden += [str(plan.uuid), plan.closure_summary]
    for person in family.members.all():
        forbidden += [person.first_name, person.last_name, str(person.uuid), person.uuid.hex]
        for day in (person.date_of_birth, person.expected_date):
            if day:
                forbidden += [day.isoformat(), f"{day:%d/%m/%Y}", f"{day:%Y%m%d}"]
    for value in forbidden:
        assert value
        assert value.lower() not in text.lower(), value
    # The inward code ("1AB") could turn up inside a hex pseudo id by chance, so look for it outside them.
    for row in _rows(text):
        values = [value for column, value in row.items() if not column.startswith("pseudo_")]
        assert not any("1ab" in value.lower() for value in values), row


def test_same_salt_same_ids_different_salt_unlinkable(family):
    first, again, other = _rows(_extract()), _rows(_extract()), _rows(_extract(OTHER_SALT))
    ids = {(row["pseudo_family_id"], row["pseudo_person_id"]) for row in first}
    assert ids == {(row["pseudo_family_id"], row["pseudo_person_id"]) for row in again}
    other_ids = {value for row in other for value in (row["pseudo_family_id"], row["pseudo_person_id"])}
    assert not other_ids & {value for pair in ids for value in pair}


@pytest.mark.parametrize("salt", ["", "too-short-salt"])
def test_missing_or_short_salt_refused(salt):
    with pytest.raises(ApplicationError):
        pseudonymised_extract(out=io.StringIO(), salt=salt)


def test_postcode_outward():
    assert postcode_outward("NR30 1AB") == "NR30"
    assert postcode_outward("nr301ab") == "NR30"
    assert postcode_outward("IP1 2AB") == "IP1"
    assert postcode_outward("") == ""


def test_queries_bounded(cast, family):
    allocated_referral(team=cast.team, manager=cast.manager, worker=cast.colleague, postcode="NR1 3AB")
    second = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker, postcode="NR2 4AB")
    active_plan(family=second.family, worker=cast.worker, manager=cast.manager)
    with CaptureQueriesContext(connection) as captured:
        rows = _rows(_extract())
    assert len({row["pseudo_family_id"] for row in rows}) == 3
    assert len(captured) <= 6, len(captured)  # determinants, families, people, plans, assessments, scores


def test_command_writes_the_file_and_audits(cast, family, tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACT_SALT", SALT)
    out = tmp_path / "extract.csv"
    call_command("pseudonymised_extract", "--out", str(out), "--actor", cast.admin.email, stdout=io.StringIO())
    rows = _rows(out.read_text(encoding="utf-8"))
    assert {row["pseudo_family_id"] for row in rows} == {pseudonym(SALT, family.uuid)}
    event = AuditEvent.objects.get(action="extract.pseudonymised")
    assert event.actor == cast.admin
    assert event.changes["rows"] == 3


def test_command_uses_the_named_variable(cast, family, tmp_path, monkeypatch):
    monkeypatch.delenv("EXTRACT_SALT", raising=False)
    monkeypatch.setenv("MY_SALT", OTHER_SALT)
    out = tmp_path / "extract.csv"
    call_command(
        "pseudonymised_extract",
        "--out",
        str(out),
        "--salt-env",
        "MY_SALT",
        "--actor",
        cast.admin.email,
        stdout=io.StringIO(),
    )
    assert {row["pseudo_family_id"] for row in _rows(out.read_text())} == {pseudonym(OTHER_SALT, family.uuid)}


@pytest.mark.parametrize("salt", [None, "", "short"])
def test_command_refuses_missing_or_short_salt(cast, tmp_path, monkeypatch, salt):
    if salt is None:
        monkeypatch.delenv("EXTRACT_SALT", raising=False)
    else:
        monkeypatch.setenv("EXTRACT_SALT", salt)
    out = tmp_path / "extract.csv"
    with pytest.raises(CommandError, match="salt"):
        call_command("pseudonymised_extract", "--out", str(out), "--actor", cast.admin.email)
    assert not out.exists()
    assert not AuditEvent.objects.filter(action="extract.pseudonymised").exists()


def test_command_refuses_unknown_actor(tmp_path, monkeypatch, db):
    monkeypatch.setenv("EXTRACT_SALT", SALT)
    with pytest.raises(CommandError, match="No active user"):
        call_command("pseudonymised_extract", "--out", str(tmp_path / "x.csv"), "--actor", "nobody@example.org")
