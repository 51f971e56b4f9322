"""Reads for tier-2 support: plans, contacts, and what needs attention. Scoped like families."""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from ecfs.history import amendment_history, amendments_of, merged
from families.access import family_scope
from families.models import (
    Allocation,
    Assessment,
    Contact,
    Determinant,
    Family,
    FollowUp,
    Goal,
    GoalProgress,
    OutcomeAssessment,
    OutcomeScore,
    Person,
    PlanAction,
    PlannedVisit,
    Review,
    SupportPlan,
)
from families.names import HOUSEHOLD_ATTR, hide_restricted, household_names, household_prefetch
from families.services.households import SUPPORT_ENDED
from referrals.models import Referral


def plan_list(*, user) -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(family_scope(user, via="family"))


def plan_detail(*, user, uuid) -> SupportPlan:
    plan = (
        plan_list(user=user)
        .select_related("family", "worker", "activated_by", "closed_by")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("determinant")),
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related(
                    "owner_person", "owner_professional", "owner_worker", "goal"
                ),
            ),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("created_by").prefetch_related(
                    Prefetch("progress", queryset=GoalProgress.objects.select_related("goal__determinant"))
                ),
            ),
            Prefetch(
                "outcome_assessments",
                queryset=OutcomeAssessment.objects.filter(in_error_at__isnull=True).prefetch_related(
                    Prefetch("scores", queryset=OutcomeScore.objects.select_related("determinant"))
                ),
            ),
        )
        .filter(uuid=uuid)
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    return plan


def plan_action_get(*, plan: SupportPlan, uuid) -> PlanAction:
    """One of the plan's actions (the plan is already scoped to the user): 404 otherwise."""
    action = next((action for action in plan.actions.all() if str(action.uuid) == str(uuid)), None)
    if action is None:
        raise Http404("No such action")
    return action


def allocated_workers(*, family: Family):
    """The workers allocated to the family now (lead and co-workers), by name: who an action can be given to."""
    return (
        get_user_model()
        .objects.filter(allocations__family=family, allocations__ended_at__isnull=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def contact_get(*, user, uuid) -> Contact:
    contact = (
        Contact.objects.filter(family_scope(user, via="family"))
        .select_related("family", "venue", "created_by", "plan", "safeguarding_action__recorded_by")
        .prefetch_related("people_seen", "children_seen__child")
        .filter(uuid=uuid)
        .first()
    )
    if contact is None:
        raise Http404("No such contact")
    return contact


def family_contacts(*, family, limit: int = 20) -> list[Contact]:
    return list(
        family.contacts.filter(in_error_at__isnull=True)
        .select_related("created_by", "venue", "safeguarding_action")
        .order_by("-occurred_at")[:limit]
    )


def family_plans(*, family) -> list[SupportPlan]:
    return list(
        family.plans.select_related("worker").prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("determinant")),
            Prefetch(
                "outcome_assessments",
                queryset=OutcomeAssessment.objects.filter(in_error_at__isnull=True).prefetch_related(
                    Prefetch("scores", queryset=OutcomeScore.objects.select_related("determinant"))
                ),
            ),
        )
    )


def visit_get(*, user, uuid) -> PlannedVisit:
    visit = PlannedVisit.objects.filter(family_scope(user, via="family"), uuid=uuid).select_related("family").first()
    if visit is None:
        raise Http404("No such visit")
    return visit


def referral_needs(*, family) -> list[int]:
    """What the family was referred for (the latest accepted referral's reasons): the assessment starts there."""
    referral = (
        family.referrals.filter(status__in=[Referral.Status.ACCEPTED, Referral.Status.ALLOCATED])
        .order_by("-received_at")
        .first()
    )
    return list(referral.reasons.values_list("pk", flat=True)) if referral else []


def assessed_needs(*, family) -> list[int]:
    """The needs the latest completed assessment agreed: a new plan's goals are offered from them."""
    latest = (
        family.assessments.filter(completed_at__isnull=False, in_error_at__isnull=True)
        .order_by("-completed_at")
        .first()
    )
    return list(latest.needs.order_by("pk").values_list("pk", flat=True)) if latest else []


def open_assessment(*, family) -> Assessment | None:
    return (
        family.assessments.filter(completed_at__isnull=True, in_error_at__isnull=True).order_by("-created_at").first()
    )


# What needs attention ---------------------------------------------------------------------------


def open_safeguarding_concerns(*, manager) -> QuerySet[Contact]:
    """Concerns raised on contacts in the manager's bases that have no recorded action yet."""
    return (
        Contact.objects.filter(
            family_scope(manager, via="family"),
            safeguarding_concern=True,
            safeguarding_action__isnull=True,
        )
        .select_related("family", "created_by")
        .order_by("occurred_at")
    )


