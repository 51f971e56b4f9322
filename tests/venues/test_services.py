import threading
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import SupportPlan
from tests.conftest import build_cast
from venues import selectors, services
from venues.models import Attendance, Enrolment, GroupCourse, GroupSession, ParentMeasure

from .factories import (
    add_parents,
    course,
    enrolled,
    family_of,
    group_plan,
    outreach_venue,
    parent_of,
    past_sessions,
    programme,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

TARGETED_REFERRAL = GroupCourse.OfferType.TARGETED_REFERRAL
UNIVERSAL = GroupCourse.OfferType.UNIVERSAL


# Courses and sessions -------------------------------------------------------------------------------


def test_course_generates_weekly_sessions_at_the_local_start_time(cast):
    start = timezone.localdate() + timedelta(days=3)
    the_course = course(cast=cast, start_date=start, sessions=8)
    sessions = list(the_course.sessions.order_by("number"))
    assert [s.number for s in sessions] == list(range(1, 9))
    assert [timezone.localdate(s.starts_at) for s in sessions] == [start + timedelta(weeks=n) for n in range(8)]
    # The clock time stays 10:00 local even across a change to or from British Summer Time.
    assert {timezone.localtime(s.starts_at).time() for s in sessions} == {time(10, 0)}
    assert {s.venue_id for s in sessions} == {the_course.venue_id}
    assert {s.duration_minutes for s in sessions} == {90}
    assert list(the_course.facilitators.all()) == [cast.worker]


@pytest.mark.parametrize("member", ["worker", "manager"])
def test_team_staff_can_set_up_a_course(cast, member):
    assert course(cast=cast, actor=getattr(cast, member)).team == cast.team


@pytest.mark.parametrize("member", ["other_worker", "other_manager", "commissioner", "admin"])
def test_only_the_teams_staff_can_set_up_its_courses(cast, member):
    with pytest.raises(ApplicationError, match="Only a manager or a worker of the team"):
        course(cast=cast, actor=getattr(cast, member))
    assert not GroupCourse.objects.exists() and not GroupSession.objects.exists()


def test_session_moves_to_another_date_and_venue(cast):
    the_course = course(cast=cast, start_date=timezone.localdate() + timedelta(days=1))
    session = the_course.sessions.get(number=2)
    hall = outreach_venue(cast.team.base.district)
    new_start = session.starts_at + timedelta(days=1, hours=3)
    services.session_move(session=session, actor=cast.colleague, starts_at=new_start, venue=hall)
    session.refresh_from_db()
    assert session.starts_at == new_start and session.venue == hall
    assert AuditEvent.objects.filter(action="group_session.moved", object_id=str(session.uuid)).exists()


def test_cancelling_needs_a_reason_and_stops_moves(cast):
    session = course(cast=cast).sessions.get(number=6)
    with pytest.raises(ValidationError) as error:
        services.session_cancel(session=session, actor=cast.worker, reason="  ")
    assert error.value.message_dict == {"reason": ["Enter why the session is cancelled"]}
    services.session_cancel(session=session, actor=cast.worker, reason="Venue flooded")
    session.refresh_from_db()
    assert session.status == GroupSession.Status.CANCELLED and session.cancel_reason == "Venue flooded"
    with pytest.raises(ApplicationError, match="cancelled, so it cannot be moved"):
        services.session_move(session=session, actor=cast.worker, starts_at=session.starts_at, venue=session.venue)


def test_other_teams_worker_cannot_cancel_a_session(cast):
    session = course(cast=cast).sessions.first()
    with pytest.raises(ApplicationError):
        services.session_cancel(session=session, actor=cast.other_worker, reason="No")
    session.refresh_from_db()
    assert session.status == GroupSession.Status.SCHEDULED


# Enrolment ------------------------------------------------------------------------------------------


def test_over_capacity_enrolment_is_refused_and_saves_nothing(cast):
    family = family_of(cast)
    people = [parent_of(family), *add_parents(family, 2, actor=cast.worker)]
    the_course = course(cast=cast, capacity=2)
    enrolled(the_course, people[:2], actor=cast.worker)
    audits = AuditEvent.objects.count()
    with pytest.raises(ApplicationError, match="This course is full: all 2 places are taken"):
        services.enrolment_create(course=the_course, person=people[2], actor=cast.worker)
    assert the_course.enrolments.count() == 2
    assert AuditEvent.objects.count() == audits


def test_a_person_is_enrolled_once(cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    services.enrolment_create(course=the_course, person=parent_of(family), actor=cast.worker)
    with pytest.raises(ApplicationError, match="already enrolled"):
        services.enrolment_create(course=the_course, person=parent_of(family), actor=cast.worker)


def test_withdrawing_frees_the_place(cast):
    family = family_of(cast)
    first, second = parent_of(family), add_parents(family, 1, actor=cast.worker)[0]
    the_course = course(cast=cast, capacity=1)
    (enrolment,) = enrolled(the_course, [first], actor=cast.worker)
    services.enrolment_withdraw(enrolment=enrolment, actor=cast.worker)
    services.enrolment_create(course=the_course, person=second, actor=cast.worker)
    assert the_course.enrolments.filter(withdrawn_at__isnull=True).get().person == second


def test_targeted_course_by_referral_needs_an_open_group_plan(cast):
    family = family_of(cast)
    the_course = course(cast=cast, offer_type=TARGETED_REFERRAL)
    group_plan(family, worker=cast.worker, kind=SupportPlan.Kind.ONE_TO_ONE, status=SupportPlan.Status.ACTIVE)
    with pytest.raises(ApplicationError, match="no draft or active group support plan"):
        services.enrolment_create(course=the_course, person=parent_of(family), actor=cast.worker)
    assert not Enrolment.objects.exists()

    plan = group_plan(family, worker=cast.worker, status=SupportPlan.Status.PENDING_ACTIVATION)
    enrolment = services.enrolment_create(course=the_course, person=parent_of(family), actor=cast.worker)
    assert enrolment.plan == plan
    assert AuditEvent.objects.filter(action="group_enrolment.created", family=family).exists()


def test_universal_courses_take_no_enrolments(cast):
    family = family_of(cast)
    with pytest.raises(ApplicationError, match="do not take enrolments"):
        services.enrolment_create(
            course=course(cast=cast, offer_type=UNIVERSAL), person=parent_of(family), actor=cast.worker
        )


def test_enrolling_needs_sight_of_the_family(cast):
    family = family_of(cast)  # allocated to the worker, not to their colleague
    with pytest.raises(ApplicationError, match="families you work with"):
        services.enrolment_create(course=course(cast=cast), person=parent_of(family), actor=cast.colleague)
    assert not Enrolment.objects.exists()


# Registers ------------------------------------------------------------------------------------------


def test_register_marks_everyone_present_or_absent(cast):
    family = family_of(cast)
    people = [parent_of(family), *add_parents(family, 2, actor=cast.worker)]
    the_course = course(cast=cast)
    a, b, c = enrolled(the_course, people, actor=cast.worker)
    session = past_sessions(the_course)[0]
    services.register_take(session=session, actor=cast.manager, attended={a.uuid, b.uuid})
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "attended"))
    assert marks == {a.pk: True, b.pk: True, c.pk: False}
    session.refresh_from_db()
    assert session.register_taken_by == cast.manager
    assert AuditEvent.objects.filter(action="group_attendance.recorded", family=family).count() == 3


