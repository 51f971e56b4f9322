from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ecfs.audit.models import AuditEvent
from tests.helpers import count_queries
from venues import services
from venues.models import Attendance, Enrolment, GroupCourse, GroupSession, ParentMeasure

from .factories import add_parents, course, enrolled, family_of, group_scenario, parent_of, past_sessions, programme

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

STAFF_OF_COURSE = ("worker", "colleague", "manager")
NOT_STAFF_OF_COURSE = ("other_worker", "other_manager", "commissioner", "admin")
TAKES_REGISTER = ("worker", "manager")  # the course's facilitator and the base's manager
NAME_PAGES = ("group-session-register", "group-enrolment-measures", "group-course-facilitators")
OBJECT_PAGES = [
    ("group-course-detail", "group_course"),
    ("group-course-enrol", "group_course"),
    ("group-session-detail", "group_session"),
    ("group-session-register", "group_session"),
    ("group-enrolment-measures", "group_enrolment"),
    ("group-course-facilitators", "group_course"),
]


@pytest.fixture
def scenario(cast):
    return group_scenario(cast, family_of(cast))


@pytest.mark.parametrize("member", STAFF_OF_COURSE + NOT_STAFF_OF_COURSE)
@pytest.mark.parametrize(("name", "key"), OBJECT_PAGES)
def test_course_pages_are_for_the_courses_team_only(client, cast, scenario, member, name, key):
    client.force_login(getattr(cast, member))
    response = client.get(reverse(name, args=scenario[key]))
    if member not in STAFF_OF_COURSE:
        assert response.status_code == 404
    elif name in NAME_PAGES and member not in TAKES_REGISTER:
        assert response.status_code == 403  # the register names people: facilitators and the base's managers
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("member", "status"),
    [("worker", 200), ("other_worker", 200), ("manager", 200), ("commissioner", 403), ("admin", 403)],
)
def test_group_list_is_for_front_line_staff(client, cast, member, status):
    client.force_login(getattr(cast, member))
    assert client.get(reverse("group-list")).status_code == status
    assert client.get(reverse("group-course-new")).status_code == status


@pytest.mark.parametrize("member", ["worker", "commissioner", "admin"])
def test_programme_catalogue_is_for_everyone(client, cast, member):
    programme(name="Baby massage")
    client.force_login(getattr(cast, member))
    response = client.get(reverse("group-programme-list"))
    assert response.status_code == 200
    assert "Baby massage" in response.content.decode()


def test_group_list_shows_only_my_teams_courses(client, cast, scenario):
    client.force_login(cast.other_worker)
    assert "No courses" not in client.get(reverse("group-list")).content.decode()
    assert "Your team has no courses yet." in client.get(reverse("group-list")).content.decode()
    client.force_login(cast.worker)
    assert (
        reverse("group-course-detail", args=scenario["group_course"])
        in client.get(reverse("group-list")).content.decode()
    )


def test_worker_sets_up_a_course(client, cast):
    the_programme = programme(sessions_count=4)
    start = timezone.localdate() + timedelta(days=7)
    client.force_login(cast.worker)
    response = client.post(
        reverse("group-course-new"),
        {
            "programme": str(the_programme.uuid),
            "team": str(cast.team.pk),
            "venue": str(cast.team.base.venue.pk),
            "offer_type": "targeted_referral",
            "start_date_day": start.day,
            "start_date_month": start.month,
            "start_date_year": start.year,
            "start_time": "13:30",
            "duration_minutes": "120",
            "capacity": "12",
            "creche": "true",
            "facilitators": [str(cast.worker.pk), str(cast.colleague.pk)],
        },
    )
    the_course = GroupCourse.objects.get()
    assert response.status_code == 302 and response.url == reverse("group-course-detail", args=[the_course.uuid])
    assert the_course.sessions.count() == 4 and the_course.creche and the_course.capacity == 12
    assert set(the_course.facilitators.all()) == {cast.worker, cast.colleague}


