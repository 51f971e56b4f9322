"""The family support fund: public money, never overspent, never approved by the applicant.

Approval commits the money with one conditional UPDATE on the budget row
(``committed + amount <= total``), so concurrent approvals cannot overspend
whatever order they commit in, and the ``budget_never_overspent`` check
constraint backs it in the database.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, Q, Sum
from django.db.models.functions import Round
from django.utils import timezone

from bases.selectors import managed_district_ids
from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.financial_year import financial_year_of
from ecfs.roles import Role, has_role
from families.access import manages_family
from families.models import Family, Goal, SupportPlan
from families.rules import long_date, validate_event_date
from families.selectors import family_list, first_referred_on

from .models import Application, ApplicationEvent, Budget, BudgetAdjustment, FundLimits, FundSource

Status = Application.Status
PENNY = Decimal("0.01")
LARGEST_PAYMENT = Decimal("10000.00")
LARGEST_BUDGET = Decimal("9999999999.99")  # what Budget.total_amount (12 digits, 2 of them pence) holds
TEXT_MAX = 2000  # the most an explanation or a reason holds


def check_text_length(value: str, *, field: str, what: str) -> None:
    if len(value or "") > TEXT_MAX:
        raise ValidationError({field: f"{what} must be {TEXT_MAX:,} characters or fewer"})


def _pence(expression):
    """Money arithmetic in the database, rounded to pence (SQLite does decimal sums in floating point)."""
    return Round(expression, 2, output_field=DecimalField(max_digits=12, decimal_places=2))


def clean_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace("£", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "Enter an amount in pounds and pence, like 45.50"}) from None
    if not amount.is_finite():
        raise ValidationError({"amount": "Enter an amount in pounds and pence, like 45.50"})
    if amount <= 0:
        raise ValidationError({"amount": "The amount must be more than £0"})
    # Before quantizing: 1e30 in pence has more digits than Decimal's precision (InvalidOperation).
    if amount > LARGEST_PAYMENT:
        raise ValidationError({"amount": f"The amount must be £{LARGEST_PAYMENT:,} or less"})
    if amount != amount.quantize(PENNY):
        raise ValidationError({"amount": "The amount cannot include fractions of a penny"})
    return amount.quantize(PENNY)


# The application's state machine: for each status, what may be done and the status it leads to. The services'
# guards read it, and so do the predicates (can_...) the pages ask.
SUBMIT, APPROVE, SECOND_APPROVAL, DECLINE, PAY, CANCEL = (
    "submit",
    "approve",
    "second_approval",
    "decline",
    "pay",
    "cancel",
)
APPLICATION_TRANSITIONS: dict[str, dict[str, str]] = {
    Status.DRAFT: {SUBMIT: Status.SUBMITTED, CANCEL: Status.CANCELLED},
    Status.SUBMITTED: {
        APPROVE: Status.APPROVED,
        SECOND_APPROVAL: Status.AWAITING_SECOND,
        DECLINE: Status.DECLINED,
        CANCEL: Status.CANCELLED,
    },
    Status.AWAITING_SECOND: {APPROVE: Status.APPROVED, DECLINE: Status.DECLINED, CANCEL: Status.CANCELLED},
    Status.APPROVED: {PAY: Status.PAID, CANCEL: Status.CANCELLED},
    Status.DECLINED: {},
    Status.PAID: {},
    Status.CANCELLED: {},
}


def application_allows(application: Application, step: str) -> bool:
    return step in APPLICATION_TRANSITIONS[application.status]


# The audit action for each status an application moves into (stored as "fund.<status>").
AUDIT_ACTION_OF_STATUS = {
    Status.DRAFT: AuditAction.FUND_DRAFT,
    Status.SUBMITTED: AuditAction.FUND_SUBMITTED,
    Status.AWAITING_SECOND: AuditAction.FUND_AWAITING_SECOND,
    Status.APPROVED: AuditAction.FUND_APPROVED,
    Status.DECLINED: AuditAction.FUND_DECLINED,
    Status.PAID: AuditAction.FUND_PAID,
    Status.CANCELLED: AuditAction.FUND_CANCELLED,
}


def _event(application: Application, *, old: str, actor, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application, from_status=old, to_status=application.status, actor=actor, note=note
    )
    audit_record(
        actor=actor,
        action=AUDIT_ACTION_OF_STATUS[application.status],
        obj=application,
        family=application.family,
        summary=f"Fund application {application.reference} £{application.amount:,}: "
        f"{application.get_status_display().lower()}",
        changes={"status": {"old": old, "new": application.status}},
    )


# Budgets -------------------------------------------------------------------------------------


def _require_admin(actor) -> None:
    if not has_role(actor, Role.ADMIN):
        raise ApplicationError("Only a service admin can manage budgets.")


@transaction.atomic
def budget_create(*, financial_year: int, source: FundSource, amount, actor, district=None, reason="") -> Budget:
    _require_admin(actor)
    if Budget.objects.filter(financial_year=financial_year, source=source, district=district).exists():
        raise ApplicationError("That budget already exists: adjust it instead.")
    budget = Budget.objects.create(financial_year=financial_year, source=source, district=district)
    budget_adjust(budget=budget, amount=amount, reason=reason or "Initial allocation", actor=actor)
    budget.refresh_from_db()
    return budget


def _refuse_the_same_adjustment_again(*, budget: Budget, amount: Decimal, reason: str, actor) -> None:
    """The same change to a budget, by the same admin, the same day (a form sent twice): refused, so the total moves
    once. A budget's adjustments wait for each other here, so two sent at once are seen as one and its duplicate."""
    Budget.objects.select_for_update().filter(pk=budget.pk).order_by("pk").first()
    if BudgetAdjustment.objects.filter(
        budget=budget, amount=amount, reason=reason, created_by=actor, created_at__date=timezone.localdate()
    ).exists():
        raise ValidationError(
            {
                "__all__": f"This adjustment is already recorded today (£{amount:,.2f}: {reason}): it has not been "
                "recorded again"
            }
        )