# Correcting a register ----------------------------------------------------------------------------


def _taken_register(cast, taker):
    """A past session of a course the worker facilitates, three of a family enrolled, the first two marked
    present by ``taker``."""
    family = family_of(cast)
    people = [parent_of(family), *add_parents(family, 2, actor=cast.worker)]
    the_course = course(cast=cast)
    enrolments = enrolled(the_course, people, actor=cast.worker)
    session = past_sessions(the_course)[0]
    a, b, _ = enrolments
    services.register_take(session=session, actor=taker, attended={a.uuid, b.uuid})
    return family, session, enrolments


@pytest.mark.parametrize(("taker", "corrector"), [("worker", "worker"), ("worker", "manager"), ("manager", "manager")])
def test_whoever_took_the_register_or_a_base_manager_corrects_it_keeping_the_original(cast, taker, corrector):
    family, session, (a, b, c) = _taken_register(cast, getattr(cast, taker))
    actor = getattr(cast, corrector)
    services.register_take(session=session, actor=actor, attended={a.uuid, c.uuid}, reason="Sam came, not Bo")
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "attended"))
    assert marks == {a.pk: True, b.pk: False, c.pk: True}
    row = Attendance.objects.get(session=session, enrolment=b)
    assert [(h.attended, h.history_change_reason or "") for h in row.history.order_by("history_date")] == [
        (True, ""),
        (False, "Sam came, not Bo"),
    ]
    assert row.history.latest().history_user == actor
    session.refresh_from_db()
    assert session.register_taken_by == getattr(cast, taker)  # who took it stays; the correction is on top
    amended = AuditEvent.objects.filter(action="group_session.register_amended")
    assert amended.filter(family=family).count() == 2  # b and c changed
    assert amended.filter(family=family, summary__endswith="(register corrected: Sam came, not Bo)").count() == 2
    # The session's own event counts the changes; the reason, which may name people, is only on the families'.
    (session_event,) = amended.filter(family__isnull=True)
    assert session_event.summary.endswith("(2 marks changed)") and "Sam" not in str(session_event.changes)


