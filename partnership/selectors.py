"""Reads of meetings and onward referrals, always through the family's access rules (families/access.py)."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ecfs.history import amendments_of
from families.access import family_scope
from families.models import PlanAction
from families.support.selectors import WeekItem

from .models import MeetingAction, OnwardReferral, TafMeeting
from .services import AMENDABLE_MEETING_FIELDS

_ACTIONS = Prefetch(
    "actions",
    queryset=MeetingAction.objects.select_related(
        "owner_worker",
        "owner_person",
        "owner_professional",
        "plan_action__owner_worker",
        "plan_action__owner_person",
        "plan_action__owner_professional",
        "plan_action__plan",
    ),
)


def family_meetings(*, family) -> list[TafMeeting]:
    """A family's meetings, newest first, with who leads and how many actions."""
    return list(
        TafMeeting.objects.filter(family=family)
        .select_related("lead_worker", "lead_professional")
        .prefetch_related("actions")
    )


def family_onward_referrals(*, family) -> QuerySet[OnwardReferral]:
    return OnwardReferral.objects.filter(family=family)


def meeting_list(*, user) -> QuerySet[TafMeeting]:
    """The meetings of every family ``user`` may see (the API's list)."""
    return (
        TafMeeting.objects.filter(family_scope(user, via="family"))
        .select_related("family", "lead_worker", "lead_professional", "created_by")
        .prefetch_related("professionals", "people", "workers", _ACTIONS)
    )


def meeting_get(*, user, uuid) -> TafMeeting:
    """A meeting of a family ``user`` may see, or 404."""
    meeting = meeting_list(user=user).filter(uuid=uuid).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _long(day) -> str:
    return f"{day:%-d %B %Y}" if day else "not set"


def meeting_amendments(meeting: TafMeeting):
    """Each correction, newest first, with what was there before (dates in words, yes or no for sharing)."""
    show = {"held_on": _long, "next_meeting_on": _long, "shared_with_agencies": lambda v: "yes" if v else "no"}
    return amendments_of(meeting, AMENDABLE_MEETING_FIELDS, show=show)


def onward_referral_list(*, user) -> QuerySet[OnwardReferral]:
    return OnwardReferral.objects.filter(family_scope(user, via="family")).select_related("family", "referred_by")


def onward_referral_get(*, user, uuid) -> OnwardReferral:
    referral = onward_referral_list(user=user).filter(uuid=uuid).first()
    if referral is None:
        raise Http404("No such onward referral")
    return referral


def week_items(*, user, families, today: date, horizon: date) -> list[WeekItem]:
    """My week's share (registered in apps.py): the worker's own actions from meetings of families without an
    active plan (those on a plan are the plan's, listed with the plan's actions), due within the week or overdue,
    and onward referrals of the families allocated to them whose outcome was expected before today and is not
    recorded."""
    items = []
    for action in MeetingAction.objects.filter(
        owner=PlanAction.Owner.WORKER,
        owner_worker=user,
        plan_action__isnull=True,
        done_on__isnull=True,
        due_on__lte=horizon,
        meeting__family__in=families,
    ).select_related("meeting__family"):
        items.append(
            WeekItem(
                action.due_on,
                f"Meeting action: {action.description[:60]}",
                action.meeting.family.reference,
                "taf-meeting-detail",
                str(action.meeting.uuid),
                action.due_on < today,
            )
        )
    for referral in OnwardReferral.objects.filter(
        outcome="",
        outcome_expected_by__lt=today,
        family__in=families,
        family__allocations__worker=user,
        family__allocations__ended_at__isnull=True,
    ).select_related("family"):
        items.append(
            WeekItem(
                referral.outcome_expected_by,
                f"Onward referral outcome: {referral.organisation[:50]}",
                referral.family.reference,
                "onward-referral-detail",
                str(referral.uuid),
                True,
            )
        )
    return items
