from django import forms
from django.utils import timezone

from .models import Return
from .periods import MONTHLY, QUARTERLY, last_complete


def _recent_periods(kind: str, count: int) -> list[tuple[str, str]]:
    period = last_complete(kind, timezone.localdate())
    choices = []
    for _ in range(count):
        choices.append((period.label, period.title))
        period = period.previous()
    return choices


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Return",
        choices=Return.Kind.choices,
        widget=forms.RadioSelect,
        initial=QUARTERLY,
        error_messages={"required": "Select monthly or quarterly"},
    )
    monthly_period = forms.ChoiceField(label="Month", required=False)
    quarterly_period = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monthly_period"].choices = _recent_periods(MONTHLY, 12)
        self.fields["quarterly_period"].choices = _recent_periods(QUARTERLY, 8)
        for name in ("monthly_period", "quarterly_period"):
            # Needed for the chosen kind (shown under its radio): not "(optional)".
            self.fields[name].show_optional = False

    def period_label(self) -> str:
        return self.cleaned_data[f"{self.cleaned_data['kind']}_period"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and not cleaned.get(f"{kind}_period"):
            self.add_error(f"{kind}_period", "Choose the period")
        return cleaned


class SubmitForm(forms.Form):
    """Submitting a return to the council: the manager confirms they know it cannot be changed."""

    confirm = forms.BooleanField(
        label="I understand a submitted return cannot be changed",
        error_messages={"required": "Confirm that you understand a submitted return cannot be changed"},
    )