def test_a_facilitator_who_did_not_take_the_register_cannot_correct_it(cast):
    _, session, (a, _, _) = _taken_register(cast, cast.manager)
    with pytest.raises(ApplicationError, match="Only the person who took this register or a team manager"):
        services.register_take(session=session, actor=cast.worker, attended=set(), reason="Wrong")
    assert Attendance.objects.filter(session=session, attended=True).count() == 2
    assert not AuditEvent.objects.filter(action="group_session.register_amended").exists()


@pytest.mark.parametrize("member", ["colleague", "other_manager", "other_worker"])
def test_staff_who_do_not_take_the_register_cannot_correct_it(cast, member):
    _, session, _ = _taken_register(cast, cast.worker)
    with pytest.raises(ApplicationError):
        services.register_take(session=session, actor=getattr(cast, member), attended=set(), reason="Wrong")
    assert Attendance.objects.filter(session=session, attended=True).count() == 2


def test_a_correction_needs_a_reason_and_a_change(cast):
    _, session, (a, b, _) = _taken_register(cast, cast.worker)
    with pytest.raises(ValidationError) as error:
        services.register_take(session=session, actor=cast.worker, attended={a.uuid}, reason="  ")
    assert error.value.message_dict == {"reason": ["Say why the register is being corrected"]}
    with pytest.raises(ValidationError) as error:
        services.register_take(session=session, actor=cast.worker, attended={a.uuid, b.uuid}, reason="Checked")
    assert error.value.message_dict == {"reason": ["Nothing was changed: correct at least one mark or count"]}
    assert Attendance.objects.filter(session=session, attended=True).count() == 2
    assert all(not h.history_change_reason for h in Attendance.history.all())


def test_register_amendments_say_who_when_why_and_what_was_there(cast):
    _, session, (a, b, c) = _taken_register(cast, cast.worker)
    assert selectors.register_amendments(session=session, user=cast.worker) == []
    services.register_take(session=session, actor=cast.manager, attended={a.uuid, c.uuid}, reason="Sam came")
    (amendment,) = selectors.register_amendments(session=session, user=cast.worker)
    assert amendment.who == cast.manager.get_full_name() and amendment.reason == "Sam came"
    assert sorted((change.field, change.old, change.new) for change in amendment.changes) == sorted(
        [(b.person.full_name, "attended", "absent"), (c.person.full_name, "absent", "attended")]
    )


