"""Reads of the fund, scoped: workers see their families' applications, managers their bases',
managers and admins the aggregate dashboard (no names)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum, prefetch_related_objects
from django.http import Http404

from bases.selectors import managed_base_ids, managed_district_ids
from ecfs.roles import Role, has_role
from families.access import allocated_filter, restriction_filter
from families.names import household_names, household_prefetch
from families.rules import SERVICE_START
from families.selectors import family_list

from .models import Application, Budget
from .services import financial_year_of

ZERO = Decimal("0.00")


def application_list(*, user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Application.objects.none()
    visible = Q(pk__in=[])
    if has_role(user, Role.MANAGER):
        visible |= Q(family__base_id__in=managed_base_ids(user))
        # A second approval may come from any team manager in the family's district.
        visible |= Q(status=Application.Status.AWAITING_SECOND, family__district_id__in=managed_district_ids(user))
    if has_role(user, Role.WORKER):
        visible |= allocated_filter(user, "family")
    return Application.objects.filter(visible & restriction_filter(user, "family"))


def application_get(*, user, uuid) -> Application:
    application = (
        application_list(user=user)
        .select_related("family", "plan", "applicant", "first_approved_by", "approved_by", "budget__source")
        .prefetch_related("goals__determinant", "events__actor")
        .filter(uuid=uuid)
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def decision_queue(*, manager) -> QuerySet[Application]:
    """What awaits this manager's decision: a first decision at their bases, a second approval in their
    district. Not their own applications, nor those they approved first (the second approval is another
    manager's): only what ``services.can_decide_application`` lets them decide."""
    return (
        application_list(user=manager)
        .filter(status__in=Application.AWAITING_DECISION)
        .exclude(applicant=manager)
        .exclude(status=Application.Status.AWAITING_SECOND, first_approved_by=manager)
        .select_related("family", "applicant", "first_approved_by")
        .order_by("submitted_at")
    )


def my_applications(*, user) -> QuerySet[Application]:
    """What I applied for, for the families I work with now (not those reallocated away since)."""
    return application_list(user=user).filter(applicant=user).select_related("family").order_by("-created_at")[:50]


def dashboard_years(*, today: date) -> range:
    """The financial years the fund has figures for: from the service's first (2019/20) to next year, or the
    latest year a budget was set up for."""
    first = financial_year_of(SERVICE_START)
    latest_budget = Budget.objects.aggregate(latest=Max("financial_year"))["latest"] or first
    return range(first, max(financial_year_of(today) + 1, latest_budget) + 1)


def can_see_dashboard(user) -> bool:
    return has_role(user, Role.MANAGER) or has_role(user, Role.ADMIN)


@dataclass(frozen=True)
class Dashboard:
    year: int
    budgets: list
    by_source: list[dict]
    by_category: list[dict]
    by_district: list[dict]
    total: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.committed

    @property
    def year_label(self) -> str:
        return f"{self.year}/{str(self.year + 1)[-2:]}"


def _pounds(value) -> Decimal:
    """Sums to the penny (SQLite returns decimal sums as floats without trailing zeros)."""
    return Decimal(str(value or 0)).quantize(ZERO)


def dashboard(*, year: int) -> Dashboard:
    """Committed, paid and remaining money for a financial year, in SQL sums."""
    budgets = list(Budget.objects.filter(financial_year=year).select_related("source", "district"))
    holding = Application.objects.filter(budget__financial_year=year, status__in=Application.HOLDS_MONEY)
    paid_q = Q(status=Application.Status.PAID)
    by_source = list(
        Budget.objects.filter(financial_year=year)
        .values("source__name")
        .annotate(total=Sum("total_amount"), committed=Sum("committed_amount"), paid=Sum("paid_amount"))
        .order_by("source__priority", "source__name")
    )
    by_category = list(
        holding.values("category")
        .annotate(committed=Sum("amount"), paid=Sum("amount", filter=paid_q), count=Count("pk"))
        .order_by("category")
    )
    labels = dict(Application.Category.choices)
    for row in by_category:
        row["label"] = labels[row["category"]]
        row["paid"] = row["paid"] or ZERO
    by_district = list(
        holding.values("family__district__name")
        .annotate(committed=Sum("amount"), paid=Sum("amount", filter=paid_q), count=Count("pk"))
        .order_by("family__district__name")
    )
    for row in by_district:
        row["paid"] = row["paid"] or ZERO
    totals = Budget.objects.filter(financial_year=year).aggregate(
        total=Sum("total_amount"), committed=Sum("committed_amount"), paid=Sum("paid_amount")
    )
    for row in [*by_source, *by_category, *by_district]:
        for key in ("total", "committed", "paid"):
            if key in row:
                row[key] = _pounds(row[key])
    return Dashboard(
        year=year,
        budgets=budgets,
        by_source=by_source,
        by_category=by_category,
        by_district=by_district,
        total=_pounds(totals["total"]),
        committed=_pounds(totals["committed"]),
        paid=_pounds(totals["paid"]),
    )


FINANCE_COLUMNS = (
    "reference",
    "status",
    "category",
    "amount",
    "district",
    "source",
    "financial_year",
    "approved_on",
    "paid_on",
    "payment_reference",
    "delivery",
    "supplier",
)


def finance_rows(*, year: int):
    """One row per application holding money in the year: no names, addresses or notes."""
    applications = (
        Application.objects.filter(budget__financial_year=year, status__in=Application.HOLDS_MONEY)
        .select_related("family__district", "budget__source")
        .order_by("approved_at", "pk")
    )
    for application in applications.iterator(chunk_size=1000):
        yield [
            application.reference,
            application.status,
            application.category,
            f"{application.amount:.2f}",
            application.family.district.name,
            application.budget.source.name,
            f"{year}/{str(year + 1)[-2:]}",
            application.approved_at.date().isoformat() if application.approved_at else "",
            application.paid_on.isoformat() if application.paid_on else "",
            application.payment_reference,
            application.delivery,
            application.supplier,
        ]


def with_family_names(applications, *, user) -> None:
    """Put the family's names ("Kerry Howes and Alfie (2)") on each application the user may see the family
    of (a second approver from another base sees the application, not the family): two queries for any list."""
    families = {application.family_id: application.family for application in applications}
    if not families:
        return
    visible = set(family_list(user=user).filter(pk__in=families).values_list("pk", flat=True))
    prefetch_related_objects([families[pk] for pk in visible], household_prefetch())
    for application in applications:
        application.family_names = household_names(application.family) if application.family_id in visible else ""