def test_course_form_shows_errors(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("group-course-new"), {"capacity": "0"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Select the programme" in html and "Places must be at least 1" in html
    assert not GroupCourse.objects.exists()


def test_enrolling_by_family_reference(client, cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    url = reverse("group-course-enrol", args=[the_course.uuid])
    client.force_login(cast.worker)
    page = client.get(url, {"family": family.reference}).content.decode()
    assert parent_of(family).full_name in page
    response = client.post(url, {"family": family.reference, "person": str(parent_of(family).uuid)})
    assert response.status_code == 302
    assert Enrolment.objects.get().person == parent_of(family)


def test_family_the_user_cannot_see_is_not_found_for_enrolment(client, cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    client.force_login(cast.colleague)
    url = reverse("group-course-enrol", args=[the_course.uuid])
    assert (
        f"No open family you work with has the reference {family.reference}"
        in client.get(url, {"family": family.reference}).content.decode()
    )
    response = client.post(url, {"family": family.reference, "person": str(parent_of(family).uuid)})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_over_capacity_enrolment_shows_the_reason_and_saves_nothing(client, cast):
    family = family_of(cast)
    extra = add_parents(family, 1, actor=cast.worker)[0]
    the_course = course(cast=cast, capacity=1)
    enrolled(the_course, [parent_of(family)], actor=cast.worker)
    client.force_login(cast.worker)
    response = client.post(
        reverse("group-course-enrol", args=[the_course.uuid]), {"family": family.reference, "person": str(extra.uuid)}
    )
    assert response.status_code == 400
    assert "This course is full: its only place is taken." in response.content.decode()
    assert the_course.enrolments.count() == 1


def test_register_is_one_form_pre_ticked_from_the_last_register(client, cast):
    family = family_of(cast)
    people = [parent_of(family), *add_parents(family, 1, actor=cast.worker)]
    the_course = course(cast=cast)
    a, b = enrolled(the_course, people, actor=cast.worker)
    session = past_sessions(the_course)[0]
    url = reverse("group-session-register", args=[session.uuid])
    client.force_login(cast.manager)
    response = client.post(url, {"attended": [str(a.uuid)]})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "attended")) == {a.pk: True, b.pk: False}
    html = client.get(url).content.decode()
    assert f'value="{a.uuid}" checked' in html and f'value="{b.uuid}" checked' not in html


def test_a_taken_register_is_corrected_on_its_page_with_a_reason_and_shows_the_correction(client, cast):
    family = family_of(cast)
    people = [parent_of(family), *add_parents(family, 1, actor=cast.worker)]
    the_course = course(cast=cast)
    a, b = enrolled(the_course, people, actor=cast.worker)
    session = past_sessions(the_course)[0]
    url = reverse("group-session-register", args=[session.uuid])
    client.force_login(cast.worker)
    assert "Why are you correcting the register?" not in client.get(url).content.decode()
    assert client.post(url, {"attended": [str(a.uuid)]}).status_code == 302
    html = client.get(url).content.decode()
    assert "Correct the register" in html and "Why are you correcting the register?" in html
    response = client.post(url, {"attended": [str(a.uuid), str(b.uuid)], "reason": ""})
    assert response.status_code == 400
    assert "Say why the register is being corrected" in response.content.decode()
    assert Attendance.objects.get(enrolment=b).attended is False
    response = client.post(url, {"attended": [str(a.uuid), str(b.uuid)], "reason": "Came late, missed"})
    assert response.status_code == 302 and response.url == url
    assert Attendance.objects.get(enrolment=b).attended is True
    html = client.get(url).content.decode()
    assert f"by {cast.worker.get_full_name()}: Came late, missed" in html
    assert f"{b.person.full_name}</dt>" in html and "was absent; now attended" in html


def test_a_facilitator_who_did_not_take_the_register_sees_it_and_cannot_correct_it(client, cast):
    family = family_of(cast)
    the_course = course(cast=cast)  # facilitated by the worker
    (enrolment,) = enrolled(the_course, [parent_of(family)], actor=cast.worker)
    session = past_sessions(the_course)[0]
    services.register_take(session=session, actor=cast.manager, attended={enrolment.uuid})
    url = reverse("group-session-register", args=[session.uuid])
    client.force_login(cast.worker)
    html = client.get(url).content.decode()
    assert f"Only {cast.manager.get_full_name()}, who took this register" in html
    assert "Save the correction" not in html and "Why are you correcting" not in html and "Attended" in html
    assert client.post(url, {"attended": [], "reason": "Wrong"}).status_code == 403
    assert Attendance.objects.get(enrolment=enrolment).attended is True


def test_register_for_a_cancelled_session_is_refused(client, cast):
    family = family_of(cast)
    the_course = course(cast=cast)
    (enrolment,) = enrolled(the_course, [parent_of(family)], actor=cast.worker)
    session = past_sessions(the_course)[0]
    services.session_cancel(session=session, actor=cast.worker, reason="Snow")
    client.force_login(cast.worker)
    url = reverse("group-session-register", args=[session.uuid])
    assert "This session was cancelled, so no register can be taken" in client.get(url).content.decode()
    response = client.post(url, {"attended": [str(enrolment.uuid)]})
    assert response.status_code == 400
    assert "This session was cancelled, so no register can be taken" in response.content.decode()
    assert not Attendance.objects.exists()


def test_universal_register_takes_walk_ins(client, cast):
    family = family_of(cast)
    session = past_sessions(course(cast=cast, offer_type="universal"))[0]
    client.force_login(cast.worker)
    url = reverse("group-session-register", args=[session.uuid])
    response = client.post(url, {"walk_in_adults": "-1", "walk_in_children": "3", "walk_in_families": ""})
    assert response.status_code == 400 and "Adults who walked in must be 0 or more" in response.content.decode()
    response = client.post(url, {"walk_in_adults": "4", "walk_in_children": "3", "walk_in_families": "nope-1"})
    assert (
        response.status_code == 400 and "No family you work with has the reference NOPE-1" in response.content.decode()
    )
    response = client.post(
        url, {"walk_in_adults": "4", "walk_in_children": "3", "walk_in_families": family.reference.lower()}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.walk_in_adults, session.walk_in_children) == (4, 3)
    assert Attendance.objects.get().family == family


def test_session_is_moved_and_cancelled_from_its_page(client, cast):
    the_course = course(cast=cast, start_date=timezone.localdate() + timedelta(days=1))
    session = the_course.sessions.get(number=1)
    url = reverse("group-session-detail", args=[session.uuid])
    new_day = timezone.localdate() + timedelta(days=2)
    client.force_login(cast.manager)
    response = client.post(
        url,
        {
            "action": "move",
            "move-date_day": new_day.day,
            "move-date_month": new_day.month,
            "move-date_year": new_day.year,
            "move-start_time": "14:00",
            "move-venue": str(session.venue_id),
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M") == f"{new_day:%Y-%m-%d} 14:00"
    response = client.post(url, {"action": "cancel", "cancel-reason": ""})
    assert response.status_code == 400 and "Enter why the session is cancelled" in response.content.decode()
    assert client.post(url, {"action": "cancel", "cancel-reason": "Heating broken"}).status_code == 302
    session.refresh_from_db()
    assert session.status == GroupSession.Status.CANCELLED


@pytest.mark.parametrize("score", ["0", "11"])
def test_out_of_range_measure_is_refused_on_the_page(client, cast, score):
    family = family_of(cast)
    (enrolment,) = enrolled(course(cast=cast), [parent_of(family)], actor=cast.worker)
    client.force_login(cast.worker)
    response = client.post(
        reverse("group-enrolment-measures", args=[enrolment.uuid]),
        {"stage": "pre", "confidence": score, "wellbeing": "5"},
    )
    assert response.status_code == 400
    assert "Confidence in parenting must be a whole number from 1 to 10" in response.content.decode()
    assert not ParentMeasure.objects.exists()
    response = client.post(
        reverse("group-enrolment-measures", args=[enrolment.uuid]),
        {"stage": "pre", "confidence": "4", "wellbeing": "5"},
    )
    assert response.status_code == 302 and ParentMeasure.objects.get().confidence == 4


# Query counts ---------------------------------------------------------------------------------------


def _grow(cast, the_course, family, count):
    people = add_parents(family, count, actor=cast.worker)
    for enrolment in enrolled(the_course, people, actor=cast.worker):
        for stage, score in (("pre", 3), ("post", 6)):
            services.parent_measure_record(
                enrolment=enrolment, stage=stage, confidence=score, wellbeing=score, actor=cast.worker
            )
    for session in past_sessions(the_course):
        if session.register_taken_at is None:
            services.register_take(session=session, actor=cast.worker, attended=set())
        services.register_take(
            session=session,
            actor=cast.worker,
            attended={e.uuid for e in the_course.enrolments.all()[::2]},
            reason="Some were missed",
        )


def _queries(client, url) -> int:
    return count_queries(client, url)


# Every page starts with 4: the session, the user, their role groups, and their staff profile (a worker's team).
PINNED_QUERIES = {
    # + the course, facilitators, sessions with attended counts, enrolments with completion, their measures,
    # and which of their families the user may see or is named on (restricted records)
    "group-course-detail": 11,
    # + the session, whether the user takes the register, earlier marks, enrolments with people and families,
    # and which of their families the user may see or is named on; a corrected register (as here) adds its
    # corrections: the marks' and the session's history, the corrected enrolments, and which of their families
    # the user may see or is named on
    "group-session-register": 15,
    # + the courses with enrolled and session counts
    "group-list": 5,
}


@pytest.mark.parametrize("page", sorted(PINNED_QUERIES))
def test_pages_keep_a_fixed_number_of_queries_as_enrolments_grow(client, cast, page):
    family = family_of(cast)
    the_course = course(cast=cast, capacity=20)
    session = past_sessions(the_course)[0]
    args = {"group-course-detail": [the_course.uuid], "group-session-register": [session.uuid], "group-list": None}
    url = reverse(page, args=args[page])
    client.force_login(cast.worker)
    _grow(cast, the_course, family, 2)
    assert _queries(client, url) == PINNED_QUERIES[page]
    _grow(cast, the_course, family, 5)
    course(cast=cast)  # and another course
    assert _queries(client, url) == PINNED_QUERIES[page]


def test_a_facilitator_hands_the_course_to_a_colleague_who_then_takes_the_register(client, cast):
    family = family_of(cast)
    the_course = course(cast=cast)  # facilitated by the worker
    enrolled(the_course, [parent_of(family)], actor=cast.worker)
    session = past_sessions(the_course)[0]
    register = reverse("group-session-register", args=[session.uuid])
    client.force_login(cast.colleague)
    assert client.get(register).status_code == 403

    client.force_login(cast.worker)
    url = reverse("group-course-facilitators", args=[the_course.uuid])
    assert client.post(url, {}).status_code == 400
    assert "Select at least one facilitator" in client.post(url, {}).content.decode()
    response = client.post(url, {"facilitators": [str(cast.colleague.pk)]})
    assert response.status_code == 302
    assert list(the_course.facilitators.all()) == [cast.colleague]
    assert AuditEvent.objects.filter(action="group_course.facilitators_changed", object_id=the_course.uuid).exists()

    client.force_login(cast.colleague)
    assert client.get(register).status_code == 200
    client.force_login(cast.worker)
    assert client.get(register).status_code == 403


def test_only_staff_of_the_courses_team_can_facilitate_it(cast):
    the_course = course(cast=cast)
    with pytest.raises(ValidationError, match="the team running the course"):
        services.course_facilitators_set(course=the_course, facilitators=[cast.other_worker], actor=cast.manager)
    assert list(the_course.facilitators.all()) == [cast.worker]
