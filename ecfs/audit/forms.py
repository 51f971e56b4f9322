from django import forms

from ecfs.govuk_forms import GovukDateField, GovukFormMixin

from .actions import AuditAction


class AuditSearchForm(GovukFormMixin, forms.Form):
    """The audit trail filters, read from the query string; every field is optional."""

    family = forms.CharField(label="Family reference", required=False, max_length=12)
    actor = forms.EmailField(label="Actor email", required=False)
    # Free text matched as a prefix ("family." finds every family event); the browser suggests the vocabulary.
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=60,
        help_text="For example, family.created",
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
    )
    action_choices = AuditAction.choices
    object_type = forms.CharField(
        label="Object type", required=False, max_length=60, help_text="For example, families.family"
    )
    date_from = GovukDateField(label="Date from", required=False)
    date_to = GovukDateField(label="Date to", required=False)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    def filters(self) -> dict:
        """The filters that were given, for the selector (call only when the form is valid)."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