def test_a_register_taken_before_history_was_kept_shows_what_the_correction_replaced(cast):
    _, session, (a, b, _) = _taken_register(cast, cast.worker)
    Attendance.history.all().delete()
    GroupSession.history.all().delete()
    services.register_take(session=session, actor=cast.worker, attended={a.uuid}, reason="Bo left before it began")
    (amendment,) = selectors.register_amendments(session=session, user=cast.worker)
    assert [(change.field, change.old, change.new) for change in amendment.changes] == [
        (b.person.full_name, "attended", "absent")
    ]


def test_corrected_walk_in_counts_keep_the_counts_they_replaced(cast):
    session = past_sessions(course(cast=cast, offer_type=UNIVERSAL))[0]
    services.register_take(session=session, actor=cast.worker, attended=set(), walk_in_adults=7, walk_in_children=0)
    services.register_take(
        session=session, actor=cast.worker, attended=set(), walk_in_adults=5, walk_in_children=3, reason="Miscounted"
    )
    session.refresh_from_db()
    assert (session.walk_in_adults, session.walk_in_children) == (5, 3)
    (amendment,) = selectors.register_amendments(session=session, user=cast.worker)
    assert [(change.field, change.old, change.new) for change in amendment.changes] == [
        ("adults who walked in", "7", "5"),
        ("children who walked in", "0", "3"),
    ]


def test_the_returns_count_the_corrected_register(cast):
    family, session, (a, b, c) = _taken_register(cast, cast.worker)
    day = timezone.localdate(session.starts_at)
    (row,) = selectors.attendance_summary(start=day, end=day)
    assert row["enrolled_attendances"] == 2
    services.register_take(session=session, actor=cast.worker, attended={a.uuid, b.uuid, c.uuid}, reason="Missed")
    (row,) = selectors.attendance_summary(start=day, end=day)
    assert (row["enrolled_attendances"], row["unique_families"]) == (3, 1)
    services.register_take(session=session, actor=cast.manager, attended=set(), reason="Wrong session's sheet")
    assert selectors.attendance_summary(start=day, end=day)[0]["enrolled_attendances"] == 0
    assert selectors.unique_families_attending(start=day, end=day) == 0


