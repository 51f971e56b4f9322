"""Group programme factories, one per state."""

from datetime import date, time, timedelta

from django.utils import timezone

from families.models import Family, Person, SupportPlan
from families.services import person_add
from tests.referrals.factories import allocated_referral, default_people
from venues import services
from venues.models import GroupCourse, GroupProgramme, Venue

_counter = iter(range(1, 1_000_000))


def programme(**overrides) -> GroupProgramme:
    fields = {
        "name": f"Incredible Years {next(_counter)}",
        "evidence_based": True,
        "sessions_count": 6,
        "target_group": "Parents of children aged 1 to 5",
    }
    fields.update(overrides)
    return GroupProgramme.objects.create(**fields)


def outreach_venue(district) -> Venue:
    return Venue.objects.create(
        name=f"Village Hall {next(_counter)}",
        kind=Venue.Kind.CHURCH_OR_VILLAGE_HALL,
        role=Venue.Role.COMMUNITY_VENUE,
        district=district,
    )


def course(
    *,
    cast,
    offer_type=GroupCourse.OfferType.TARGETED_OPEN,
    start_date: date | None = None,
    capacity=10,
    sessions=6,
    venue=None,
    actor=None,
) -> GroupCourse:
    """A course of ``cast.team``, by default started five weeks ago (so its first sessions are past)."""
    return services.course_create(
        actor=actor or cast.worker,
        programme=programme(sessions_count=sessions),
        venue=venue or cast.team.base.venue,
        team=cast.team,
        offer_type=offer_type,
        start_date=start_date or timezone.localdate() - timedelta(weeks=5),
        start_time=time(10, 0),
        duration_minutes=90,
        capacity=capacity,
        creche=True,
        facilitators=[cast.worker],
    )


def family_of(cast, *, last_name="Howes") -> Family:
    """An open family allocated to ``cast.worker`` (so the worker and the manager can see it)."""
    referral = allocated_referral(
        team=cast.team, manager=cast.manager, worker=cast.worker, people=default_people(last_name=last_name)
    )
    return referral.family


def parent_of(family: Family) -> Person:
    """The parent the family was referred with (the first one)."""
    return family.members.filter(kind=Person.Kind.PARENT_CARER).order_by("pk").first()


def add_parents(family: Family, count: int, *, actor) -> list[Person]:
    return [
        person_add(
            family=family,
            actor=actor,
            audit=False,
            kind=Person.Kind.PARENT_CARER,
            first_name=f"Carer{next(_counter)}",
            last_name=family.members.first().last_name,
        )
        for _ in range(count)
    ]


def group_plan(family: Family, *, worker, status=SupportPlan.Status.DRAFT, kind=SupportPlan.Kind.GROUP) -> SupportPlan:
    return SupportPlan.objects.create(family=family, kind=kind, status=status, worker=worker, created_by=worker)


def enrolled(course: GroupCourse, people, *, actor):
    return [services.enrolment_create(course=course, person=person, actor=actor) for person in people]


def past_sessions(course: GroupCourse):
    today = timezone.localdate()
    return [s for s in course.sessions.order_by("number") if timezone.localdate(s.starts_at) <= today]


def group_scenario(cast, family: Family) -> dict:
    """URL arguments for the permission table: a course of cast.team with ``family``'s parent enrolled."""
    the_course = course(cast=cast)
    enrolment = services.enrolment_create(course=the_course, person=parent_of(family), actor=cast.worker)
    session = past_sessions(the_course)[0]
    return {
        "group_course": (the_course.uuid,),
        "group_session": (session.uuid,),
        "group_enrolment": (enrolment.uuid,),
    }


def universal_session(cast):
    """A past session of a universal course of ``cast.team`` (the worker facilitates it)."""
    return past_sessions(course(cast=cast, offer_type=GroupCourse.OfferType.UNIVERSAL))[0]