def plans_awaiting_approval(*, manager) -> QuerySet[SupportPlan]:
    return (
        SupportPlan.objects.filter(
            family_scope(manager, via="family"),
            status__in=[SupportPlan.Status.PENDING_ACTIVATION, SupportPlan.Status.PENDING_CLOSURE],
        )
        .select_related("family", "worker")
        .order_by("modified_at")
    )


def reviews_overdue(*, manager, today: date) -> QuerySet[SupportPlan]:
    return (
        SupportPlan.objects.filter(
            family_scope(manager, via="family"),
            status=SupportPlan.Status.ACTIVE,
            next_review_due__lt=today,
        )
        .select_related("family", "worker")
        .order_by("next_review_due")
    )


@dataclass(frozen=True)
class WeekItem:
    when: date
    what: str
    family_reference: str
    url_name: str
    url_arg: str
    overdue: bool
    family_names: str = ""  # who is in the family: "Kerry Howes and Alfie (2)" (families.names)


# What apps built on this one add to My week (partnership: actions agreed at a team around the family meeting
# when the family has no active plan, and onward referrals' overdue outcomes): each a function of
# ``(user, families, today, horizon)`` giving ``WeekItem``s, where ``families`` are the ids of the families the
# user works with now. Registered once, from the app's ``ready()``; the digest of overdue work reads them too.
_week_sources: list = []


def week_source_register(source) -> None:
    if source not in _week_sources:
        _week_sources.append(source)


def worker_week(*, user, today: date, days: int = 7) -> list[WeekItem]:
    """My reviews, assessments and follow-ups due in the next week, and anything overdue."""
    horizon = today + timedelta(days=days)
    # By the families the user works with now: a family reallocated away leaves the former worker's week at once.
    families = Family.objects.filter(family_scope(user)).values("pk")
    items = []
    for plan in SupportPlan.objects.filter(
        worker=user, family__in=families, status=SupportPlan.Status.ACTIVE, next_review_due__lte=horizon
    ).select_related("family"):
        items.append(
            WeekItem(
                plan.next_review_due,
                "Plan review",
                plan.family.reference,
                "plan-detail",
                str(plan.uuid),
                plan.next_review_due < today,
            )
        )
    for assessment in Assessment.objects.filter(
        family__allocations__worker=user,
        family__allocations__ended_at__isnull=True,
        family__in=families,
        completed_at__isnull=True,
        in_error_at__isnull=True,
        due_on__lte=horizon,
    ).select_related("family"):
        items.append(
            WeekItem(
                assessment.due_on,
                "Assessment due",
                assessment.family.reference,
                "family-detail",
                assessment.family.reference,
                assessment.due_on < today,
            )
        )
    for follow_up in FollowUp.objects.filter(
        plan__worker=user,
        plan__family__in=families,
        recorded_at__isnull=True,
        in_error_at__isnull=True,
        due_on__lte=horizon,
    ).select_related("plan__family"):
        items.append(
            WeekItem(
                follow_up.due_on,
                "Six-month follow-up",
                follow_up.plan.family.reference,
                "plan-detail",
                str(follow_up.plan.uuid),
                follow_up.due_on < today,
            )
        )
    for visit in PlannedVisit.objects.filter(
        worker=user,
        family__in=families,
        cancelled_at__isnull=True,
        starts_at__gte=timezone.now(),
        starts_at__date__lte=horizon,
    ).select_related("family"):
        items.append(
            WeekItem(
                timezone.localdate(visit.starts_at),
                f"{visit.get_mode_display()} at "
                f"{timezone.localtime(visit.starts_at):%H:%M}" + (f": {visit.notes}" if visit.notes else ""),
                visit.family.reference,
                "family-detail",
                visit.family.reference,
                False,
            )
        )
    # The worker who owns the action (the plan's worker, or an allocated worker it was reassigned to); an overdue
    # one (due before today, not done) is flagged.
    for action in PlanAction.objects.filter(
        owner_worker=user,
        plan__family__in=families,
        plan__status=SupportPlan.Status.ACTIVE,
        owner=PlanAction.Owner.WORKER,
        done_on__isnull=True,
        due_on__lte=horizon,
    ).select_related("plan__family"):
        items.append(
            WeekItem(
                action.due_on,
                f"Action: {action.description[:60]}",
                action.plan.family.reference,
                "plan-detail",
                str(action.plan.uuid),
                action.due_on < today,
            )
        )
    for source in _week_sources:
        items.extend(source(user=user, families=families, today=today, horizon=horizon))
    from venues.models import GroupSession

    for session in GroupSession.objects.filter(
        course__facilitators=user,
        status=GroupSession.Status.SCHEDULED,
        starts_at__date__gte=today,
        starts_at__date__lte=horizon,
    ).select_related("course__programme", "venue"):
        items.append(
            WeekItem(
                timezone.localdate(session.starts_at),
                f"Group: {session.course.programme.name} at "
                f"{session.venue.name}, {timezone.localtime(session.starts_at):%H:%M}",
                "",
                "group-session-detail",
                str(session.uuid),
                False,
            )
        )
    return sorted(_with_family_names(items, today), key=lambda item: (item.when, item.family_reference))