def test_register_for_a_cancelled_session_is_refused_and_saves_nothing(cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    (enrolment,) = enrolled(the_course, [parent_of(family)], actor=cast.worker)
    session = past_sessions(the_course)[0]
    services.session_cancel(session=session, actor=cast.worker, reason="Facilitator ill")
    with pytest.raises(ApplicationError, match="This session was cancelled, so no register can be taken"):
        services.register_take(session=session, actor=cast.worker, attended={enrolment.uuid})
    session.refresh_from_db()
    assert session.register_taken_at is None
    assert not Attendance.objects.exists()


def test_register_for_a_future_session_is_refused(cast):
    family = family_of(cast)
    the_course = course(cast=cast, start_date=timezone.localdate() + timedelta(days=2))
    (enrolment,) = enrolled(the_course, [parent_of(family)], actor=cast.worker)
    with pytest.raises(ApplicationError, match="take the register on the day or afterwards"):
        services.register_take(session=the_course.sessions.first(), actor=cast.worker, attended={enrolment.uuid})
    assert not Attendance.objects.exists()


def test_universal_register_counts_walk_ins_and_names_known_families(cast):
    family = family_of(cast)
    session = past_sessions(course(cast=cast, offer_type=UNIVERSAL))[0]
    services.register_take(
        session=session,
        actor=cast.worker,
        attended=set(),
        walk_in_adults=7,
        walk_in_children=9,
        walk_in_families=[family],
    )
    session.refresh_from_db()
    assert (session.walk_in_adults, session.walk_in_children) == (7, 9)
    assert list(Attendance.objects.filter(session=session).values_list("family", "enrolment", "attended")) == [
        (family.pk, None, True)
    ]
    # Taken off in a correction: kept, but as not attended.
    services.register_take(
        session=session, actor=cast.worker, attended=set(), walk_in_adults=6, walk_in_children=9, reason="Not them"
    )
    assert list(Attendance.objects.filter(session=session).values_list("attended", flat=True)) == [False]


@pytest.mark.parametrize(("adults", "children", "field"), [(-1, 0, "walk_in_adults"), (2, -3, "walk_in_children")])
def test_negative_walk_in_counts_are_refused(cast, adults, children, field):
    session = past_sessions(course(cast=cast, offer_type=UNIVERSAL))[0]
    with pytest.raises(ValidationError) as error:
        services.register_take(
            session=session, actor=cast.worker, attended=set(), walk_in_adults=adults, walk_in_children=children
        )
    assert field in error.value.message_dict
    session.refresh_from_db()
    assert session.register_taken_at is None


def test_other_teams_worker_cannot_take_the_register(cast):
    session = past_sessions(course(cast=cast))[0]
    with pytest.raises(ApplicationError):
        services.register_take(session=session, actor=cast.other_worker, attended=set())


# Measures and completion ----------------------------------------------------------------------------


@pytest.mark.parametrize(("confidence", "wellbeing", "field"), [(0, 5, "confidence"), (5, 11, "wellbeing")])
def test_scores_outside_1_to_10_are_refused_and_save_nothing(cast, confidence, wellbeing, field):
    family = family_of(cast)
    (enrolment,) = enrolled(course(cast=cast), [parent_of(family)], actor=cast.worker)
    with pytest.raises(ValidationError) as error:
        services.parent_measure_record(
            enrolment=enrolment, stage="pre", confidence=confidence, wellbeing=wellbeing, actor=cast.worker
        )
    assert "from 1 to 10" in error.value.message_dict[field][0]
    assert not ParentMeasure.objects.exists()


def test_recording_a_stage_again_corrects_it(cast):
    family = family_of(cast)
    (enrolment,) = enrolled(course(cast=cast), [parent_of(family)], actor=cast.worker)
    services.parent_measure_record(enrolment=enrolment, stage="pre", confidence=3, wellbeing=4, actor=cast.worker)
    services.parent_measure_record(enrolment=enrolment, stage="pre", confidence=2, wellbeing=4, actor=cast.worker)
    assert list(ParentMeasure.objects.values_list("stage", "confidence")) == [("pre", 2)]


def test_measures_are_for_parents_on_targeted_courses(cast):
    family = family_of(cast)
    child = family.members.get(kind="child")
    (enrolment,) = enrolled(course(cast=cast), [child], actor=cast.worker)
    with pytest.raises(ApplicationError, match="parents and carers"):
        services.parent_measure_record(enrolment=enrolment, stage="pre", confidence=3, wellbeing=4, actor=cast.worker)


def _attend(the_course, enrolment, actor, attended_numbers):
    for session in the_course.sessions.filter(status="scheduled").order_by("number"):
        attended = {enrolment.uuid} if session.number in attended_numbers else set()
        services.register_take(session=session, actor=actor, attended=attended)


@pytest.mark.parametrize(
    ("attended", "cancelled", "completed"),
    [
        ({1, 2, 3, 4}, set(), True),  # 4 of 6 is exactly two thirds
        ({1, 2, 3}, set(), False),  # 3 of 6 is not
        ({1, 2, 3, 4}, {6}, True),  # 4 of the 5 held
        ({1, 2, 3}, {5, 6}, True),  # 3 of the 4 held
        ({1, 2}, {6}, False),  # 2 of 5
    ],
)
def test_completion_is_attending_two_thirds_of_the_sessions_held(cast, attended, cancelled, completed):
    family = family_of(cast)
    the_course = course(cast=cast, start_date=timezone.localdate() - timedelta(weeks=6))
    (enrolment,) = enrolled(the_course, [parent_of(family)], actor=cast.worker)
    for number in cancelled:
        services.session_cancel(session=the_course.sessions.get(number=number), actor=cast.worker, reason="Snow")
    _attend(the_course, enrolment, cast.worker, attended)
    row = selectors.with_completion(Enrolment.objects.filter(pk=enrolment.pk)).get()
    assert (row.sessions_attended, row.sessions_held) == (len(attended), 6 - len(cancelled))
    assert row.completed is completed
    assert selectors.is_completed(sessions_attended=len(attended), sessions_held=6 - len(cancelled)) is completed


# The returns ----------------------------------------------------------------------------------------


def test_return_selectors_count_sessions_attendances_completion_and_change(cast):
    today = timezone.localdate()
    start = today - timedelta(weeks=6)
    family, other = family_of(cast, last_name="Ames"), family_of(cast, last_name="Bird")
    targeted = course(cast=cast, start_date=start, sessions=3)
    hall = outreach_venue(cast.team.base.district)
    universal = course(cast=cast, offer_type=UNIVERSAL, start_date=start, sessions=2, venue=hall)
    a, b = enrolled(targeted, [parent_of(family), parent_of(other)], actor=cast.worker)
    _attend(targeted, a, cast.worker, {1, 2, 3})
    services.register_take(
        session=targeted.sessions.get(number=3), actor=cast.worker, attended={a.uuid, b.uuid}, reason="Bird came too"
    )
    for session in universal.sessions.all():
        services.register_take(
            session=session,
            actor=cast.worker,
            attended=set(),
            walk_in_adults=4,
            walk_in_children=5,
            walk_in_families=[other],
        )
    for enrolment, pre, post in ((a, (3, 4), (7, 8)), (b, (5, 5), (6, 5))):
        for stage, (confidence, wellbeing) in (("pre", pre), ("post", post)):
            services.parent_measure_record(
                enrolment=enrolment, stage=stage, confidence=confidence, wellbeing=wellbeing, actor=cast.worker
            )

    district = cast.team.base.district.name
    assert selectors.sessions_delivered_breakdown(start=start, end=today) == [
        {"district": district, "offer": "targeted", "place": "base", "sessions": 3},
        {"district": district, "offer": "universal", "place": "outreach", "sessions": 2},
    ]
    assert selectors.attendance_summary(start=start, end=today) == [
        {
            "district": district,
            "enrolled_attendances": 4,  # a at 1, 2, 3; b at 3
            "walk_in_adults": 8,
            "walk_in_children": 10,
            "attendances": 22,
            "unique_families": 2,
        }
    ]
    assert selectors.unique_families_attending(start=start, end=today) == 2
    (outcomes,) = selectors.targeted_course_outcomes(start=start, end=today)
    assert outcomes == {
        "district": district,
        "enrolled": 2,
        "completed": 1,
        "completion_rate": 0.5,
        "measured_parents": 2,
        "mean_confidence_change": 2.5,
        "mean_wellbeing_change": 2.0,
    }
    # Outside the period: nothing.
    assert selectors.sessions_delivered_breakdown(start=today + timedelta(days=1), end=today + timedelta(days=90)) == []


# Concurrency ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_enrolments_for_the_last_place_leave_exactly_one(on_postgres, reference_data):
    cast = build_cast()
    first_family, second_family = family_of(cast, last_name="Ames"), family_of(cast, last_name="Bird")
    the_course = course(cast=cast, capacity=1)
    people = [parent_of(first_family), parent_of(second_family)]
    barrier = threading.Barrier(2)
    outcomes = []

    def enrol(person):
        try:
            barrier.wait(timeout=10)
            services.enrolment_create(course=the_course, person=person, actor=cast.worker)
            outcomes.append("enrolled")
        except ApplicationError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["This course is full: its only place is taken.", "enrolled"]
    assert Enrolment.objects.filter(course=the_course).count() == 1


def test_programme_factory_is_in_the_catalogue(cast):
    assert programme(name="Baby massage") in selectors.programme_list()
