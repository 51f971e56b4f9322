"""Absolute query counts for the pages people use most, pinned as data grows (healthchecks' habit).

Each page is fetched once with a little data and again after more families, referrals, plans, contacts and
applications are added: the count must be the pinned number both times. A change that adds a query to one of
these pages changes its pin here, on purpose, with the query named in the comment.

Every page starts with the session, the user and the user's role groups (3). A team manager's pages add their
authenticator device (two-factor) and the bases they manage, read once per request (5).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from families.models import Contact
from families.support import services as support_services
from support_fund.models import Application
from tests.families.factories import active_plan, home_visit, scores
from tests.helpers import count_queries
from tests.referrals.factories import allocated_referral, received_referral
from tests.support_fund.factories import application, budget

PINNED_QUERIES = {
    # 5 + the managed bases' teams, the count of the filtered queue, districts and bases for the filters,
    # the page of referrals (with family, team and reasons joined), the people named on them
    ("manager", "triage-queue"): 11,
    # 3 + the caseload: open allocations with the family, the first contact due and the number of children;
    # their members (the names beside each)
    ("worker", "family-list"): 5,
    # 5 + the count of the managed bases' families, the page of them, their members (the names beside each)
    ("manager", "family-list"): 8,
    # 3 + the family (scoped), members, professionals, allocations, referrals, their reasons, their decisions,
    # the deciders, the timeline, plans, recent contacts, the open assessment, upcoming visits, the last
    # completed assessment, its needs; the audit row for the view; the documents on the record (with who added them);
    # the team around the family meetings (with their leads) and the onward referrals (+1 with any meeting: their
    # actions; none in this world)
    ("worker", "family-detail"): 22,
    # 5 + the teams' ids, the triage counts, open safeguarding concerns, plans awaiting approval, overdue
    # reviews, the count of fund applications awaiting their decision, workers with their caseloads, the
    # manager's teams, their workers; the overdue complaints (voice); the workers to flag for supervision and
    # training (workforce: their last session, latest training per course and DBS check as subqueries)
    ("manager", "home"): 16,
    # 3 + the staff profile, the caseload, the team's colleagues, the community connections to ask about
    ("worker", "home"): 7,
    # 3 + the plan (scoped), goals, actions, reviews, their progress, outcome assessments, their scores;
    # the audit row for the view; the follow-up; the corrections shown beside them, one history read each for
    # the goals, the reviews, their progress, the sets of scores and the scores (actions and the follow-up: none
    # in this world)
    ("worker", "plan-detail"): 17,
    # 3 + the contact (scoped), the people seen, the children seen, the family's children; the audit row; its
    # history (corrections, with who made them)
    ("worker", "contact-detail"): 9,
    # 3 + plans with reviews due, open assessments, follow-ups due, planned visits, plan actions due, group
    # sessions the worker runs (+1 when anything is due for a family: its members, the names beside it; none
    # is in this world); the actions of meetings of families without an active plan, onward referrals' overdue
    # outcomes (partnership)
    ("worker", "my-week"): 11,
    # 5 + the teams' ids, the referral (scoped), its reasons, people, decisions, the duplicate check's people,
    # which of the matches the manager may see, when the matches' support last ended (the re-referral flag);
    # its history and its corrections' audit rows (the reasons each replaced); the audit row for the view
    ("manager", "referral-detail"): 16,
    # 5 + the application (scoped), the goals it serves, its events, their actors; the audit row; the fund
    # limits and the family's payments in the last 12 months; its history (corrections, with who made them)
    ("manager", "fund-application"): 13,
    # 5 + the decision queue, the bases' recent applications; which of their families the manager may see,
    # and those families' members (their names)
    ("manager", "fund-home"): 9,
    # 3 + the authenticator device (no managed bases: the figures are the county's) + the districts, the children
    # known by district and town (one query however many families), the localities, the supported families in
    # the highest-need towns (two: from their saved versions at the quarter's end, and those with none), the
    # localities by need (the town table)
    ("manager", "reach-dashboard"): 10,
}


@dataclass
class World:
    cast: object
    family: object
    plan: object
    referral: object
    application: object
    reviews: int = 0

    def grow(self, n: int) -> None:
        """n more families in support (allocated, a plan, a visit with a concern, a fund application), n more
        referrals waiting for triage, and n more reviews and visits on the first family."""
        cast = self.cast
        for _ in range(n):
            family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
            active_plan(family=family, worker=cast.worker, manager=cast.manager)
            home_visit(family=family, worker=cast.worker, concern=True)
            application(cast, family)
            received_referral(team=cast.team, actor=cast.worker)
            home_visit(family=self.family, worker=cast.worker, concern=True)
            # One review a day (a second on the same day is refused), each after the plan started (a month ago).
            self.reviews += 1
            support_services.plan_review(
                plan=self.plan,
                reviewed_on=timezone.localdate() - timedelta(days=self.reviews),
                progress={goal.pk: "positive" for goal in self.plan.goals.all()},
                scores=scores(self.plan, 5),
                notes="",
                actor=cast.worker,
            )

    def url(self, name: str) -> str:
        args = {
            "family-detail": [self.family.reference],
            "plan-detail": [self.plan.uuid],
            "contact-detail": [Contact.objects.filter(family=self.family).order_by("pk").first().uuid],
            "referral-detail": [self.referral.uuid],
            "fund-application": [self.application.uuid],
        }
        return reverse(name, args=args.get(name))


@pytest.fixture
def world(cast):
    budget(cast, "5000.00")
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=True):
        family = allocated_referral(team=cast.team, manager=cast.manager, worker=cast.worker).family
        plan = active_plan(family=family, worker=cast.worker, manager=cast.manager)
    home_visit(family=family, worker=cast.worker, concern=True)
    submitted = application(cast, family)
    assert submitted.status != Application.Status.DRAFT
    referral = received_referral(team=cast.team, actor=cast.worker)
    return World(cast=cast, family=family, plan=plan, referral=referral, application=submitted)


@pytest.mark.parametrize(("who", "page"), sorted(PINNED_QUERIES), ids=lambda value: str(value))
def test_key_pages_run_a_pinned_number_of_queries_as_data_grows(client, world, who, page):
    user = {"manager": world.cast.manager, "worker": world.cast.worker}[who]
    client.force_login(user)
    world.grow(1)
    assert count_queries(client, world.url(page)) == PINNED_QUERIES[(who, page)]
    world.grow(4)
    assert count_queries(client, world.url(page)) == PINNED_QUERIES[(who, page)]
