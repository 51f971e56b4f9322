"""Writes to group programmes: courses and their sessions, enrolments, registers and parents' measures.

Enrolments, attendances and measures are personal records: each write is audited against the family.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bases.models import StaffProfile, Team
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.models import Family, Person, RegistrationRoute, SupportPlan
from families.registration import family_register
from families.rules import long_date, validate_forward_date
from families.selectors import family_list

from .models import Attendance, Enrolment, GroupCourse, GroupProgramme, GroupSession, ParentMeasure, Venue
from .selectors import can_amend_register, can_run_courses_for, course_list, takes_register

SCORE_RANGE = range(1, 11)
GROUP_PLAN_STATUSES = (SupportPlan.Status.DRAFT, SupportPlan.Status.PENDING_ACTIVATION, SupportPlan.Status.ACTIVE)
MEASURED_KINDS = (Person.Kind.PARENT_CARER, Person.Kind.OTHER_ADULT)


def _local_datetime(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def _check_venue_usable(venue: Venue, field: str = "venue") -> None:
    if venue.status == Venue.Status.CLOSED or not venue.has_building:
        raise ValidationError({field: f"{venue} cannot host group sessions: choose a venue with a building in use"})


def _check_course_staff(actor, course: GroupCourse) -> None:
    """Only staff who can see the course change it (callers hold a course fetched through the scoped selector)."""
    if not course_list(user=actor).filter(pk=course.pk).exists():
        raise ApplicationError("Only the team running this course can change it.")


def _check_takes_register(actor, course: GroupCourse) -> None:
    """Registers and parents' measures name the people enrolled: facilitators and the base's managers only."""
    _check_course_staff(actor, course)
    if not takes_register(user=actor, course=course):
        raise ApplicationError(TAKES_REGISTER_ONLY)


TAKES_REGISTER_ONLY = "Only the course's facilitators and the base's team managers take the register."
REGISTER_AMENDERS_ONLY = "Only the person who took this register or a team manager of the course's base can correct it."


# Courses and sessions ----------------------------------------------------------------------------


def _refuse_the_same_course_again(*, team: Team, programme: GroupProgramme, venue: Venue, start_date, start_time):
    """The team's course of the same programme, at the same venue, starting the same day and time, set up again (a
    form sent twice). A team's courses wait for each other here, so two sent at once are seen as one and its
    duplicate."""
    Team.objects.select_for_update().filter(pk=team.pk).first()
    if GroupCourse.objects.filter(
        team=team, programme=programme, venue=venue, start_date=start_date, start_time=start_time
    ).exists():
        raise ValidationError(
            {
                "__all__": f"This course is already set up: {programme.name} at {venue.name}, starting "
                f"{long_date(start_date)} at {start_time:%H:%M}. Find it in your team's groups."
            }
        )


@transaction.atomic
def course_create(
    *,
    actor,
    programme: GroupProgramme,
    venue: Venue,
    team: Team,
    offer_type: str,
    start_date: date,
    start_time: time,
    duration_minutes: int,
    capacity: int,
    creche: bool = False,
    facilitators=(),
) -> GroupCourse:
    """Create a course and its sessions: one a week from the start date, as many as the programme has."""
    if not can_run_courses_for(user=actor, team=team):
        raise ApplicationError("Only a manager or a worker of the team can set up its courses.")
    if not programme.is_active:
        raise ValidationError({"programme": f"{programme} is no longer offered"})
    _check_venue_usable(venue)
    if offer_type not in GroupCourse.OfferType.values:
        raise ValidationError({"offer_type": "Select the type of offer"})
    if capacity < 1:
        raise ValidationError({"capacity": "Capacity must be at least 1"})
    if not 15 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": "Length must be between 15 minutes and 8 hours"})
    # Forward-looking: from the service's start to 2 years ahead (families.rules), its last session included.
    today = timezone.localdate()
    validate_forward_date(start_date, field="start_date", today=today, what="The start date")
    last_session = start_date + timedelta(weeks=programme.sessions_count - 1)
    validate_forward_date(last_session, field="start_date", today=today, what="The course's last session")
    _refuse_the_same_course_again(
        team=team, programme=programme, venue=venue, start_date=start_date, start_time=start_time
    )
    course = GroupCourse.objects.create(
        programme=programme,
        venue=venue,
        team=team,
        offer_type=offer_type,
        start_date=start_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        capacity=capacity,
        creche=creche,
        created_by=actor,
    )
    course.facilitators.set(facilitators)
    GroupSession.objects.bulk_create(
        GroupSession(
            course=course,
            number=number,
            starts_at=_local_datetime(start_date + timedelta(weeks=number - 1), start_time),
            duration_minutes=duration_minutes,
            venue=venue,
        )
        for number in range(1, programme.sessions_count + 1)
    )
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_COURSE_CREATED,
        obj=course,
        summary=f"{programme} course set up at {venue} from {start_date:%d %b %Y}",
        changes={"offer_type": offer_type, "capacity": capacity, "sessions": programme.sessions_count},
    )
    return course


@transaction.atomic
def course_facilitators_set(*, course: GroupCourse, facilitators, actor) -> GroupCourse:
    """Hand the course to other staff of its team (cover for a facilitator who is away): they run it and take
    its register from now on. A team manager of its base or a current facilitator may."""
    course = GroupCourse.objects.select_for_update().select_related("team", "programme").get(pk=course.pk)
    _check_takes_register(actor, course)
    facilitators = list(facilitators)
    if not facilitators:
        raise ValidationError({"facilitators": "Select at least one facilitator"})
    team_staff = set(
        StaffProfile.objects.filter(team=course.team, user__is_active=True).values_list("user_id", flat=True)
    )
    if any(user.pk not in team_staff for user in facilitators):
        raise ValidationError({"facilitators": f"Select staff of {course.team}, the team running the course"})
    before = sorted(user.get_full_name() for user in course.facilitators.all())
    course.facilitators.set(facilitators)
    after = sorted(user.get_full_name() for user in facilitators)
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_COURSE_FACILITATORS_CHANGED,
        obj=course,
        summary=f"Facilitators of the {course.programme} course changed",
        changes={"facilitators": [before, after]},
    )
    return course


def _locked_session(session: GroupSession) -> GroupSession:
    return GroupSession.objects.select_for_update().select_related("course__programme").get(pk=session.pk)


@transaction.atomic
def session_move(
    *, session: GroupSession, actor, starts_at: datetime, venue: Venue, duration_minutes: int | None = None
) -> GroupSession:
    session = _locked_session(session)
    _check_course_staff(actor, session.course)
    if session.is_cancelled:
        raise ApplicationError("This session was cancelled, so it cannot be moved.")
    if session.register_taken_at:
        raise ApplicationError("The register has been taken for this session, so it cannot be moved.")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    _check_venue_usable(venue)
    validate_forward_date(
        timezone.localdate(starts_at),
        field="starts_at",
        today=timezone.localdate(),
        what="The session's date",
    )
    duration_minutes = duration_minutes or session.duration_minutes
    if not 15 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": "Length must be between 15 minutes and 8 hours"})
    changes = {}
    for name, value in (("starts_at", starts_at), ("venue_id", venue.pk), ("duration_minutes", duration_minutes)):
        old = getattr(session, name)
        if old != value:
            changes[name] = {"old": str(old), "new": str(value)}
            setattr(session, name, value)
    if changes:
        session.save(update_fields=["starts_at", "venue", "duration_minutes", "modified_at"])
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_SESSION_MOVED,
            obj=session,
            summary=f"Session {session.number} of {session.course.programme} moved",
            changes=changes,
        )
    return session


@transaction.atomic
def session_cancel(*, session: GroupSession, actor, reason: str) -> GroupSession:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the session is cancelled"})
    session = _locked_session(session)
    _check_course_staff(actor, session.course)
    if session.is_cancelled:
        raise ApplicationError("This session is already cancelled.")
    if session.register_taken_at:
        raise ApplicationError("The register has been taken for this session, so it cannot be cancelled.")
    session.status = GroupSession.Status.CANCELLED
    session.cancel_reason = reason.strip()
    session.cancelled_at = timezone.now()
    session.cancelled_by = actor
    session.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_SESSION_CANCELLED,
        obj=session,
        summary=f"Session {session.number} of {session.course.programme} cancelled",
        changes={"reason": session.cancel_reason},
    )
    return session


# Enrolments ---------------------------------------------------------------------------------------


@transaction.atomic
def enrolment_create(*, course: GroupCourse, person: Person, actor, plan: SupportPlan | None = None) -> Enrolment:
    """Enrol a family member. The course row is locked, so two enrolments for the last place cannot both succeed."""
    course = GroupCourse.objects.select_for_update().select_related("programme").get(pk=course.pk)
    _check_course_staff(actor, course)
    family = person.family
    if not family_list(user=actor).filter(pk=family.pk).exists():
        raise ApplicationError("You can only enrol people from families you work with.")
    if course.is_universal:
        raise ApplicationError("Universal sessions do not take enrolments: record walk-ins on each session's register.")
    if course.status != GroupCourse.Status.OPEN:
        raise ApplicationError("This course is closed to new enrolments.")
    if family.status != Family.Status.OPEN:
        raise ApplicationError(f"{family.reference} is closed, so its members cannot be enrolled.")
    if person.kind == Person.Kind.UNBORN:
        raise ValidationError({"person": "An unborn child cannot be enrolled: enrol the parent"})
    if course.enrolments.filter(person=person, withdrawn_at__isnull=True).exists():
        raise ApplicationError(f"{person.full_name} is already enrolled on this course.")
    taken = course.enrolments.filter(withdrawn_at__isnull=True).count()
    if taken >= course.capacity:
        places = "its only place is" if course.capacity == 1 else f"all {course.capacity} places are"
        raise ApplicationError(f"This course is full: {places} taken.")
    if course.offer_type == GroupCourse.OfferType.TARGETED_REFERRAL:
        plans = SupportPlan.objects.filter(family=family, kind=SupportPlan.Kind.GROUP, status__in=GROUP_PLAN_STATUSES)
        if plan is not None:
            plans = plans.filter(pk=plan.pk)
        plan = plans.order_by("-created_at").first()
        if plan is None:
            raise ApplicationError(
                f"{family.reference} has no draft or active group support plan. "
                "Courses by referral need a group plan before anyone is enrolled."
            )
    elif plan is not None and plan.family_id != family.pk:
        raise ApplicationError("That plan belongs to another family.")
    enrolment = Enrolment.objects.create(
        course=course, person=person, family=family, plan=plan, enrolled_by=actor, enrolled_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_ENROLMENT_CREATED,
        obj=enrolment,
        family=family,
        summary=f"{person.full_name} enrolled on {course.programme} at {course.venue}",
        changes={"course": str(course.uuid), "person": str(person.uuid)},
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor) -> Enrolment:
    """Take someone off a course, freeing their place; their attendance so far is kept."""
    enrolment = Enrolment.objects.select_for_update().select_related("course__programme", "person").get(pk=enrolment.pk)
    _check_course_staff(actor, enrolment.course)
    if enrolment.withdrawn_at:
        raise ApplicationError(f"{enrolment.person.full_name} has already left this course.")
    enrolment.withdrawn_at = timezone.now()
    enrolment.withdrawn_by = actor
    enrolment.save(update_fields=["withdrawn_at", "withdrawn_by", "modified_at"])
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_ENROLMENT_WITHDRAWN,
        obj=enrolment,
        family=enrolment.family,
        summary=f"{enrolment.person.full_name} left {enrolment.course.programme}",
    )
    return enrolment


# Registers ----------------------------------------------------------------------------------------


@transaction.atomic
def register_take(
    *,
    session: GroupSession,
    actor,
    attended: set,
    walk_in_adults: int = 0,
    walk_in_children: int = 0,
    walk_in_families=(),
    reason: str = "",
) -> GroupSession:
    """Record who came: every open enrolment is marked attended (its uuid is in ``attended``) or absent.

    Universal sessions also take walk-in counts and, optionally, the known families among the walk-ins.
    Once taken, the register is corrected, not retaken: only by whoever took it or a team manager of the
    course's base, with a ``reason``; the marks and counts it replaced are kept (django-simple-history).
    """
    session = _locked_session(session)
    course = session.course
    _check_takes_register(actor, course)
    if session.is_cancelled:
        raise ApplicationError("This session was cancelled, so no register can be taken.")
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ApplicationError(
            f"This session is on {_day(session.starts_at)}: take the register on the day or afterwards."
        )
    amending = session.register_taken_at is not None
    reason = reason.strip()
    if amending:
        if not can_amend_register(user=actor, session=session):
            raise ApplicationError(REGISTER_AMENDERS_ONLY)
        if not reason:
            raise ValidationError({"reason": "Say why the register is being corrected"})
    walk_in_families = list(walk_in_families)
    if course.is_universal:
        errors = {}
        if walk_in_adults is None or walk_in_adults < 0:
            errors["walk_in_adults"] = "Adults who walked in must be 0 or more"
        if walk_in_children is None or walk_in_children < 0:
            errors["walk_in_children"] = "Children who walked in must be 0 or more"
        if not errors and len(walk_in_families) > walk_in_adults:
            errors["walk_in_families"] = (
                f"You named {len(walk_in_families)} known families but counted {walk_in_adults} adults: "
                "count each named family's adults too"
            )
        if errors:
            raise ValidationError(errors)
        named = {f.pk for f in walk_in_families}
        if family_list(user=actor).filter(pk__in=named).count() != len(named):
            raise ApplicationError("You can only name families you work with.")
    elif walk_in_adults or walk_in_children or walk_in_families:
        raise ApplicationError("Only universal sessions take walk-ins: enrol people on this course instead.")

    enrolments = list(course.enrolments.filter(withdrawn_at__isnull=True).select_related("person"))
    attended = {str(value) for value in attended}
    unknown = attended - {str(e.uuid) for e in enrolments}
    if unknown:
        raise ApplicationError("The register names someone who is not enrolled on this course: reload the page.")

    now = timezone.now()
    rows = session.attendances.select_related("recorded_by")
    existing = {a.enrolment_id: a for a in rows.filter(enrolment__isnull=False)}
    to_create, to_update, changed = [], [], []
    for enrolment in enrolments:
        came = str(enrolment.uuid) in attended
        row = existing.get(enrolment.pk)
        if row is None:
            to_create.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    family_id=enrolment.family_id,
                    attended=came,
                    recorded_at=now,
                    recorded_by=actor,
                )
            )
            changed.append((enrolment.family_id, enrolment.person.full_name, came))
        elif row.attended != came:
            to_update.append(row)
            changed.append((enrolment.family_id, enrolment.person.full_name, came))

    if course.is_universal:
        walk_ins = {a.family_id: a for a in rows.filter(enrolment__isnull=True)}
        # Families named by a colleague that the actor does not work with stay as they were: never shown, kept.
        wanted = {f.pk for f in walk_in_families} | (
            {family_id for family_id, row in walk_ins.items() if row.attended}
            - set(family_list(user=actor).filter(pk__in=walk_ins).values_list("pk", flat=True))
        )
        for family_id in wanted - set(walk_ins):
            to_create.append(
                Attendance(session=session, family_id=family_id, attended=True, recorded_at=now, recorded_by=actor)
            )
            changed.append((family_id, "A family member (walk-in)", True))
        for family_id, row in walk_ins.items():
            came = family_id in wanted
            if row.attended != came:  # named at first, then taken off: kept as not attended, never deleted
                to_update.append(row)
                changed.append((family_id, "A family member (walk-in)", came))

    walk_ins_now = (walk_in_adults, walk_in_children) if course.is_universal else (0, 0)
    walk_ins_before = (session.walk_in_adults, session.walk_in_children)
    if amending and not changed and walk_ins_now == walk_ins_before:
        raise ValidationError({"reason": "Nothing was changed: correct at least one mark or count"})

    if amending:
        _keep_first_versions(to_update, session)
    for row in to_update:
        row.attended, row.recorded_at, row.recorded_by = not row.attended, now, actor
    history = {"default_user": actor, "default_change_reason": reason, "default_date": now}
    bulk_create_with_history(to_create, Attendance, **history)
    bulk_update_with_history(to_update, Attendance, ["attended", "recorded_at", "recorded_by"], **history)
    families = Family.objects.in_bulk({family_id for family_id, _, _ in changed})
    label = f"session {session.number} of {course.programme} ({_day(session.starts_at)})"
    for family_id, name, came in changed:
        audit_record(
            actor=actor,
            action=AuditAction.GROUP_SESSION_REGISTER_AMENDED if amending else AuditAction.GROUP_ATTENDANCE_RECORDED,
            obj=session,
            family=families[family_id],
            summary=(
                f"{name} {'attended' if came else 'was absent from'} {label}"
                + (f" (register corrected: {reason})" if amending else "")
            )[:300],
            changes={"attended": came, **({"reason": reason} if amending else {})},
        )

    if not amending:
        session.register_taken_at = now
        session.register_taken_by = actor
    session.walk_in_adults, session.walk_in_children = walk_ins_now
    session._change_reason = reason
    session._history_user = actor
    session._history_date = now
    session.save(
        update_fields=["register_taken_at", "register_taken_by", "walk_in_adults", "walk_in_children", "modified_at"]
    )
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_SESSION_REGISTER_AMENDED if amending else AuditAction.GROUP_SESSION_REGISTER_TAKEN,
        obj=session,
        # The reason may name people: it goes on each family's own event (redacted with the family), not here.
        summary=(
            f"Register corrected for {label} ({len(changed)} mark{'' if len(changed) == 1 else 's'} changed)"
            if amending
            else f"Register taken for {label}"
        ),
        changes={
            "attended": sum(1 for e in enrolments if str(e.uuid) in attended),
            "enrolled": len(enrolments),
            "walk_in_adults": session.walk_in_adults,
            "walk_in_children": session.walk_in_children,
            **({"marks_changed": len(changed), "walk_ins_before": list(walk_ins_before)} if amending else {}),
        },
    )
    return session


def _keep_first_versions(rows: list[Attendance], session: GroupSession) -> None:
    """Registers taken before their history was kept have no first version: record it, as it was taken, before
    it is corrected, so the correction shows what it replaced."""
    kept = set(Attendance.history.filter(id__in=[row.pk for row in rows]).values_list("id", flat=True))
    first = [row for row in rows if row.pk not in kept]
    for row in first:
        row._history_date, row._history_user = row.recorded_at, row.recorded_by
    Attendance.history.bulk_history_create(first)
    for row in first:
        del row._history_date, row._history_user
    if not session.history.exists():
        session._history_date = session.register_taken_at
        session._history_user = session.register_taken_by
        GroupSession.history.bulk_history_create([session])
        del session._history_date, session._history_user


# Parents' measures --------------------------------------------------------------------------------


@transaction.atomic
def parent_measure_record(*, enrolment: Enrolment, stage: str, confidence: int, wellbeing: int, actor) -> ParentMeasure:
    """Record (or correct) a parent's pre- or post-course self-rating, 1 to 10 each."""
    errors = {}
    if stage not in ParentMeasure.Stage.values:
        errors["stage"] = "Select before or after the course"
    if confidence not in SCORE_RANGE:
        errors["confidence"] = "Confidence in parenting must be a whole number from 1 to 10"
    if wellbeing not in SCORE_RANGE:
        errors["wellbeing"] = "Wellbeing must be a whole number from 1 to 10"
    if errors:
        raise ValidationError(errors)
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("course__programme", "person", "family")
        .get(pk=enrolment.pk)
    )
    _check_takes_register(actor, enrolment.course)
    if not enrolment.course.is_targeted:
        raise ApplicationError("Pre- and post-course measures are only recorded on targeted courses.")
    if enrolment.person.kind not in MEASURED_KINDS:
        raise ApplicationError("Pre- and post-course measures are for parents and carers.")
    if enrolment.withdrawn_at:
        raise ApplicationError(f"{enrolment.person.full_name} has left this course.")
    measure = ParentMeasure.objects.filter(enrolment=enrolment, stage=stage).first()
    now = timezone.now()
    if measure is None:
        measure = ParentMeasure.objects.create(
            enrolment=enrolment,
            stage=stage,
            confidence=confidence,
            wellbeing=wellbeing,
            recorded_at=now,
            recorded_by=actor,
        )
        changes = {"confidence": confidence, "wellbeing": wellbeing}
    else:
        changes = {
            "confidence": {"old": measure.confidence, "new": confidence},
            "wellbeing": {"old": measure.wellbeing, "new": wellbeing},
        }
        measure.confidence, measure.wellbeing, measure.recorded_at, measure.recorded_by = (
            confidence,
            wellbeing,
            now,
            actor,
        )
        measure.save(update_fields=["confidence", "wellbeing", "recorded_at", "recorded_by"])
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_MEASURE_RECORDED,
        obj=enrolment,
        family=enrolment.family,
        summary=f"{measure.get_stage_display()} measures recorded for {enrolment.person.full_name} "
        f"on {enrolment.course.programme}",
        changes={"stage": stage, **changes},
    )
    return measure