@transaction.atomic
def budget_adjust(*, budget: Budget, amount, reason: str, actor) -> BudgetAdjustment:
    """Add to (or, with a negative amount, take from) a budget; never below what is committed."""
    _require_admin(actor)
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        raise ValidationError({"amount": "Enter an amount in pounds and pence"}) from None
    if not amount.is_finite() or amount == 0:
        raise ValidationError({"amount": "Enter an amount in pounds and pence, not zero"})
    limit = settings.ECFS_FUND_MAX_ADJUSTMENT
    if abs(amount) > limit:
        # Almost certainly a typo (1e9 for 1000); a real change this big is entered in several steps. Checked
        # before quantizing, which 1e30 would overflow.
        what = "The amount" if amount > 0 else "The amount taken away"
        raise ValidationError({"amount": f"{what} must be £{limit:,.2f} or less"})
    if amount != amount.quantize(PENNY):
        raise ValidationError({"amount": "Enter an amount in pounds and pence, not zero"})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the budget is changing"})
    _refuse_the_same_adjustment_again(budget=budget, amount=amount, reason=reason, actor=actor)
    updated = (
        Budget.objects.filter(pk=budget.pk)
        .alias(new_total=_pence(F("total_amount") + amount))
        .filter(committed_amount__lte=F("new_total"), new_total__lte=LARGEST_BUDGET)
        .update(total_amount=_pence(F("total_amount") + amount))
    )
    if not updated:
        budget.refresh_from_db()
        if budget.total_amount + amount > LARGEST_BUDGET:
            raise ValidationError({"amount": f"A budget cannot hold more than £{LARGEST_BUDGET:,.2f}"})
        raise ApplicationError(
            f"The budget cannot go below the £{budget.committed_amount:,} already committed to families."
        )
    adjustment = BudgetAdjustment.objects.create(budget=budget, amount=amount, reason=reason, created_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.FUND_BUDGET_ADJUSTED,
        obj=budget,
        summary=f"Budget {budget} adjusted by £{amount:,}",
    )
    return adjustment


# Applications --------------------------------------------------------------------------------


