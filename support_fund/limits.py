"""The fund limits page: the service admin sets when a second approval is needed and how much a family may
receive in 12 months (``FundLimits``, one row)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.views.decorators.http import require_http_methods

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.roles import Role
from ecfs.view_helpers import form_post, require_role

from .models import FundLimits

PER_PAYMENT_LABEL = "A second approval is needed above"
PER_FAMILY_LABEL = "A family can receive at most, in 12 months, without a second approval"
PER_PAYMENT_ABOVE_PER_FAMILY = (
    "The amount above which a second approval is needed cannot be more than the most a family can receive in 12 months"
)


def _pounds_field(label: str, hint: str, what: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=hint,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("999999.99"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} in pounds and pence, like 250 or 250.00",
            "min_value": f"Enter {what} of at least £0.01",
            "max_value": f"Enter {what} of £999,999.99 or less",
            "max_decimal_places": "The amount cannot include fractions of a penny",
            "max_digits": f"Enter {what} of £999,999.99 or less",
        },
    )


class FundLimitsForm(forms.Form):
    max_per_payment = _pounds_field(
        f"{PER_PAYMENT_LABEL} (£)",
        "A payment above this amount needs a second team manager to approve it too",
        "the amount above which a second approval is needed",
    )
    max_per_family_12_months = _pounds_field(
        f"{PER_FAMILY_LABEL} (£)",
        "All the family's payments in any 12 months together; a second approval is needed above it",
        "the most a family can receive in 12 months",
    )


@transaction.atomic
def fund_limits_update(*, actor, max_per_payment: Decimal, max_per_family_12_months: Decimal) -> FundLimits:
    if max_per_payment > max_per_family_12_months:
        raise ValidationError({"max_per_payment": PER_PAYMENT_ABOVE_PER_FAMILY})
    FundLimits.current()
    limits = FundLimits.objects.select_for_update().get(pk=1)
    before = {
        "max_per_payment": str(limits.max_per_payment),
        "max_per_family_12_months": str(limits.max_per_family_12_months),
    }
    limits.max_per_payment = max_per_payment
    limits.max_per_family_12_months = max_per_family_12_months
    limits.save()
    audit_record(
        actor=actor,
        action=AuditAction.FUND_LIMITS_CHANGED,
        obj=limits,
        summary=f"Fund limits: second approval above £{max_per_payment:,}, at most £{max_per_family_12_months:,} "
        "a family in 12 months",
        changes={
            "before": before,
            "after": {
                "max_per_payment": str(max_per_payment),
                "max_per_family_12_months": str(max_per_family_12_months),
            },
        },
    )
    return limits


@require_http_methods(["GET", "POST"])
def fund_limits(request):
    require_role(request.user, Role.ADMIN)
    limits = FundLimits.current()
    return form_post(
        request,
        lambda **kwargs: FundLimitsForm(
            initial={
                "max_per_payment": limits.max_per_payment,
                "max_per_family_12_months": limits.max_per_family_12_months,
            },
            **kwargs,
        ),
        call=lambda form: fund_limits_update(actor=request.user, **form.cleaned_data),
        success="Fund limits saved.",
        redirect_to="fund-limits",
        template="fund/limits.html",
        context={"limits": limits},
    )
