"""Reads of venues and group programmes.

A course, its sessions, enrolments and registers are seen only by the staff of the team running it: workers
whose staff profile is in that team, and managers of teams at that team's base. Anyone else gets a 404.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from bases.models import Team
from bases.selectors import managed_base_ids, manages_base
from ecfs.history import Amendment, Change
from ecfs.roles import Role, has_role
from families.models import Family
from families.names import hide_restricted, household_names, household_prefetch
from families.search import family_search
from families.selectors import family_list

from .models import Attendance, Enrolment, GroupCourse, GroupProgramme, GroupSession, ParentMeasure, Venue


def venue_list(*, district_slug: str | None = None, role: str | None = None) -> QuerySet[Venue]:
    venues = Venue.objects.select_related("district").order_by("district__name", "name")
    if district_slug:
        venues = venues.filter(district__slug=district_slug)
    if role:
        venues = venues.filter(role=role)
    return venues


def group_venue_list() -> QuerySet[Venue]:
    """Venues that can host a group session: in use, with a building."""
    return (
        Venue.objects.filter(has_building=True)
        .exclude(status=Venue.Status.CLOSED)
        .select_related("district")
        .order_by("district__name", "name")
    )


def programme_list(*, active_only: bool = False) -> QuerySet[GroupProgramme]:
    programmes = GroupProgramme.objects.order_by("name")
    return programmes.filter(is_active=True) if active_only else programmes


# Scoping --------------------------------------------------------------------------------------------


def team_visibility_filter(user) -> Q:
    """A filter on Team: the teams whose courses ``user`` sees (their own team; every team of a managed base)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    visible = Q(pk__in=[])
    if has_role(user, Role.MANAGER):
        visible |= Q(base_id__in=managed_base_ids(user))
    if has_role(user, Role.WORKER):
        profile = getattr(user, "staff_profile", None)
        if profile is not None and profile.team_id:
            visible |= Q(pk=profile.team_id)
    return visible


def runnable_teams(*, user) -> QuerySet[Team]:
    """The teams the user can set up courses for: their own team (workers), their bases' teams (managers)."""
    return Team.objects.filter(team_visibility_filter(user)).select_related("base").order_by("name")


def can_run_courses_for(*, user, team: Team) -> bool:
    return runnable_teams(user=user).filter(pk=team.pk).exists()


def course_list(*, user) -> QuerySet[GroupCourse]:
    team_ids = Team.objects.filter(team_visibility_filter(user)).values("pk")
    return GroupCourse.objects.filter(team_id__in=team_ids)


def course_list_for_page(*, user) -> QuerySet[GroupCourse]:
    """My teams' courses, with what the list shows (one query)."""
    return (
        course_list(user=user)
        .select_related("programme", "venue", "team")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__withdrawn_at__isnull=True), distinct=True),
            sessions_total=Count("sessions", filter=Q(sessions__status=GroupSession.Status.SCHEDULED), distinct=True),
        )
        .order_by("-start_date", "programme__name")
    )


def course_get(*, user, uuid) -> GroupCourse:
    course = course_list(user=user).select_related("programme", "venue", "team__base").filter(uuid=uuid).first()
    if course is None:
        raise Http404("No such course")
    return course


def session_get(*, user, uuid) -> GroupSession:
    session = (
        GroupSession.objects.filter(course__in=course_list(user=user), uuid=uuid)
        .select_related("course__programme", "course__venue", "course__team", "venue", "register_taken_by")
        .first()
    )
    if session is None:
        raise Http404("No such session")
    return session


def enrolment_get(*, user, uuid) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(course__in=course_list(user=user), uuid=uuid)
        .select_related("course__programme", "course__venue", "course__team", "person", "family")
        .first()
    )
    if enrolment is None:
        raise Http404("No such enrolment")
    return enrolment


# Who is enrolled, as each user may see it ------------------------------------------------------------------

RESTRICTED_FAMILY_LABEL = "A family with a restricted record"


def takes_register(*, user, course: GroupCourse, facilitators: list | None = None) -> bool:
    """The course's facilitators and the team managers of its base take the register, so they see who is enrolled.

    Other staff of the team see only counts (and the people of families they work with). ``facilitators``: the
    course's, when already loaded."""
    if facilitators is not None and user in facilitators:
        return True
    if manages_base(user, course.team.base_id):
        return True
    return facilitators is None and course.facilitators.filter(pk=user.pk).exists()