def _active_plan(family: Family) -> SupportPlan | None:
    return family.plans.filter(status=SupportPlan.Status.ACTIVE).order_by("-activated_at").first()


def _refuse_the_same_application_again(*, family: Family, actor, **fields) -> None:
    """The same application made again the same day by the same person (a form sent twice): refused, naming the
    first. Applications for a family wait for each other here, so two sent at once are seen as one and its
    duplicate. One declined or cancelled may be made again."""
    Family.objects.select_for_update().filter(pk=family.pk).first()
    earlier = (
        Application.objects.filter(
            family=family,
            applicant=actor,
            created_at__date=timezone.localdate(),
            category=fields["category"],
            amount=fields["amount"],
            delivery=fields["delivery"],
            supplier=fields["supplier"],
            justification=fields["justification"],
        )
        .exclude(status__in=(Status.DECLINED, Status.CANCELLED))
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            {
                "__all__": f"This application is already made as {earlier.reference} "
                f"({earlier.get_status_display().lower()}): it has not been made again"
            }
        )


@transaction.atomic
def application_create(
    *,
    family: Family,
    actor,
    category: str,
    amount,
    justification: str,
    delivery: str,
    supplier: str = "",
    goals: list[Goal] = (),
    submit: bool = True,
) -> Application:
    if not family_list(user=actor).filter(pk=family.pk).exists():
        raise ApplicationError("You can only apply for families you work with.")
    plan = _active_plan(family)
    if plan is None:
        raise ApplicationError(f"{family.reference} has no active support plan: the fund is for families in support.")
    errors = {}
    try:
        amount = clean_amount(amount)
    except ValidationError as error:
        errors.update(error.message_dict)
    if category not in Application.Category.values:
        errors["category"] = ["Select what the money is for"]
    if delivery not in Application.Delivery.values:
        errors["delivery"] = ["Select how the money will reach the family"]
    if not justification.strip():
        errors["justification"] = ["Explain how this helps the family towards their plan's goals"]
    elif len(justification) > TEXT_MAX:
        errors["justification"] = [f"The explanation must be {TEXT_MAX:,} characters or fewer"]
    if delivery == Application.Delivery.SUPPLIER and not supplier.strip():
        errors["supplier"] = ["Enter the supplier"]
    if any(goal.plan_id != plan.pk for goal in goals):
        errors["goals"] = ["Choose goals from the family's active plan"]
    if errors:
        raise ValidationError(errors)
    _refuse_the_same_application_again(
        family=family,
        actor=actor,
        category=category,
        amount=amount,
        justification=justification,
        delivery=delivery,
        supplier=supplier,
    )
    application = Application.objects.create(
        family=family,
        plan=plan,
        applicant=actor,
        category=category,
        amount=amount,
        justification=justification,
        delivery=delivery,
        supplier=supplier,
        status=Status.SUBMITTED if submit else Status.DRAFT,
        submitted_at=timezone.now() if submit else None,
    )
    application.reference = f"FSF-{application.pk:06d}"
    application.save(update_fields=["reference"])
    application.goals.set(goals)
    _event(application, old="", actor=actor)
    return application


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != actor.pk:
        raise ApplicationError("Only the applicant can submit their draft.")
    if not application_allows(application, SUBMIT):
        raise ApplicationError("Only a draft can be submitted.")
    if _active_plan(application.family) is None:
        raise ApplicationError("The family no longer has an active support plan.")
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", "modified_at"])
    _event(application, old=Status.DRAFT, actor=actor)
    return application


def family_spend_last_12_months(family: Family, *, excluding: Application | None = None) -> Decimal:
    since = timezone.now() - timedelta(days=365)
    applications = Application.objects.filter(family=family, status__in=Application.HOLDS_MONEY, approved_at__gte=since)
    if excluding is not None:
        applications = applications.exclude(pk=excluding.pk)
    return applications.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def over_limit_reasons(application: Application) -> list[str]:
    limits = FundLimits.current()
    reasons = []
    if application.amount > limits.max_per_payment:
        reasons.append(f"it is more than the £{limits.max_per_payment:,} limit for one payment")
    spent = family_spend_last_12_months(application.family, excluding=application)
    if spent + application.amount > limits.max_per_family_12_months:
        reasons.append(
            f"the family would have had £{spent + application.amount:,} in 12 months, over the "
            f"£{limits.max_per_family_12_months:,} limit"
        )
    return reasons


