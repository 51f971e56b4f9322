import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone
from guardian.shortcuts import get_perms

from bases.models import Team
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import Allocation, Determinant, Family
from families.selectors import duplicate_candidates, family_list
from families.services import family_reallocate
from referrals import services
from referrals.models import Referral, TriageDecision
from tests.conftest import build_cast

from .factories import (
    accepted_referral,
    allocated_referral,
    child_dob,
    default_people,
    received_referral,
    referral_fields,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_intake_routes_to_team_and_sets_working_day_due_dates(cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    assert referral.reference == f"REF-{referral.pk:06d}"
    assert referral.status == Referral.Status.RECEIVED
    assert referral.routed_team == cast.team
    assert referral.triage_due > timezone.localdate()
    assert referral.first_contact_due > referral.triage_due
    assert referral.people.count() == 2
    assert referral.cin_census_source_code == "3B"
    assert AuditEvent.objects.filter(action="referral.received", object_id=str(referral.uuid)).exists()


def test_intake_without_a_team_routes_to_the_districts_least_busy_team(cast):
    district = cast.team.base.district
    second = Team.objects.create(name="Second team", base=cast.team.base)
    received_referral(team=cast.team, actor=cast.worker)  # Team A has one waiting
    referral = services.referral_create(
        actor=cast.worker,
        people=default_people(),
        reasons=list(Determinant.objects.all()[:1]),
        **referral_fields(cast.team),
    )
    assert referral.routed_team == second
    assert referral.routed_team.base.district == district


@pytest.mark.parametrize(
    ("people", "field", "message"),
    [
        (
            [
                {
                    "kind": "child",
                    "first_name": "A",
                    "last_name": "B",
                    "date_of_birth": timezone.localdate() + timedelta(1),
                }
            ],
            "date_of_birth",
            "must be today or in the past",
        ),
        (
            [{"kind": "child", "first_name": "A", "last_name": "B", "date_of_birth": child_dob(years=6)}],
            "date_of_birth",
            "older than 5",
        ),
        (
            [
                {
                    "kind": "unborn",
                    "first_name": "Baby",
                    "last_name": "B",
                    "expected_date": timezone.localdate() + timedelta(days=320),
                }
            ],
            "expected_date",
            "within 10 months",
        ),
        ([{"kind": "parent_carer", "first_name": "A", "last_name": "B"}], "__all__", "Name at least one child"),
    ],
    ids=["future-dob", "older-than-5", "unborn-too-far-ahead", "no-child"],
)
def test_intake_refuses_bad_people_and_saves_nothing(cast, people, field, message):
    with pytest.raises(ValidationError) as error:
        received_referral(team=cast.team, actor=cast.worker, people=people)
    assert message in " ".join(error.value.message_dict[field])
    assert Referral.objects.count() == 0


def test_intake_refuses_invalid_postcode_and_no_reason(cast):
    with pytest.raises(ValidationError) as error:
        received_referral(team=cast.team, actor=cast.worker, postcode="NOT A CODE")
    assert "Enter a real UK postcode" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=cast.worker, people=default_people(), reasons=[], routed_team=cast.team, **referral_fields(cast.team)
        )
    assert error.value.message_dict["reasons"] == ["Select at least one reason for the referral"]
    assert Referral.objects.count() == 0


def test_accepting_a_new_family_creates_it_from_the_referral(cast):
    referral = accepted_referral(team=cast.team, manager=cast.manager)
    family = referral.family
    assert referral.status == Referral.Status.ACCEPTED
    assert family.reference == f"ECFS-{family.pk:06d}"
    assert family.base == cast.team.base
    assert family.postcode == "NR1 3AB"
    assert family.consent_given and family.consent_date
    assert sorted(family.members.values_list("kind", flat=True)) == ["child", "parent_carer"]
    decision = referral.decisions.get()
    assert (decision.decided_by, decision.reason) == (cast.manager, "meets_threshold")


def test_accept_needs_a_family_choice(cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    with pytest.raises(ValidationError) as error:
        services.referral_decide(
            referral=referral, decision="accept", reason="meets_threshold", notes="ok", actor=cast.manager
        )
    assert "confirm it is a new family" in str(error.value)
    assert Family.objects.count() == 0


def test_decision_without_reason_or_notes_is_refused(cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    with pytest.raises(ValidationError, match="Select a reason that fits"):
        services.referral_decide(
            referral=referral, decision="signpost", reason="meets_threshold", notes="x", actor=cast.manager
        )
    with pytest.raises(ValidationError, match="Explain the decision"):
        services.referral_decide(
            referral=referral, decision="signpost", reason="community_groups", notes="  ", actor=cast.manager
        )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    assert not TriageDecision.objects.exists()


def test_closed_referral_cannot_be_decided_again(cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    services.referral_decide(
        referral=referral, decision="signpost", reason="community_groups", notes="Stay and play", actor=cast.manager
    )
    with pytest.raises(ApplicationError, match="signposted cannot be given the decision"):
        services.referral_decide(
            referral=referral,
            decision="accept",
            reason="meets_threshold",
            notes="x",
            actor=cast.manager,
            new_family=True,
        )


def test_other_teams_manager_and_workers_cannot_triage(cast):
    referral = received_referral(team=cast.team, actor=cast.worker)
    for actor in (cast.other_manager, cast.worker):
        with pytest.raises(ApplicationError, match="Only a team manager at the base"):
            services.referral_decide(
                referral=referral, decision="signpost", reason="community_groups", notes="x", actor=actor
            )


def test_allocation_grants_worker_the_family_and_reallocation_takes_it_away(cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    family = referral.family
    assert referral.status == Referral.Status.ALLOCATED
    assert set(get_perms(cast.worker, family)) >= {"view_family", "change_family"}
    assert family in family_list(user=cast.worker)
    assert family not in family_list(user=cast.colleague)

    with pytest.raises(ValidationError):
        family_reallocate(family=family, worker=cast.colleague, reason=" ", actor=cast.manager)
    family_reallocate(family=family, worker=cast.colleague, reason="Worker on long-term leave", actor=cast.manager)
    assert family not in family_list(user=cast.worker)
    assert family in family_list(user=cast.colleague)
    history = list(family.allocations.order_by("started_at").values_list("worker__email", "ended_at"))
    assert history[0][0] == cast.worker.email and history[0][1] is not None
    assert history[1][0] == cast.colleague.email and history[1][1] is None


def test_allocating_twice_says_who_got_it(cast):
    referral = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    with pytest.raises(ApplicationError, match=f"already been allocated to {cast.worker.get_full_name()}"):
        services.referral_allocate(referral=referral, worker=cast.colleague, actor=cast.manager)


def test_cannot_allocate_to_a_worker_outside_your_teams(cast):
    referral = accepted_referral(team=cast.team, manager=cast.manager)
    with pytest.raises(ApplicationError, match="not in a team you manage"):
        services.referral_allocate(referral=referral, worker=cast.other_worker, actor=cast.manager)
    assert not Allocation.objects.exists()


def test_rereferral_within_12_months_of_closure_is_flagged(cast):
    first = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker)
    family = first.family
    Family.objects.filter(pk=family.pk).update(status="closed", closed_at=timezone.now() - timedelta(days=200))
    again = received_referral(team=cast.team, actor=cast.worker)
    services.referral_decide(
        referral=again,
        decision="accept",
        reason="meets_threshold",
        notes="Back again",
        actor=cast.manager,
        family=family,
    )
    again.refresh_from_db()
    assert again.is_rereferral
    family.refresh_from_db()
    assert family.status == Family.Status.OPEN


def test_duplicate_check_tolerates_case_spacing_and_typos(cast):
    family = accepted_referral(team=cast.team, manager=cast.manager).family
    dob = family.members.get(kind="child").date_of_birth
    # Case and spacing in the postcode, a typo in the surname, the same date of birth.
    found = duplicate_candidates(
        people=[{"first_name": "ALFIE", "last_name": "Howse", "date_of_birth": dob}], postcode="nr13ab"
    )
    assert [c.family for c in found] == [family]
    assert set(found[0].matched_on) == {"name", "date of birth", "postcode"}
    # Day and month swapped, a different postcode: name and date still match.
    swapped = dob.replace(day=dob.month, month=dob.day) if dob.day <= 12 else dob
    found = duplicate_candidates(
        people=[{"first_name": "Alfie", "last_name": "Howes", "date_of_birth": swapped}], postcode="PE30 1AA"
    )
    assert [c.family for c in found] == [family]
    # Nothing in common: no candidate.
    assert (
        duplicate_candidates(
            people=[{"first_name": "Zara", "last_name": "Quinn", "date_of_birth": child_dob(1)}], postcode="IP1 1AA"
        )
        == []
    )


@pytest.mark.django_db(transaction=True)
def test_two_managers_allocating_at_once_keep_exactly_one(on_postgres, reference_data):
    cast = build_cast()
    # A second manager at the same base: two managers triaging at 9am.
    Team.objects.create(name="Team A (second)", base=cast.team.base, manager=cast.other_manager)
    referral = accepted_referral(team=cast.team, manager=cast.manager)

    barrier = threading.Barrier(2)
    outcomes = []

    def allocate(manager, worker):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            services.referral_allocate(referral=referral, worker=worker, actor=manager)
            outcomes.append(("ok", worker.email))
        except ApplicationError as error:
            outcomes.append(("refused", error.message))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=allocate, args=(cast.manager, cast.worker)),
        threading.Thread(target=allocate, args=(cast.other_manager, cast.colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    winner = next(email for kind, email in outcomes if kind == "ok")
    refusal = next(message for kind, message in outcomes if kind == "refused")
    open_allocations = Allocation.objects.filter(family=referral.family, ended_at__isnull=True)
    assert open_allocations.count() == 1
    lead = open_allocations.get()
    assert lead.worker.email == winner
    assert f"already been allocated to {lead.worker.get_full_name()}" in refusal
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.ALLOCATED


@pytest.mark.django_db(transaction=True)
def test_the_same_referral_sent_twice_at_once_is_recorded_once(on_postgres, reference_data):
    """Two requests carrying one referral (a double click, a retried API call) reach the duplicate check together:
    one waits for the other and then finds it, so exactly one is recorded and the other names it."""
    cast = build_cast()
    people = default_people(last_name="Twice")
    reasons = list(Determinant.objects.filter(code="social_networks"))
    fields = referral_fields(cast.team, received_at=timezone.now() - timedelta(minutes=5))
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            referral = services.referral_record(
                actor=cast.manager, people=people, reasons=reasons, routed_team=cast.team, **fields
            )
            outcomes.append(("recorded", referral.reference))
        except ValidationError as error:
            outcomes.append(("refused", " ".join(error.messages)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in outcomes) == ["recorded", "refused"]
    recorded = next(reference for kind, reference in outcomes if kind == "recorded")
    assert f"already recorded as {recorded}" in next(message for kind, message in outcomes if kind == "refused")
    assert Referral.objects.filter(people__last_name="Twice").distinct().count() == 1
