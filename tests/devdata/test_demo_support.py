"""The demo support seed: plans in every state, contacts, group courses, the fund and submitted returns."""

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from pypdf import PdfReader

from advice.models import AdviceEntry
from devdata.demo import demo_seed
from devdata.demo_advice import demo_advice_seed
from devdata.demo_development import demo_development_seed
from devdata.demo_partnership import demo_partnership_seed
from devdata.demo_privacy import demo_privacy_seed
from devdata.demo_support import DEMO_ALLOCATION, demo_returns_seed, demo_support_seed, demo_support_summary
from devdata.demo_voice import demo_voice_seed
from devdata.demo_workforce import demo_workforce_seed
from ecfs.audit.models import AuditEvent
from ecfs.errors import ApplicationError
from families.models import (
    Contact,
    FollowUp,
    OutcomeAssessment,
    ParentProgress,
    Person,
    Review,
    SafeguardingAction,
    SupportPlan,
)
from reporting import disclosure
from reporting.figures import computed_figures, published_alongside
from reporting.kpis import COUNTY
from reporting.models import BudgetActual, Return
from reporting.periods import MONTHLY, QUARTERLY, last_complete, parse_period, period_containing
from support_fund.models import Application, Budget, BudgetAdjustment
from support_fund.services import financial_year_of
from venues.models import Attendance, GroupCourse, GroupSession, ParentMeasure

IMPACTS = (
    "Supporting children to achieve their developmental milestones",
    "Preventing more children aged 0-5 from experiencing neglect or emotional harm",
    "Increasing social mobility",
)


def _snapshot() -> tuple:
    return tuple(
        model.objects.count()
        for model in (
            SupportPlan,
            Review,
            Contact,
            GroupCourse,
            GroupSession,
            Attendance,
            Application,
            Budget,
            BudgetActual,
            Return,
            AuditEvent,
        )
    )


def _assert_a_year_of_fund_applications(now, today) -> None:
    """A year of applications, every month of it, the older ones decided and only the last weeks' waiting."""
    applications = Application.objects.all()
    earliest = applications.order_by("created_at").first()
    assert earliest.created_at <= now - timedelta(days=330), earliest.created_at
    assert applications.filter(submitted_at__lte=now - timedelta(days=330)).exists()
    for month in range(12):  # the last twelve months, as 30-day spans back from now
        made = applications.filter(
            created_at__gt=now - timedelta(days=30 * (month + 1)), created_at__lte=now - timedelta(days=30 * month)
        )
        assert made.count() >= 5, f"{made.count()} applications {30 * month}-{30 * (month + 1)} days ago"
    # Budgets for this financial year, the last and any before that the applications began in; the money charged
    # to the year of each approval (checked above), so to last year's budgets and before.
    this_year = financial_year_of(today)
    budget_years = sorted(set(Budget.objects.values_list("financial_year", flat=True)))
    assert budget_years == list(range(budget_years[0], this_year + 1)), budget_years
    assert budget_years[0] <= min(this_year - 1, financial_year_of(timezone.localdate(earliest.created_at)))
    holding = applications.filter(status__in=Application.HOLDS_MONEY)
    assert holding.filter(budget__financial_year__lt=this_year).exists()
    # Waiting is recent: drafts, decisions, second approvals and payments of the last weeks only.
    assert not applications.filter(status__in=["draft", "submitted"], created_at__lt=now - timedelta(days=31)).exists()
    assert not applications.filter(status="awaiting_second", first_approved_at__lt=now - timedelta(days=31)).exists()
    assert not applications.filter(status="approved", approved_at__lt=now - timedelta(days=31)).exists()
    # Over a limit, a second manager approved too: another team's manager in the family's district.
    seconded = applications.filter(needs_second_approval=True, status__in=Application.HOLDS_MONEY)
    assert seconded.exists()
    for application in seconded.select_related("approved_by", "first_approved_by", "family"):
        assert application.approved_by != application.first_approved_by
        assert application.approved_by.managed_teams.filter(base__district=application.family.district_id).exists()
    # The returns' fund figures for a month near a year ago.
    old_month = period_containing(MONTHLY, today - timedelta(days=330))
    figures = computed_figures(old_month)  # as computed: whether the demo paid anything, not what is shown
    fund = {kpi["code"]: kpi for section in figures["sections"] for kpi in section["kpis"]}
    paid = sum(Decimal(row["values"][COUNTY]) for row in fund["fund_payments_by_category"]["rows"])
    assert paid > 0, old_month.label