def _check_decider(application: Application, actor, *, second: bool = False) -> None:
    """The family's base's manager decides; a second approval may come from any team manager in its district."""
    if application.applicant_id == actor.pk:
        raise ApplicationError("You cannot decide on your own application: another team manager must.")
    if not has_role(actor, Role.MANAGER):
        raise ApplicationError("Only a team manager can decide on fund applications.")
    if second:
        if application.family.district_id not in managed_district_ids(actor):
            raise ApplicationError("A second approval must come from a team manager in the family's district.")
    elif not manages_family(actor, application.family):
        raise ApplicationError("Only a team manager of the family's base can decide on fund applications.")


def _decider_refusal(application: Application, actor, *, second: bool = False) -> str | None:
    try:
        _check_decider(application, actor, second=second)
    except ApplicationError as refused:
        return refused.message
    return None


# What the pages ask: the same rules the services enforce (short of the budget having the money).


def can_submit_application(user, application: Application) -> bool:
    return application_allows(application, SUBMIT) and application.applicant_id == user.pk


def can_approve_application(user, application: Application) -> bool:
    second = application.status == Status.AWAITING_SECOND
    return (
        application_allows(application, APPROVE)
        and _decider_refusal(application, user, second=second) is None
        and not (second and application.first_approved_by_id == user.pk)
    )


def can_decline_application(user, application: Application) -> bool:
    return application_allows(application, DECLINE) and _decider_refusal(application, user) is None


def can_decide_application(user, application: Application) -> bool:
    """The decision box (approve or decline) shows to whoever can do at least one of them."""
    return can_approve_application(user, application) or can_decline_application(user, application)


def can_record_payment(user, application: Application) -> bool:
    return application_allows(application, PAY) and manages_family(user, application.family)


def can_cancel_application(user, application: Application) -> bool:
    if not application_allows(application, CANCEL):
        return False
    if application.status == Status.DRAFT:
        return application.applicant_id == user.pk
    return manages_family(user, application.family)


def _commit_money(application: Application) -> Budget:
    """Charge the application to the first budget of its year that can afford it (district, then county)."""
    year = financial_year_of(timezone.localdate())
    budgets = list(
        Budget.objects.filter(
            Q(district_id=application.family.district_id) | Q(district__isnull=True), financial_year=year
        )
        .select_related("source")
        .order_by(F("district_id").asc(nulls_last=True), "source__priority", "pk")
    )
    for budget in budgets:
        charged = (
            Budget.objects.filter(pk=budget.pk)
            .alias(room=_pence(F("total_amount") - F("committed_amount")))
            .filter(room__gte=application.amount)
            .update(committed_amount=_pence(F("committed_amount") + application.amount))
        )
        if charged:
            return budget
    remaining = sum(
        (b.total_amount - b.committed_amount for b in Budget.objects.filter(pk__in=[b.pk for b in budgets])),
        Decimal("0.00"),
    )
    raise ApplicationError(
        f"Not enough money left: £{application.amount:,} is needed but the {year}/{str(year + 1)[-2:]} budgets "
        f"for {application.family.district} have £{max(remaining, Decimal('0.00')):,} left between them."
    )