def can_amend_register(*, user, session: GroupSession) -> bool:
    """A taken register is corrected by whoever took it or a team manager of the course's base."""
    if session.register_taken_at is None or session.is_cancelled:
        return False
    return session.register_taken_by_id == user.pk or manages_base(user, session.course.team.base_id)


def label_enrolled(*, user, items: list, names_visible: bool) -> list:
    """Label enrolments or walk-in attendances (anything with ``family`` and maybe ``person``) for ``user``.

    Sets ``shown_name``, ``shown_reference`` ("" when not shown) and ``family_visible`` (link to the family) on
    each, and returns those the user may see at all: everyone when ``names_visible``, else only the families the
    user works with. A restricted family the user is not named on shows as ``RESTRICTED_FAMILY_LABEL`` with no
    name and no reference. Two queries, whatever the number of items.
    """
    family_ids = {item.family_id for item in items}
    visible = set(family_list(user=user).filter(pk__in=family_ids).values_list("pk", flat=True))
    named = set(
        Family.restricted_to.through.objects.filter(family_id__in=family_ids, user_id=user.pk).values_list(
            "family_id", flat=True
        )
    )
    shown = []
    for item in items:
        family = item.family
        item.family_visible = family.pk in visible
        if family.restricted and family.pk not in named:
            item.shown_name, item.shown_reference, item.family_visible = RESTRICTED_FAMILY_LABEL, "", False
        elif names_visible or item.family_visible:
            person = getattr(item, "person", None)
            item.shown_name = person.full_name if person is not None else family.reference
            item.shown_reference = family.reference
        else:
            continue
        shown.append(item)
    return shown


def enrollable_family_get(*, user, reference: str) -> Family | None:
    """A family the user may enrol from (one they can see), with its members; None when there is none."""
    family = family_list(user=user).filter(reference__iexact=reference.strip(), status=Family.Status.OPEN).first()
    if family is not None:
        family.member_list = list(family.members.exclude(kind="unborn").order_by("kind", "date_of_birth"))
        hide_restricted(user, [family])
        family.household_line = f"{family.reference}: {household_names(family)}"
    return family


ENROL_MATCHES = 10
_FAMILY_REFERENCE = re.compile(r"\bECFS-\d{6}\b", re.IGNORECASE)


@dataclass(frozen=True)
class FamilyMatch:
    reference: str
    names: str
    district: str


def reference_in(text: str) -> str:
    """The family reference in what was typed or picked ("Kerry Howes and Alfie (2), ECFS-000123"), or ""."""
    found = _FAMILY_REFERENCE.search(text or "")
    return found.group(0).upper() if found else ""


def enrollable_family_matches(*, user, query: str, limit: int = ENROL_MATCHES) -> list[FamilyMatch]:
    """The open families ``user`` may see that match ``query`` (a name, date of birth, postcode, phone number or
    reference: ``families.search``, scoped like the family list), best first, with who is in them. A restricted
    family the user is not named on is only its reference. Four queries (five with a restricted family)."""
    if not query.strip():
        return []
    _, results = family_search(user=user, query=query, prefetch=[household_prefetch()])
    families = [family for family in results.page(1, limit * 2) if family.status == Family.Status.OPEN][:limit]
    hide_restricted(user, families)
    return [FamilyMatch(family.reference, household_names(family), family.district.name) for family in families]


# Completion -----------------------------------------------------------------------------------------

COMPLETION_SHARE = (2, 3)  # attended at least two thirds of the course's sessions that were not cancelled


