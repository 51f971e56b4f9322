"""Correcting a fund application's details and its payment (README, *Correcting what was recorded*): the original is
kept by django-simple-history with the reason, and the correction is audited (``fund.amended``).

What may be corrected, and by whom, follows the application's state:

- awaiting a decision (draft, submitted, awaiting a second approval): the amount, category, delivery and supplier, by
  the applicant or a team manager of the family's base. A new amount on one awaiting a second approval goes back for
  a first decision: the first approval was for another amount.
- approved, not yet paid: the same people and answers. A lower amount gives the difference back to the budget; a
  higher one is a new request: the money is released and the application goes back for a decision, where the fund
  limits (``support_fund.limits``) and the budget are checked again, so a correction never gets round them.
- paid: a team manager of the family's base (not the applicant) corrects the recorded amount, date and reference
  (and what it was for, and how). The budget's committed and paid figures move with the amount; more than was
  approved must still be within the fund limits and the budget (the extra is otherwise a new application).
- declined or cancelled: nothing (no money moves; the record stays as decided).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from ecfs.history import Amendment, Change, amendments_of
from families.access import manages_family
from families.rules import long_date

from .models import Application, Budget
from .services import _event, _pence, clean_amount, over_limit_reasons, validate_payment_date

Status = Application.Status

DETAIL_FIELDS = ("amount", "category", "delivery", "supplier")
PAYMENT_FIELDS = ("paid_on", "payment_reference")
AMENDABLE_APPLICATION_FIELDS = (*DETAIL_FIELDS, *PAYMENT_FIELDS)
CORRECTABLE_BEFORE_PAYMENT = (Status.DRAFT, Status.SUBMITTED, Status.AWAITING_SECOND, Status.APPROVED)


def can_correct_application(user, application: Application) -> bool:
    """Before payment: the applicant or a team manager of the family's base. Once paid: that manager, unless they
    applied. Never once declined or cancelled."""
    if application.status in CORRECTABLE_BEFORE_PAYMENT:
        return application.applicant_id == user.pk or manages_family(user, application.family)
    if application.status == Status.PAID:
        return application.applicant_id != user.pk and manages_family(user, application.family)
    return False


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the application is being corrected"})
    return reason.strip()


def _clean(application: Application, *, amount, category, delivery, supplier, paid_on, payment_reference) -> dict:
    errors = {}
    try:
        amount = clean_amount(amount)
    except ValidationError as error:
        errors.update(error.message_dict)
    if category not in Application.Category.values:
        errors["category"] = ["Select what the money is for"]
    if delivery not in Application.Delivery.values:
        errors["delivery"] = ["Select how the money will reach the family"]
    supplier = (supplier or "").strip()
    if delivery == Application.Delivery.SUPPLIER and not supplier:
        errors["supplier"] = ["Enter the supplier"]
    new = {"amount": amount, "category": category, "delivery": delivery, "supplier": supplier}
    if application.status == Status.PAID:
        payment_reference = (payment_reference or "").strip()
        if not payment_reference:
            errors["payment_reference"] = ["Enter the payment reference"]
        if paid_on is None:
            errors["paid_on"] = ["Enter the date paid"]
        else:
            try:
                validate_payment_date(application, paid_on)
            except ValidationError as error:
                errors.update(error.message_dict)
        new.update({"paid_on": paid_on, "payment_reference": payment_reference})
    if errors:
        raise ValidationError(errors)
    return new


def _back_for_decision(application: Application, *, old_amount: Decimal) -> None:
    """An approved application asks for more, or one awaiting a second approval for another amount: the earlier
    approval no longer covers it. Its money (if any) goes back to the budget and it awaits a first decision."""
    old_status = application.status
    if old_status == Status.APPROVED:
        Budget.objects.filter(pk=application.budget_id).update(
            committed_amount=_pence(F("committed_amount") - old_amount)
        )
    application.status = Status.SUBMITTED
    application.budget = None
    application.needs_second_approval = False
    application.first_approved_by = None
    application.first_approved_at = None
    application.approved_by = None
    application.approved_at = None


def _move_paid_amount(application: Application, difference: Decimal) -> None:
    """A paid application's corrected amount moves its budget's committed and paid money with it; more is charged
    only if the budget has it (the same conditional update as an approval)."""
    budgets = Budget.objects.filter(pk=application.budget_id)
    if difference > 0:
        budgets = budgets.alias(new_committed=_pence(F("committed_amount") + difference)).filter(
            new_committed__lte=F("total_amount")
        )
    moved = budgets.update(
        committed_amount=_pence(F("committed_amount") + difference),
        paid_amount=_pence(F("paid_amount") + difference),
    )
    if not moved:
        budget = Budget.objects.get(pk=application.budget_id)
        raise ApplicationError(
            f"{budget} has £{budget.total_amount - budget.committed_amount:,} left: it cannot take the extra "
            f"£{difference:,}."
        )


@transaction.atomic
def application_amend(
    *,
    application: Application,
    actor,
    reason: str,
    amount,
    category: str,
    delivery: str,
    supplier: str = "",
    paid_on: date | None = None,
    payment_reference: str = "",
) -> Application:
    """Correct an application's amount and details, or a paid one's payment, within its state's rules (module
    docstring). The earlier version is kept with the reason."""
    reason = _require_reason(reason)
    application = Application.objects.select_for_update(of=("self",)).select_related("family").get(pk=application.pk)
    if not can_correct_application(actor, application):
        if application.status in (Status.DECLINED, Status.CANCELLED):
            raise ApplicationError(
                f"{application.reference} is {application.get_status_display().lower()}: it cannot be corrected."
            )
        if application.status == Status.PAID:
            raise ApplicationError(
                "A paid application is corrected by a team manager of the family's base who did not apply for it."
            )
        raise ApplicationError("Only the applicant or a team manager of the family's base can correct it.")
    new = _clean(
        application,
        amount=amount,
        category=category,
        delivery=delivery,
        supplier=supplier,
        paid_on=paid_on,
        payment_reference=payment_reference,
    )
    changed = [name for name, value in new.items() if getattr(application, name) != value]
    if not changed:
        raise ValidationError({"reason": "Nothing was changed: correct at least one answer"})

    old_amount = application.amount
    old_status = application.status
    difference = new["amount"] - old_amount
    for name, value in new.items():
        setattr(application, name, value)
    back_for_decision = False
    if (difference and old_status == Status.AWAITING_SECOND) or (difference > 0 and old_status == Status.APPROVED):
        _back_for_decision(application, old_amount=old_amount)
        back_for_decision = True
    elif difference and old_status == Status.APPROVED:
        Budget.objects.filter(pk=application.budget_id).update(
            committed_amount=_pence(F("committed_amount") + difference)
        )
    elif difference and old_status == Status.PAID:
        if difference > 0:
            breaches = over_limit_reasons(application)
            if breaches:
                raise ApplicationError(
                    f"£{new['amount']:,} would have needed a second approval ({'; '.join(breaches)}): record the "
                    "extra as a new application, so it is decided within the limits."
                )
        _move_paid_amount(application, difference)

    application._change_reason = reason
    application._history_user = actor
    application.save()
    if back_for_decision:
        _event(
            application,
            old=old_status,
            actor=actor,
            note=f"Amount corrected from £{old_amount:,} to £{application.amount:,}: back for a decision ({reason})",
        )
    audit_record(
        actor=actor,
        action=AuditAction.FUND_AMENDED,
        obj=application,
        family=application.family,
        summary=f"Fund application {application.reference} corrected "
        f"({', '.join(name.replace('_', ' ') for name in changed)}): {reason}"[:300],
        changes={
            "fields": changed,
            "reason": reason,
            **({"amount": {"old": str(old_amount), "new": str(application.amount)}} if "amount" in changed else {}),
            **({"status": {"old": old_status, "new": application.status}} if back_for_decision else {}),
        },
    )
    return application


def _readable(field_name: str, value):
    if value in (None, ""):
        return value
    if field_name == "amount":
        return f"£{Decimal(value):,.2f}"
    model_field = Application._meta.get_field(field_name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, date):
        return long_date(value)
    return value


def application_amendments(application: Application) -> list[Amendment]:
    """The application's corrections, newest first, worded for people (money in pounds, choices by their label)."""
    by_label = {Application._meta.get_field(name).verbose_name: name for name in AMENDABLE_APPLICATION_FIELDS}
    return [
        Amendment(
            amendment.when,
            amendment.who,
            amendment.reason,
            tuple(
                Change(
                    change.field,
                    _readable(by_label[change.field], change.old),
                    _readable(by_label[change.field], change.new),
                )
                for change in amendment.changes
            ),
        )
        for amendment in amendments_of(application, AMENDABLE_APPLICATION_FIELDS)
    ]