@transaction.atomic
def application_approve(*, application: Application, actor, note: str = "") -> Application:
    check_text_length(note, field="reason", what="The reason")
    application = Application.objects.select_for_update().select_related("family").get(pk=application.pk)
    _check_decider(application, actor, second=application.status == Status.AWAITING_SECOND)
    if not application_allows(application, APPROVE):
        raise ApplicationError(
            f"{application.reference} is {application.get_status_display().lower()}, so it cannot be approved."
        )
    old = application.status
    now = timezone.now()
    if application.status == Status.SUBMITTED:
        reasons = over_limit_reasons(application)
        if reasons:
            application.needs_second_approval = True
            application.first_approved_by = actor
            application.first_approved_at = now
            application.status = Status.AWAITING_SECOND
            application.decision_reason = note
            application.save()
            _event(application, old=old, actor=actor, note="Needs a second approval: " + "; ".join(reasons))
            return application
    elif application.first_approved_by_id == actor.pk:
        raise ApplicationError("The second approval must come from a different team manager.")
    application.budget = _commit_money(application)
    application.status = Status.APPROVED
    application.approved_by = actor
    application.approved_at = now
    if note:
        application.decision_reason = note
    application.save()
    _event(application, old=old, actor=actor, note=note)
    return application


@transaction.atomic
def application_decline(*, application: Application, actor, reason: str) -> Application:
    application = Application.objects.select_for_update().select_related("family").get(pk=application.pk)
    _check_decider(application, actor)
    if not application_allows(application, DECLINE):
        raise ApplicationError(
            f"{application.reference} is {application.get_status_display().lower()}, so it cannot be declined."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for declining"})
    check_text_length(reason, field="reason", what="The reason")
    old = application.status
    application.status = Status.DECLINED
    application.decision_reason = reason
    application.save()
    _event(application, old=old, actor=actor, note=reason)
    return application


def validate_payment_date(application: Application, paid_on: date) -> None:
    """Not in the future, not before the family was referred, and not before the money was approved."""
    errors = {}
    try:
        validate_event_date(
            paid_on,
            field="paid_on",
            today=timezone.localdate(),
            first_referred=first_referred_on(application.family),
            what="The payment date",
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    approved_on = timezone.localtime(application.approved_at).date() if application.approved_at else None
    if approved_on and paid_on < approved_on:
        errors.setdefault("paid_on", []).append(
            f"The payment date must be on or after the approval ({long_date(approved_on)})"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_record_payment(*, application: Application, paid_on: date, reference: str, actor) -> Application:
    """Record the payment. A retried request with the same reference changes nothing."""
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": "Enter the payment reference"})
    application = Application.objects.select_for_update().select_related("family").get(pk=application.pk)
    validate_payment_date(application, paid_on)
    if application.status == Status.PAID:
        if application.payment_reference == reference:
            return application
        raise ApplicationError(
            f"{application.reference} was already paid with reference {application.payment_reference}."
        )
    if not application_allows(application, PAY):
        raise ApplicationError("Only an approved application can be paid.")
    if not manages_family(actor, application.family):
        raise ApplicationError("Only a team manager of the family's base can record payments.")
    Budget.objects.filter(pk=application.budget_id).update(paid_amount=_pence(F("paid_amount") + application.amount))
    application.status = Status.PAID
    application.paid_on = paid_on
    application.payment_reference = reference
    application.save()
    _event(application, old=Status.APPROVED, actor=actor, note=f"Paid {paid_on:%-d %B %Y}, reference {reference}")
    return application


@transaction.atomic
def application_cancel(*, application: Application, actor, reason: str) -> Application:
    """Cancel an approved (unpaid) application and return its money to the budget."""
    application = Application.objects.select_for_update().select_related("family").get(pk=application.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling"})
    check_text_length(reason, field="reason", what="The reason")
    if application.status == Status.DRAFT and application.applicant_id == actor.pk:
        pass
    elif application_allows(application, CANCEL) and application.status != Status.DRAFT:
        if not manages_family(actor, application.family):
            raise ApplicationError("Only a team manager of the family's base can cancel this application.")
    else:
        raise ApplicationError(
            f"{application.reference} is {application.get_status_display().lower()}, so it cannot be cancelled."
        )
    old = application.status
    if old == Status.APPROVED:
        Budget.objects.filter(pk=application.budget_id).update(
            committed_amount=_pence(F("committed_amount") - application.amount)
        )
    application.status = Status.CANCELLED
    application.cancelled_at = timezone.now()
    application.decision_reason = reason
    application.save()
    _event(application, old=old, actor=actor, note=reason)
    return application