def _with_family_names(items: list[WeekItem], today: date) -> list[WeekItem]:
    """Name who is in each item's family: one query (the families' members), none when no item has a family.
    Every family here is one the user works with now (``family_scope``, restrictions included)."""
    references = {item.family_reference for item in items if item.family_reference}
    if not references:
        return items
    families = {}
    for person in Person.objects.filter(family__reference__in=references).select_related("family").order_by("pk"):
        family = families.setdefault(person.family.reference, person.family)
        if not hasattr(family, HOUSEHOLD_ATTR):
            setattr(family, HOUSEHOLD_ATTR, [])
        getattr(family, HOUSEHOLD_ATTR).append(person)
    names = {reference: household_names(family, today) for reference, family in families.items()}
    return [dataclasses.replace(item, family_names=names.get(item.family_reference, "")) for item in items]


# Score journeys -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    x: int
    y: int
    score: int
    label: str


@dataclass(frozen=True)
class ScoreJourney:
    determinant: str
    points: list[ScorePoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def description(self) -> str:
        return ", ".join(f"{p.label} {p.score}" for p in self.points)


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 240, 110, 24


def score_journeys(plan: SupportPlan) -> list[ScoreJourney]:
    """Each determinant's scores over the plan's assessments, laid out for a small SVG chart.

    Uses the prefetched ``outcome_assessments`` and ``scores``; no queries of its own.
    """
    assessments = sorted(plan.outcome_assessments.all(), key=lambda a: (a.assessed_on, a.pk))
    if not assessments:
        return []
    labels = []
    review_number = 0
    for assessment in assessments:
        if assessment.stage == OutcomeAssessment.Stage.REVIEW:
            review_number += 1
            labels.append(f"R{review_number}")
        else:
            labels.append(assessment.get_stage_display())
    steps = max(len(assessments) - 1, 1)
    span_x = CHART_WIDTH - 2 * CHART_PAD
    span_y = CHART_HEIGHT - 2 * CHART_PAD
    journeys: dict[str, list[ScorePoint]] = {}
    for index, assessment in enumerate(assessments):
        x = CHART_PAD + round(span_x * index / steps)
        for score in assessment.scores.all():
            y = CHART_PAD + round(span_y * (10 - score.score) / 9)
            journeys.setdefault(score.determinant.name, []).append(ScorePoint(x, y, score.score, labels[index]))
    return [ScoreJourney(name, points) for name, points in journeys.items()]


@dataclass(frozen=True)
class CaseloadRow:
    family: Family
    role: str
    next_action: str
    due: date | None
    overdue: bool


def caseload(*, user, today: date, names: bool = False) -> list[CaseloadRow]:
    """My families, with their next due action, most urgent first; ``names``: with who is in each family (one
    more query, the members: ``families.names``)."""
    allocations = (
        Allocation.objects.filter(worker=user, ended_at__isnull=True)
        .select_related("family__locality", "family__base")
        .prefetch_related(*([household_prefetch("family__")] if names else []))
        .annotate(
            first_contact_due=Min(
                "family__referrals__first_contact_due",
                filter=Q(family__referrals__status=Referral.Status.ALLOCATED)
                & Q(family__referrals__first_contact_at__isnull=True),
            ),
            children=Count("family__members", filter=Q(family__members__kind__in=["child", "unborn"]), distinct=True),
        )
    )
    rows = []
    for allocation in allocations:
        due = allocation.first_contact_due
        allocation.family.child_count = allocation.children
        rows.append(
            CaseloadRow(
                family=allocation.family,
                role=allocation.get_role_display(),
                next_action="First contact" if due else "",
                due=due,
                overdue=bool(due and due < today),
            )
        )
    if names:
        hide_restricted(user, [row.family for row in rows])
    far = today + timedelta(days=100000)
    rows.sort(key=lambda row: (not row.overdue, row.due or far, row.family.reference))
    return rows


@dataclass(frozen=True)
class EndedRow:
    family: Family
    ended_at: datetime
    reason: str
    follow_up_due: date | None


def support_ended(*, user) -> list[EndedRow]:
    """Families whose support ended while allocated to the worker and that they may still see: those with a
    six-month follow-up for them to record. Newest first."""
    follow_up = FollowUp.objects.filter(
        plan__family=OuterRef("family_id"), recorded_at__isnull=True, in_error_at__isnull=True
    ).order_by("due_on")
    allocations = (
        Allocation.objects.filter(
            family_scope(user, via="family"),
            worker=user,
            ended_at__isnull=False,
            end_reason__startswith=SUPPORT_ENDED,
        )
        .exclude(family__allocations__worker=user, family__allocations__ended_at__isnull=True)
        .select_related("family__locality")
        .annotate(follow_up_due=Subquery(follow_up.values("due_on")[:1]))
        .order_by("-ended_at")
    )
    rows, seen = [], set()
    for allocation in allocations:
        if allocation.family_id in seen:
            continue
        seen.add(allocation.family_id)
        reason = allocation.end_reason.removeprefix(SUPPORT_ENDED).lstrip(": ")
        rows.append(EndedRow(allocation.family, allocation.ended_at, reason, allocation.follow_up_due))
    return rows


# Corrections ----------------------------------------------------------------------------------------------


def assessment_get(*, user, uuid) -> Assessment:
    """A whole-family assessment of a family the user may see (recorded in error or not): 404 otherwise."""
    assessment = (
        Assessment.objects.filter(family_scope(user, via="family"), uuid=uuid)
        .select_related("family", "created_by", "in_error_by")
        .prefetch_related("needs")
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def _one_of(rows, pk, what: str):
    """One of a (scoped) plan's prefetched rows by its pk: 404 otherwise."""
    found = next((row for row in rows if str(row.pk) == str(pk)), None)
    if found is None:
        raise Http404(f"No such {what}")
    return found


def plan_goal_get(*, plan: SupportPlan, pk) -> Goal:
    return _one_of(plan.goals.all(), pk, "goal")


def plan_review_get(*, plan: SupportPlan, pk) -> Review:
    return _one_of(plan.reviews.all(), pk, "review")


def plan_scores_get(*, plan: SupportPlan, pk) -> OutcomeAssessment:
    """A set of the plan's scores that is not marked recorded in error."""
    return _one_of(plan.outcome_assessments.all(), pk, "set of scores")


def with_amendments(plan: SupportPlan) -> SupportPlan:
    """Each goal, action, review and set of scores of the (prefetched) plan, and its follow-up, gets
    ``amendments``: its corrections, newest first. One query per kind of record that the plan has, however many
    records there are (a review's progress and a set's scores join the review's and the set's corrections)."""
    goals, actions, reviews = plan.goals.all(), plan.actions.all(), plan.reviews.all()
    sets = plan.outcome_assessments.all()
    for rows, model, fields in (
        (goals, Goal, ("description",)),
        (actions, PlanAction, ("description",)),
    ):
        found = amendment_history(model, rows, fields)
        for row in rows:
            row.amendments = merged(found.get(row.pk, []))
    progress = [row for review in reviews for row in review.progress.all()]
    own = amendment_history(Review, reviews, ("reviewed_on", "notes"))
    parts = amendment_history(
        GoalProgress,
        progress,
        ("progress",),
        label=lambda row: f"Progress on {row.goal.determinant.name.lower()}",
        show={"progress": lambda value: GoalProgress.Progress(value).label if value else value},
    )
    for review in reviews:
        review.amendments = merged(own.get(review.pk, []), *(parts.get(row.pk, []) for row in review.progress.all()))
    scores = [row for assessment in sets for row in assessment.scores.all()]
    own = amendment_history(OutcomeAssessment, sets, ())
    parts = amendment_history(OutcomeScore, scores, ("score",), label=lambda row: f"{row.determinant.name} score")
    for assessment in sets:
        assessment.amendments = merged(
            own.get(assessment.pk, []), *(parts.get(row.pk, []) for row in assessment.scores.all())
        )
    return plan


def follow_up_amendments(follow_up: FollowUp | None) -> list:
    if follow_up is None:
        return []
    return amendments_of(follow_up, ("sustained", "notes"), show={"sustained": _yes_no})


def _yes_no(value) -> str:
    return {True: "sustained", False: "not sustained"}.get(value, "")


def assessment_amendments(assessment: Assessment) -> list:
    """The assessment's corrections, its needs named."""
    names = dict(Determinant.objects.values_list("pk", "name"))

    def needs(value) -> str:
        return ", ".join(sorted(names.get(row["determinant"], "") for row in value or []))

    return amendments_of(
        assessment,
        ("needs", "strengths", "family_view", "child_voice", "agreed_on"),
        show={"needs": needs},
    )