@pytest.mark.slow
@pytest.mark.dates
def test_demo_support_covers_every_state_consistently_and_is_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, _, counts = demo_seed()
    now = timezone.now()
    today = timezone.localdate()
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1), "the seed's clock is put back"
    assert counts["created"] is True
    assert "Demo support: " in demo_support_summary(counts)

    # Plans in every state, closed for every reason, scored at the start and at the close.
    plans = SupportPlan.objects.all()
    assert set(plans.values_list("status", flat=True)) == set(SupportPlan.Status.values)
    closed = plans.filter(status=SupportPlan.Status.CLOSED)
    assert set(closed.values_list("closure_reason", flat=True)) == set(SupportPlan.ClosureReason.values)
    assert closed.filter(closure_reason="needs_met").count() > closed.count() / 3
    assert set(plans.values_list("kind", flat=True)) == set(SupportPlan.Kind.values)
    started = plans.filter(status__in=["active", "pending_closure", "closed"])
    assert started.count() > 60
    for plan in started.prefetch_related("outcome_assessments", "goals"):
        stages = {a.stage for a in plan.outcome_assessments.all()}
        assert "start" in stages, plan
        assert plan.activated_at and plan.activated_at <= now
        if plan.status != SupportPlan.Status.ACTIVE:
            assert "close" in stages, plan
    assert not plans.filter(status=SupportPlan.Status.ACTIVE, activated_at__isnull=True).exists()
    assert not closed.filter(closed_at__lt=F("activated_at")).exists()
    assert OutcomeAssessment.objects.filter(stage="review").exists()
    assert plans.filter(status=SupportPlan.Status.ACTIVE, next_review_due__lt=today).exists(), "overdue reviews"
    quarters = {period_containing(QUARTERLY, timezone.localdate(p.closed_at)).label for p in closed}
    assert len(quarters) >= 2, quarters
    assert last_complete(QUARTERLY, today).label in quarters
    # Follow-ups of needs-met closures: some recorded (sustained mostly), some still due.
    assert FollowUp.objects.filter(recorded_at__isnull=False).exists()
    assert FollowUp.objects.filter(recorded_at__isnull=True).exists()
    assert ParentProgress.objects.exists()
    assert Person.objects.filter(funded_education_started_on__isnull=False).exists()
    assert not Person.objects.filter(funded_education_started_on__gt=today).exists()

    # Contacts, mostly home visits; safeguarding concerns mostly actioned, a few left for the managers.
    contacts = Contact.objects.all()
    assert contacts.count() > 300
    assert contacts.filter(mode="home_visit").count() > contacts.count() / 3
    assert set(contacts.values_list("mode", flat=True)) == set(Contact.Mode.values)
    assert not contacts.filter(occurred_at__gt=now).exists()
    concerns = contacts.filter(safeguarding_concern=True)
    open_concerns = concerns.filter(safeguarding_action__isnull=True).count()
    assert 2 <= open_concerns <= 4
    assert SafeguardingAction.objects.count() > open_concerns

    # Group courses: registers taken on past sessions, walk-ins at universal ones, some cancelled, some to come.
    sessions = GroupSession.objects.all()
    assert GroupCourse.objects.count() >= 10
    assert set(GroupCourse.objects.values_list("offer_type", flat=True)) == set(GroupCourse.OfferType.values)
    assert sessions.filter(register_taken_at__isnull=False).count() > 50
    assert sessions.filter(course__offer_type="universal", walk_in_adults__gt=0).exists()
    assert sessions.filter(status="cancelled").exists()
    assert sessions.filter(starts_at__gt=now, status="scheduled").exists()
    assert not sessions.filter(register_taken_at__isnull=False, starts_at__gt=now).exists()
    assert Attendance.objects.filter(attended=True, enrolment__isnull=False).exists()
    assert ParentMeasure.objects.filter(stage="pre").exists()
    assert ParentMeasure.objects.filter(stage="post").exists()

    # The fund: every status, never overspent, charged to the financial year of the approval.
    applications = Application.objects.all()
    assert 180 <= applications.count() <= 360
    assert set(applications.values_list("status", flat=True)) == set(Application.Status.values)
    assert BudgetAdjustment.objects.filter(reason=DEMO_ALLOCATION).count() == Budget.objects.count() >= 4
    for budget in Budget.objects.all():
        assert budget.remaining_amount >= 0, budget
        assert budget.committed_amount <= budget.total_amount
        assert budget.paid_amount <= budget.committed_amount
    for application in applications.filter(status__in=Application.HOLDS_MONEY).select_related("budget"):
        assert application.budget.financial_year == financial_year_of(timezone.localdate(application.approved_at))
    assert not applications.filter(status="paid", paid_on__gt=today).exists()
    _assert_a_year_of_fund_applications(now, today)

    # The advice log, seeded after the families' support as `seed_demo` does: entries name known families and link
    # the referrals made for them, each recorded at the family's own base (its manager may see the family).
    demo_privacy_seed()
    advice = demo_advice_seed()
    assert advice["known_families"] > 0 and advice["referrals_linked"] > 0
    for entry in AdviceEntry.objects.filter(family__isnull=False).select_related("family", "base")[:20]:
        assert entry.family.base_id == entry.base_id

    # Contract budget actuals and the submitted returns, generated after the rest of the demo (as `seed_demo`
    # does), so the partnership, workforce, voice and child development sections have records to count.
    assert BudgetActual.objects.filter(financial_year=financial_year_of(today) - 1).count() == 4 * 5
    assert not Return.objects.exists()
    demo_development_seed()
    demo_partnership_seed()
    demo_workforce_seed()
    demo_voice_seed()
    quarter = last_complete(QUARTERLY, today)
    assert demo_returns_seed() == [
        f"{MONTHLY} {last_complete(MONTHLY, today).label} v1",
        f"{QUARTERLY} {quarter.label} v1",
    ]
    assert len(demo_returns_seed()) == 2, "once only"
    submitted = Return.objects.get(kind=QUARTERLY, period=quarter.label, status=Return.Status.SUBMITTED)
    assert Return.objects.filter(
        kind=MONTHLY, period=last_complete(MONTHLY, today).label, status=Return.Status.SUBMITTED
    ).exists()
    # Disclosure control (issue #16): the audit passes on every table of every return the demo made (a quarter
    # beside its three months), and no count from 1 to 4 is shown anywhere in them.
    returns = list(Return.objects.all())
    assert {r.kind for r in returns} == {MONTHLY, QUARTERLY}
    for a_return in returns:
        alongside = published_alongside(parse_period(a_return.period))
        assert disclosure.audit(a_return.figures, alongside) == [], (a_return.kind, a_return.period)
        for section in a_return.figures["sections"]:
            for kpi in section["kpis"]:
                for row in kpi["rows"]:
                    if row["unit"] == "count":
                        assert not {"1", "2", "3", "4"} & set(row["display"].values()), (kpi["code"], row["label"])
    with submitted.pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) >= 5
    for impact in IMPACTS:
        assert impact in text, impact
    sections = {section["code"]: section for section in submitted.figures["sections"]}
    for code in ("development", "partnership", "workforce", "voice", "digital"):
        assert sections[code]["title"] in text, code
        shown = [
            value
            for kpi in sections[code]["kpis"]
            for row in kpi["rows"]
            for value in row["display"].values()
            if value not in ("0", "–", "-", "")
        ]
        assert shown, f"the demo's {code} section shows only zeros"

    # Nothing happens in the future.
    assert not AuditEvent.objects.filter(occurred_at__gt=timezone.now()).exists()

    # A second run creates nothing.
    before = _snapshot()
    again = demo_support_seed()
    assert _snapshot() == before
    assert again == counts | {"created": False}


def test_demo_support_needs_the_demo_families(db, settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    with pytest.raises(ApplicationError):
        demo_support_seed()


def test_demo_support_refused_on_a_production_key(settings):
    settings.SECRET_KEY = "a-real-production-secret-key-" + "x" * 40
    settings.DEBUG = False
    with pytest.raises(ApplicationError):
        demo_support_seed()