def with_completion(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate ``sessions_attended``, ``sessions_held`` (the course's non-cancelled sessions) and ``completed``."""
    held = (
        GroupSession.objects.filter(course_id=OuterRef("course_id"), status=GroupSession.Status.SCHEDULED)
        .order_by()
        .values("course_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    attended = (
        Attendance.objects.filter(
            enrolment_id=OuterRef("pk"), attended=True, session__status=GroupSession.Status.SCHEDULED
        )
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    numerator, denominator = COMPLETION_SHARE
    return (
        enrolments.annotate(
            sessions_attended=Coalesce(Subquery(attended, output_field=IntegerField()), Value(0)),
            sessions_held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)),
        )
        .annotate(
            # attended / held >= 2/3, in whole numbers: attended * 3 >= held * 2
            _attended_scaled=F("sessions_attended") * denominator,
            _held_scaled=F("sessions_held") * numerator,
        )
        .annotate(
            completed=Case(
                When(Q(sessions_held__gt=0, _attended_scaled__gte=F("_held_scaled")), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def is_completed(*, sessions_attended: int, sessions_held: int) -> bool:
    numerator, denominator = COMPLETION_SHARE
    return sessions_held > 0 and sessions_attended * denominator >= sessions_held * numerator


# Pages ----------------------------------------------------------------------------------------------


def course_detail(*, user, uuid) -> GroupCourse:
    """The course page in a fixed number of queries: the course, facilitators, sessions, enrolments with
    completion, and their measures."""
    course = course_get(user=user, uuid=uuid)
    course.facilitator_list = list(course.facilitators.order_by("last_name", "first_name"))
    course.session_list = list(
        course.sessions.select_related("venue").annotate(
            attended_count=Count("attendances", filter=Q(attendances__attended=True))
        )
    )
    today = timezone.localdate()
    for session in course.session_list:
        session.register_open = not session.is_cancelled and timezone.localdate(session.starts_at) <= today
    enrolments = with_completion(course.enrolments.all()).select_related("person", "family", "plan")
    course.enrolment_list = list(
        enrolments.prefetch_related(Prefetch("measures", queryset=ParentMeasure.objects.order_by("stage")))
    )
    for enrolment in course.enrolment_list:
        by_stage = {m.stage: m for m in enrolment.measures.all()}
        enrolment.pre = by_stage.get(ParentMeasure.Stage.PRE)
        enrolment.post = by_stage.get(ParentMeasure.Stage.POST)
    course.open_enrolment_count = sum(1 for e in course.enrolment_list if e.withdrawn_at is None)
    course.places_left = max(course.capacity - course.open_enrolment_count, 0)
    course.takes_register = takes_register(user=user, course=course, facilitators=course.facilitator_list)
    enrolled = len(course.enrolment_list)
    course.enrolment_list = label_enrolled(user=user, items=course.enrolment_list, names_visible=course.takes_register)
    course.unnamed_enrolment_count = enrolled - len(course.enrolment_list)
    return course


@dataclass(frozen=True)
class RegisterLine:
    enrolment: Enrolment
    attended: bool | None  # None: no register taken for them yet


def register_lines(*, session: GroupSession, user) -> list[RegisterLine]:
    """Everyone enrolled (and not withdrawn), with what an earlier register said, labelled for ``user`` (who
    takes the register: see ``takes_register``). Four queries."""
    marks = dict(session.attendances.filter(enrolment__isnull=False).values_list("enrolment_id", "attended"))
    enrolments = list(
        session.course.enrolments.filter(withdrawn_at__isnull=True)
        .select_related("person", "family")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    enrolments = label_enrolled(user=user, items=enrolments, names_visible=True)
    return [RegisterLine(enrolment=e, attended=marks.get(e.pk)) for e in enrolments]


WALK_IN_FAMILY_LABEL = "A walk-in family"
MARK_WORDS = {True: "attended", False: "absent", None: "not on the register"}
WALK_IN_COUNT_LABELS = {"walk_in_adults": "adults who walked in", "walk_in_children": "children who walked in"}


def register_amendments(*, session: GroupSession, user) -> list[Amendment]:
    """The register's corrections, newest first: who, when, why and each mark or count it replaced.

    One correction saves every row it changes with the same moment, user and reason (``register_take``), so
    those three group its rows. People are labelled for ``user`` as on the register. Six queries (eight with
    walk-ins)."""
    marks = list(
        Attendance.history.filter(session_id=session.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    counts = list(session.history.select_related("history_user").order_by("history_date", "history_id"))
    if not any(record.history_change_reason for record in marks + counts):
        return []
    enrolment_ids = {record.enrolment_id for record in marks if record.enrolment_id}
    people = label_enrolled(
        user=user,
        items=list(Enrolment.objects.filter(pk__in=enrolment_ids).select_related("person", "family")),
        names_visible=True,
    )
    names = {enrolment.pk: enrolment.shown_name for enrolment in people}
    walk_in_rows = session.attendances.filter(enrolment__isnull=True).select_related("family")
    walk_ins = (
        label_enrolled(user=user, items=list(walk_in_rows), names_visible=False) if session.course.is_universal else []
    )
    walk_in_names = {row.family_id: f"{row.shown_name} (walk-in)" for row in walk_ins}

    corrections: dict[tuple, tuple[str, list[Change]]] = {}

    def changes_of(record) -> list[Change]:
        key = (record.history_date, record.history_user_id, record.history_change_reason)
        who = record.history_user.get_full_name() if record.history_user else "the system"
        return corrections.setdefault(key, (who, []))[1]

    previous_mark = {}
    for record in marks:
        before = previous_mark.get(record.id)
        previous_mark[record.id] = record.attended
        if record.history_change_reason:
            who = names.get(record.enrolment_id) or walk_in_names.get(record.family_id, WALK_IN_FAMILY_LABEL)
            changes_of(record).append(Change(who, MARK_WORDS[before], MARK_WORDS[record.attended]))
    for previous, record in zip(counts, counts[1:], strict=False):
        if record.history_change_reason:
            changes = changes_of(record)
            for field, label in WALK_IN_COUNT_LABELS.items():
                old, new = getattr(previous, field), getattr(record, field)
                if old != new:
                    changes.append(Change(label, str(old), str(new)))
    amendments = [
        Amendment(when, who, reason, tuple(changes)) for (when, _, reason), (who, changes) in corrections.items()
    ]
    return sorted(amendments, key=lambda amendment: amendment.when, reverse=True)


def walk_in_families(*, session: GroupSession, user) -> list[Family]:
    """The known families among the walk-ins that ``user`` works with (others are kept, never shown)."""
    walk_ins = session.attendances.filter(enrolment__isnull=True, attended=True)
    return list(family_list(user=user).filter(pk__in=walk_ins.values("family_id")).order_by("reference"))


# The returns --------------------------------------------------------------------------------------
# Periods are inclusive local dates, as in the monthly and quarterly returns.


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def sessions_delivered(*, start: date, end: date) -> QuerySet[GroupSession]:
    """Sessions delivered in the period: not cancelled, with a register taken, starting between start and end."""
    since, until = _bounds(start, end)
    return GroupSession.objects.filter(
        status=GroupSession.Status.SCHEDULED,
        register_taken_at__isnull=False,
        starts_at__gte=since,
        starts_at__lt=until,
    )


def sessions_delivered_breakdown(*, start: date, end: date) -> list[dict]:
    """Sessions delivered by district, offer (targeted or universal) and place (base or outreach venue).

    Rows: {"district": name, "offer": "targeted" | "universal", "place": "base" | "outreach", "sessions": n}.
    Targeted covers both targeted offers; a session's place is where it ran (after any move).
    """
    rows = (
        sessions_delivered(start=start, end=end)
        .annotate(
            offer=Case(
                When(course__offer_type=GroupCourse.OfferType.UNIVERSAL, then=Value("universal")),
                default=Value("targeted"),
            ),
            place=Case(When(venue__role=Venue.Role.BASE, then=Value("base")), default=Value("outreach")),
        )
        .values("venue__district__name", "offer", "place")
        .annotate(sessions=Count("pk"))
        .order_by("venue__district__name", "offer", "place")
    )
    return [
        {"district": r["venue__district__name"], "offer": r["offer"], "place": r["place"], "sessions": r["sessions"]}
        for r in rows
    ]


def attendance_summary(*, start: date, end: date) -> list[dict]:
    """Attendances at sessions delivered in the period, by district of the session's venue.

    Rows: {"district", "enrolled_attendances", "walk_in_adults", "walk_in_children", "attendances",
    "unique_families"}. Attendances = enrolled people marked attended + walk-ins counted; unique families =
    families with at least one attendance (enrolled or a named walk-in), counted once per district.
    """
    sessions = sessions_delivered(start=start, end=end)
    totals = {
        r["venue__district__name"]: r
        for r in sessions.values("venue__district__name").annotate(
            adults=Coalesce(Sum("walk_in_adults"), 0), children=Coalesce(Sum("walk_in_children"), 0)
        )
    }
    attended = Attendance.objects.filter(session__in=sessions, attended=True)
    by_district = {
        r["session__venue__district__name"]: r
        for r in attended.values("session__venue__district__name").annotate(
            enrolled=Count("pk", filter=Q(enrolment__isnull=False)), families=Count("family_id", distinct=True)
        )
    }
    rows = []
    for district in sorted(set(totals) | set(by_district)):
        t, a = totals.get(district, {}), by_district.get(district, {})
        enrolled = a.get("enrolled", 0)
        adults, children = t.get("adults", 0), t.get("children", 0)
        rows.append(
            {
                "district": district,
                "enrolled_attendances": enrolled,
                "walk_in_adults": adults,
                "walk_in_children": children,
                "attendances": enrolled + adults + children,
                "unique_families": a.get("families", 0),
            }
        )
    return rows


def unique_families_attending(*, start: date, end: date) -> int:
    """Families attending at least one delivered session in the period, across the county (each counted once)."""
    sessions = sessions_delivered(start=start, end=end)
    return Attendance.objects.filter(session__in=sessions, attended=True).values("family_id").distinct().count()


def targeted_courses_ended(*, start: date, end: date) -> QuerySet[GroupCourse]:
    """Targeted courses whose last session that was not cancelled started in the period."""
    since, until = _bounds(start, end)
    last = (
        GroupSession.objects.filter(course_id=OuterRef("pk"), status=GroupSession.Status.SCHEDULED)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    return (
        GroupCourse.objects.filter(offer_type__in=GroupCourse.TARGETED)
        .annotate(last_session_at=Subquery(last))
        .filter(last_session_at__gte=since, last_session_at__lt=until)
    )


def targeted_course_outcomes(*, start: date, end: date) -> list[dict]:
    """Completion and parents' pre/post change for targeted courses that ended in the period, by district.

    Rows: {"district", "enrolled", "completed", "completion_rate" (0-1 or None), "measured_parents" (both a pre
    and a post measure), "mean_confidence_change", "mean_wellbeing_change" (post minus pre, or None)}.
    Everyone enrolled counts, including those who left: leaving early is not completing. All in SQL aggregates.
    """
    district = "course__venue__district__name"
    enrolments = with_completion(Enrolment.objects.filter(course__in=targeted_courses_ended(start=start, end=end)))
    completion = {
        row[district]: row
        for row in enrolments.values(district)
        .annotate(
            enrolled=Count("pk"),
            completed=Sum(
                Case(
                    When(
                        Q(sessions_held__gt=0) & Q(_attended_scaled__gte=F("_held_scaled")),
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
        .order_by()
    }

    def measure(stage: str, field: str):
        return Subquery(
            ParentMeasure.objects.filter(enrolment_id=OuterRef("pk"), stage=stage).values(field)[:1],
            output_field=IntegerField(),
        )

    measured = (
        Enrolment.objects.filter(course__in=targeted_courses_ended(start=start, end=end))
        .annotate(
            pre_confidence=measure(ParentMeasure.Stage.PRE, "confidence"),
            post_confidence=measure(ParentMeasure.Stage.POST, "confidence"),
            pre_wellbeing=measure(ParentMeasure.Stage.PRE, "wellbeing"),
            post_wellbeing=measure(ParentMeasure.Stage.POST, "wellbeing"),
        )
        .filter(pre_confidence__isnull=False, post_confidence__isnull=False)
    )
    changes = {
        row[district]: row
        for row in measured.values(district)
        .annotate(
            parents=Count("pk"),
            confidence=Sum(F("post_confidence") - F("pre_confidence")),
            wellbeing=Sum(F("post_wellbeing") - F("pre_wellbeing")),
        )
        .order_by()
    }
    result = []
    for name in sorted(completion):
        row, change = completion[name], changes.get(name, {})
        parents = change.get("parents", 0)
        result.append(
            {
                "district": name,
                "enrolled": row["enrolled"],
                "completed": row["completed"] or 0,
                "completion_rate": (row["completed"] or 0) / row["enrolled"] if row["enrolled"] else None,
                "measured_parents": parents,
                "mean_confidence_change": change["confidence"] / parents if parents else None,
                "mean_wellbeing_change": change["wellbeing"] / parents if parents else None,
            }
        )
    return result
