from django import forms

from ecfs.govuk_forms import GovukDateField


class SubjectAccessForm(forms.Form):
    family_reference = forms.CharField(
        label="Family reference",
        max_length=12,
        help_text="For example, ECFS-000123.",
        error_messages={"required": "Enter the family's reference"},
    )
    person_name = forms.CharField(
        label="The person's full name (optional)",
        max_length=201,
        required=False,
        help_text="Leave empty when the request is for the whole family's records.",
    )
    requester_name = forms.CharField(
        label="Who made the request",
        max_length=150,
        error_messages={"required": "Enter who made the request"},
    )
    received_on = GovukDateField(label="Date the request was received", must_be_past=True)


class RedactionForm(forms.Form):
    redacted = forms.MultipleChoiceField(
        label="Take these people's details out of the bundle",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Their names, phone numbers and emails are replaced by [redacted] wherever they appear.",
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["redacted"].choices = [(party.key, party.label) for party in parties]


class LegalHoldForm(forms.Form):
    family_reference = forms.CharField(
        label="Family or referral reference",
        help_text="A family's (ECFS-…), or a referral's never linked to a family (REF-…).",
        max_length=12,
        error_messages={"required": "Enter the family's or the referral's reference"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason"},
    )
