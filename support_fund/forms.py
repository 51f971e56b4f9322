import copy

from django import forms
from django.utils import timezone

from bases.models import District
from ecfs.govuk_forms import GovukDateField

from .models import Application, FundSource
from .services import TEXT_MAX


class ApplicationForm(forms.Form):
    category = forms.ChoiceField(
        label="What is the money for?",
        choices=Application.Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the money is for",
            "invalid_choice": "Select what the money is for",
        },
    )
    amount = forms.CharField(
        label="Amount in pounds",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5", "spellcheck": "false"}),
        help_text="For example, 45.50",
        error_messages={"required": "Enter the amount"},
    )
    justification = forms.CharField(
        label="How does this help the family towards their plan's goals?",
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={
            "required": "Explain how this helps the family towards their plan's goals",
            "max_length": f"The explanation must be {TEXT_MAX:,} characters or fewer",
        },
    )
    goals = forms.ModelMultipleChoiceField(
        label="Goals it supports", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    delivery = forms.ChoiceField(
        label="How will the money reach the family?",
        choices=Application.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the money will reach the family",
            "invalid_choice": "Select how the money will reach the family",
        },
    )
    supplier = forms.CharField(label="Supplier", max_length=150, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = (
            plan.goals.select_related("determinant") if plan else self.fields["goals"].queryset
        )
        if plan is None:
            del self.fields["goals"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or decline", "invalid_choice": "Select approve or decline"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
        help_text="Required when declining.",
        error_messages={"max_length": f"The reason must be {TEXT_MAX:,} characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for declining")
        return cleaned


class PaymentForm(forms.Form):
    paid_on = GovukDateField(label="Date paid", must_be_past=True)
    reference = forms.CharField(
        label="Payment reference", max_length=60, error_messages={"required": "Enter the payment reference"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why cancel?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX,
        error_messages={
            "required": "Give the reason for cancelling",
            "max_length": f"The reason must be {TEXT_MAX:,} characters or fewer",
        },
    )


class BudgetForm(forms.Form):
    financial_year = forms.IntegerField(
        label="Financial year starting in",
        min_value=2019,
        max_value=2100,
        help_text="2026 means April 2026 to March 2027.",
        error_messages={"required": "Enter the year the financial year starts", "invalid": "Enter a year like 2026"},
    )
    source = forms.ModelChoiceField(
        label="Source",
        queryset=FundSource.objects.all(),
        empty_label="Choose a source",
        error_messages={"required": "Choose the source", "invalid_choice": "Choose the source"},
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.all(),
        required=False,
        empty_label="Whole county",
        error_messages={"invalid_choice": "Choose a district from the list, or the whole county"},
    )
    amount = forms.DecimalField(
        label="Amount in pounds",
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        error_messages={
            "required": "Enter the amount",
            "invalid": "Enter an amount in pounds and pence",
            "max_decimal_places": "The amount cannot include fractions of a penny",
            "min_value": "The amount must be more than £0",
        },
    )


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(
        label="Change in pounds",
        max_digits=12,
        decimal_places=2,
        help_text="Use a minus sign to take money away, for example -500.00",
        error_messages={
            "required": "Enter the change",
            "invalid": "Enter an amount in pounds and pence",
            "max_decimal_places": "The amount cannot include fractions of a penny",
        },
    )
    reason = forms.CharField(
        label="Reason", max_length=300, error_messages={"required": "Say why the budget is changing"}
    )


class ApplicationCorrectionForm(forms.Form):
    """Correct an application's amount and details, or, once paid, its payment too (``support_fund.corrections``)."""

    reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="For example: the voucher cost less, typing mistake. It is shown beside the correction.",
        max_length=300,
        error_messages={"required": "Say why the application is being corrected"},
    )

    def __init__(self, *args, paid: bool, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields.pop("reason")
        for name in ("amount", "category", "delivery", "supplier"):
            self.fields[name] = copy.deepcopy(ApplicationForm.base_fields[name])
        if paid:
            self.fields["paid_on"] = GovukDateField(label="Date paid", must_be_past=True)
            self.fields["payment_reference"] = copy.deepcopy(PaymentForm.base_fields["reference"])
            self.fields["payment_reference"].label = "Payment reference"
        self.fields["reason"] = reason

    def amended(self) -> dict:
        return dict(self.cleaned_data)


def correction_initial(application) -> dict:
    return {
        "amount": application.amount,
        "category": application.category,
        "delivery": application.delivery,
        "supplier": application.supplier,
        "paid_on": application.paid_on,
        "payment_reference": application.payment_reference,
    }
