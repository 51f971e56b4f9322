from django import forms

from .models import Kind, Preference

Delivery = Preference.Delivery

LABELS = {
    Kind.ALLOCATION: "When a family is allocated to you",
    Kind.PLAN_AWAITING: "When a support plan is waiting for your approval",
    Kind.FUND_AWAITING: "When a fund application is waiting for your decision",
}


class PreferencesForm(forms.Form):
    """One question per kind a member of staff may choose for; the digest itself is on or off."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in LABELS.items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current[kind],
                error_messages={"required": f"Choose how to be told {label[0].lower()}{label[1:]}"},
            )
        self.fields[Kind.DIGEST] = forms.ChoiceField(
            label="A daily digest at 7am of what is overdue",
            help_text="Sent only on days when something is overdue or held for it.",
            choices=[(Delivery.IMMEDIATE, "Send me the digest"), (Delivery.OFF, "Do not send me the digest")],
            widget=forms.RadioSelect,
            initial=current[Kind.DIGEST],
            error_messages={"required": "Choose whether to be sent the daily digest"},
        )


class ConfirmForm(forms.Form):
    """A button and nothing else (the CSRF token is the form)."""
