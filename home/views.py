"""The pages that compose the domain apps: each role's landing page, and the county pages."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bases import selectors as base_selectors
from community import selectors as community_selectors
from ecfs.roles import Role, primary_role
from families import selectors as family_selectors
from families.models import SupportPlan
from families.support import selectors as support_selectors
from referrals import selectors as referral_selectors
from support_fund import selectors as fund_selectors
from venues import selectors as venue_selectors
from venues.assessment import answers_of
from venues.models import Venue
from voice import selectors as voice_selectors
from workforce import selectors as workforce_selectors


@require_GET
def home(request):
    """Each role lands on its own page."""
    role = primary_role(request.user)
    context = {"role": role}
    today = timezone.localdate()
    if role == Role.MANAGER:
        context["teams"] = base_selectors.teams_managed_by(user=request.user)
        context["overview"] = referral_selectors.manager_overview(user=request.user, today=today)
        context["workers"] = family_selectors.worker_caseloads(manager=request.user)
        context["concerns"] = support_selectors.open_safeguarding_concerns(manager=request.user)
        awaiting_approval = list(support_selectors.plans_awaiting_approval(manager=request.user))
        context["plans_to_start"] = [
            plan for plan in awaiting_approval if plan.status == SupportPlan.Status.PENDING_ACTIVATION
        ]
        context["plans_to_close"] = [
            plan for plan in awaiting_approval if plan.status == SupportPlan.Status.PENDING_CLOSURE
        ]
        context["overdue_review_count"] = support_selectors.reviews_overdue(manager=request.user, today=today).count()
        context["fund_decisions"] = fund_selectors.decision_queue(manager=request.user).count()
        # Complaints of their bases past the day the response was due (voice).
        context["complaints_overdue"] = list(voice_selectors.complaints_overdue(manager=request.user, today=today)[:20])
        # Workers in their teams whose supervision is over six weeks old or whose training needs renewing (workforce).
        context["workforce_flags"] = workforce_selectors.flagged_workers(manager=request.user, today=today)
        template = "home/manager.html"
    elif role == Role.WORKER:
        profile = base_selectors.staff_profile_of(user=request.user)
        caseload = support_selectors.caseload(user=request.user, today=today)
        context["profile"] = profile
        context["colleagues"] = base_selectors.team_colleagues(profile=profile) if profile else []
        context["caseload_count"] = len(caseload)
        context["overdue"] = [row for row in caseload if row.overdue]
        # "Did they go, and is it helping?": connections to community groups four weeks on (community).
        context["follow_ups"] = list(community_selectors.follow_ups_due(user=request.user, today=today)[:10])
        template = "home/worker.html"
    elif role == Role.COMMISSIONER:
        context["districts"] = base_selectors.district_list()
        context["localities"] = base_selectors.locality_list_by_need()[:10]
        template = "home/commissioner.html"
    elif role == Role.ADMIN:
        context["counts"] = base_selectors.staff_counts()
        context["bases"] = base_selectors.base_list()
        template = "home/admin.html"
    else:
        template = "home/no_role.html"
    return render(request, template, context)


@require_GET
def county(request):
    return render(
        request,
        "county/county.html",
        {
            "districts": base_selectors.district_list(),
            "bases": base_selectors.base_list(),
            "localities": base_selectors.locality_list_by_need(),
        },
    )


def _with_answers(venue):
    venue.answers = answers_of(venue)
    return venue


@require_GET
def venue_list(request):
    district = request.GET.get("district") or None
    role = request.GET.get("role") or None
    if role not in Venue.Role.values:
        role = None
    return render(
        request,
        "county/venues.html",
        {
            "venues": [_with_answers(venue) for venue in venue_selectors.venue_list(district_slug=district, role=role)],
            "districts": base_selectors.district_list(),
            "roles": Venue.Role.choices,
            "selected_district": district,
            "selected_role": role,
        },
    )
