"""A small dataset in quarter 2 of 2025/26 (July to September 2025) whose every figure is worked out by hand.

Broadland (cast.team at Acle Marshes) and Norwich (cast.other_team at Catton Grove):
- 6 health-visitor referrals in Broadland received Thu 10 Jul 2025 (triage due Tue 15 Jul, first contact due
  Thu 24 Jul). 5 triaged on 14 Jul, 1 on 21 Jul; all accepted and allocated to the worker on 11 Jul.
- 2 GP referrals in Norwich received Tue 5 Aug 2025: one signposted on 6 Aug, one never triaged.
- Contacts: 4 home visits on 20 Jul (first contact on time for families 1-4), 1 phone call on 30 Jul (late first
  contact for family 5), 1 contact at the base on 1 Aug (family 1). Family 6 never contacted.
- One-to-one plans for families 1-3 approved 25 Jul; start scores 3 for both goals (social networks: impact 1;
  parental mental health: impact 2). Family 1 closed 15 Sep needs met (closing scores 7, 7); family 2 closed
  15 Sep stepped up (2, 2); family 3 still open. Follow-up of family 1 recorded 20 Sep: sustained.
- Family 1's child born 1 May 2022 (3 at quarter end) started funded early education 1 Sep 2025; family 2's
  child born 1 Jun 2022 did not. Family 3's child born 1 Dec 2023 (1 at quarter end).
- A parent of family 1 started work on 1 Aug 2025.
- Fund: council budget of £1,000.00 for 2025/26; £40.00 food and £25.50 travel approved 10 Aug for family 3.
- A targeted open course at Acle Marshes with 3 weekly sessions on 7, 14 and 21 Jul 2025 (registers taken):
  family 1's parent attended all 3, family 2's parent 1; pre/post ratings for family 1's parent: confidence 4→7,
  wellbeing 5→6; family 2's parent only a pre rating.
- Contract budget actuals for 2025/26: Q1 and Q2 each front line 620, management 200, buildings 100, fund 50,
  contingency 30.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from families.models import Allocation, FollowUp, OutcomeAssessment, Person, SupportPlan
from families.support import services as support_services
from referrals import services as referral_services
from referrals.models import Referral, TriageDecision
from reporting.models import BudgetActual, ContractBudgetLine
from support_fund import services as fund_services
from support_fund.models import Application, Budget, FundSource
from tests.families.factories import active_plan, scores
from tests.referrals.factories import default_people, received_referral
from tests.venues.factories import course as make_course
from tests.venues.factories import parent_of
from venues import services as venue_services
from venues.models import GroupCourse

# The children's birthday, fixed: under the age the returns count at the quarter's end, and born before the
# quarter's contacts (a date worked out from today would move with --clock and fall after them).
CHILD_BORN = date(2024, 12, 1)


def at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def build(cast) -> dict:
    worker, manager = cast.worker, cast.manager
    broadland = []
    for n in range(6):
        referral = received_referral(
            team=cast.team,
            actor=worker,
            received_at=at(date(2025, 7, 10)),
            people=default_people(last_name=f"Fam{n}", dob=CHILD_BORN),
        )
        referral_services.referral_decide(
            referral=referral, decision="accept", reason="meets_threshold", notes="ok", actor=manager, new_family=True
        )
        referral.refresh_from_db()
        referral_services.referral_allocate(referral=referral, worker=worker, actor=manager)
        triaged = at(date(2025, 7, 14) if n < 5 else date(2025, 7, 21))
        Referral.objects.filter(pk=referral.pk).update(triaged_at=triaged)
        TriageDecision.objects.filter(referral=referral).update(decided_at=triaged)
        Allocation.objects.filter(family=referral.family).update(started_at=at(date(2025, 7, 11)))
        broadland.append(Referral.objects.get(pk=referral.pk))
    families = [r.family for r in broadland]

    norwich_team = cast.other_team
    norwich = [
        received_referral(
            team=norwich_team,
            actor=cast.other_worker,
            people=default_people(dob=CHILD_BORN),
            received_at=at(date(2025, 8, 5)),
            source="gp",
            district=norwich_team.base.district,
            locality=norwich_team.base.district.localities.order_by("name").first(),
        )
        for _ in range(2)
    ]
    referral_services.referral_decide(
        referral=norwich[0],
        decision="signpost",
        reason="community_groups",
        notes="Stay and play",
        actor=cast.other_manager,
    )
    Referral.objects.filter(pk=norwich[0].pk).update(triaged_at=at(date(2025, 8, 6)))
    TriageDecision.objects.filter(referral=norwich[0]).update(decided_at=at(date(2025, 8, 6)))

    for family in families[:4]:
        child = {c.pk: True for c in family.members.filter(kind="child")}
        support_services.contact_log(
            family=family,
            actor=worker,
            occurred_at=at(date(2025, 7, 20)),
            duration_minutes=60,
            mode="home_visit",
            notes="Visit",
            children_seen=child,
        )
    support_services.contact_log(
        family=families[4],
        actor=worker,
        occurred_at=at(date(2025, 7, 30)),
        duration_minutes=20,
        mode="phone",
        notes="Call",
    )
    support_services.contact_log(
        family=families[0],
        actor=worker,
        occurred_at=at(date(2025, 8, 1)),
        duration_minutes=45,
        mode="base",
        venue=cast.team.base.venue,
        notes="At base",
    )

    course = make_course(
        cast=cast, offer_type=GroupCourse.OfferType.TARGETED_OPEN, start_date=date(2025, 7, 7), sessions=3, capacity=10
    )
    one, two = (venue_services.enrolment_create(course=course, person=parent_of(f), actor=worker) for f in families[:2])
    for number, session in enumerate(course.sessions.order_by("number"), start=1):
        attended = {one.uuid} | ({two.uuid} if number == 1 else set())
        venue_services.register_take(session=session, actor=worker, attended=attended)
    venue_services.parent_measure_record(enrolment=one, stage="pre", confidence=4, wellbeing=5, actor=worker)
    venue_services.parent_measure_record(enrolment=one, stage="post", confidence=7, wellbeing=6, actor=worker)
    venue_services.parent_measure_record(enrolment=two, stage="pre", confidence=3, wellbeing=3, actor=worker)

    plans = [active_plan(family=f, worker=worker, manager=manager) for f in families[:3]]
    for plan, reason, closing in ((plans[0], "needs_met", 7), (plans[1], "stepped_up", 2)):
        support_services.plan_request_closure(
            plan=plan,
            reason=reason,
            summary="Done",
            scores=scores(plan, closing),
            assessed_on=timezone.localdate(),
            actor=worker,
        )
        support_services.plan_approve_closure(plan=plan, actor=manager)
    SupportPlan.objects.filter(pk__in=[p.pk for p in plans]).update(activated_at=at(date(2025, 7, 25)))
    SupportPlan.objects.filter(pk__in=[plans[0].pk, plans[1].pk]).update(closed_at=at(date(2025, 9, 15)))
    OutcomeAssessment.objects.filter(plan__in=plans).update(assessed_on=date(2025, 7, 25))
    FollowUp.objects.filter(plan=plans[0]).update(
        sustained=True, recorded_at=at(date(2025, 9, 20)), recorded_by=worker, due_on=date(2026, 3, 15)
    )

    child = lambda family: family.members.get(kind=Person.Kind.CHILD)  # noqa: E731
    Person.objects.filter(pk=child(families[0]).pk).update(
        date_of_birth=date(2022, 5, 1), funded_education_started_on=date(2025, 9, 1)
    )
    Person.objects.filter(pk=child(families[1]).pk).update(date_of_birth=date(2022, 6, 1))
    Person.objects.filter(pk=child(families[2]).pk).update(date_of_birth=date(2023, 12, 1))
    progress = support_services.parent_progress_record(
        person=parent_of(families[0]), kind="work", started_on=timezone.localdate(), actor=worker
    )
    type(progress).objects.filter(pk=progress.pk).update(started_on=date(2025, 8, 1))

    this_year = fund_services.financial_year_of(timezone.localdate())
    budget = fund_services.budget_create(
        financial_year=this_year,
        source=FundSource.objects.get(name="Council allocation"),
        amount="1000.00",
        actor=cast.admin,
    )
    for amount, category in (("40.00", "food"), ("25.50", "travel")):
        application = fund_services.application_create(
            family=families[2], actor=worker, category=category, amount=amount, justification="x", delivery="voucher"
        )
        fund_services.application_approve(application=application, actor=manager)
    Budget.objects.filter(pk=budget.pk).update(financial_year=2025)
    Application.objects.update(approved_at=at(date(2025, 8, 10)))

    for quarter in (1, 2):
        for line, amount in zip(ContractBudgetLine.objects.order_by("position"), (620, 200, 100, 50, 30), strict=True):
            BudgetActual.objects.create(line=line, financial_year=2025, quarter=quarter, amount=Decimal(amount))
    return {"families": families, "plans": plans}