# Known families at universal sessions (#19 item 2) ---------------------------------------------------


def _check_names_families(actor, session: GroupSession) -> None:
    course = session.course
    _check_takes_register(actor, course)
    if not course.is_universal:
        raise ApplicationError("Only universal sessions name walk-in families: enrol people on this course instead.")
    if session.is_cancelled:
        raise ApplicationError("This session was cancelled, so no register can be taken.")
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ApplicationError(
            f"This session is on {_day(session.starts_at)}: mark families present on the day or afterwards."
        )


@transaction.atomic
def session_family_attend(*, session: GroupSession, family: Family, actor) -> Attendance:
    """Mark a known family present at a universal session before its register is saved (the family found on the
    register page, or just registered there). Once the register is saved, families are named by correcting it
    (``register_take``), with a reason. The line is a walk-in attendance: the family, no enrolment; the walk-in
    counts saved with the register include them."""
    session = _locked_session(session)
    _check_names_families(actor, session)
    if session.register_taken_at is not None:
        raise ApplicationError("The register for this session is saved: correct it to name this family.")
    if not family_list(user=actor).filter(pk=family.pk).exists():
        raise ApplicationError("You can only name families you work with.")
    now = timezone.now()
    row = session.attendances.filter(enrolment__isnull=True, family=family).first()
    if row is not None and row.attended:
        return row
    if row is None:
        row = Attendance(session=session, family=family, attended=True, recorded_at=now, recorded_by=actor)
    else:
        row.attended, row.recorded_at, row.recorded_by = True, now, actor
    row._history_user = actor
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.GROUP_ATTENDANCE_RECORDED,
        obj=session,
        family=family,
        summary=(
            f"A family member (walk-in) attended session {session.number} of {session.course.programme} "
            f"({_day(session.starts_at)})"
        )[:300],
        changes={"attended": True},
    )
    return row


@transaction.atomic
def session_family_register(*, session: GroupSession, actor, team: Team, **registration) -> tuple[Family, bool]:
    """Register a family met at a universal session and, while the register is open, mark them present, in one
    transaction: both or neither. Returns the family and whether they were marked present."""
    _check_names_families(actor, session)
    registration["registered_via"] = RegistrationRoute.UNIVERSAL_SESSION
    family = family_register(actor=actor, team=team, **registration)
    if session.register_taken_at is not None:
        return family, False
    session_family_attend(session=session, family=family, actor=actor)
    return family, True
