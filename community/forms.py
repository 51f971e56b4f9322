from django import forms
from django.core.validators import MaxLengthValidator

from bases.models import District, Locality
from ecfs.govuk_forms import GovukDateField

from .models import WEEKDAYS, CommunityGroup, Connection, GrantApplication

WHOLE_NUMBER = {"inputmode": "numeric", "spellcheck": "false"}
# Free text, as in the rest of the service (advice notes, complaints): long enough for a paragraph or two.
TEXT_MAX = 2000


def _text(label, *, what, rows=3, required=False, help_text="", error_messages=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{what} must be {TEXT_MAX:,} characters or fewer", **(error_messages or {})},
    )


ANY_DAY = [("", "Any day")] + [(str(number), name) for number, name in enumerate(WEEKDAYS)]


class _PlaceChoices:
    """District by slug and locality by name: the page never shows an integer id."""

    def _set_places(self, districts=None):
        district_qs = District.objects.order_by("name")
        if districts is not None:
            district_qs = district_qs.filter(pk__in=districts)
        self.fields["district"].queryset = district_qs
        self.fields["locality"].queryset = Locality.objects.order_by("is_other", "name")
        self.fields["locality"].label_from_instance = lambda locality: (
            "Elsewhere in the district (outside the market towns)" if locality.is_other else locality.name
        )


class GroupSearchForm(forms.Form):
    q = forms.CharField(label="Name, organisation or venue", required=False, max_length=100)
    district = forms.ChoiceField(label="District", required=False)
    locality = forms.ChoiceField(label="Town", required=False)
    day = forms.ChoiceField(label="Day", required=False, choices=ANY_DAY)
    kind = forms.ChoiceField(
        label="Kind of group", required=False, choices=[("", "Any kind"), *CommunityGroup.Kind.choices]
    )
    closed = forms.BooleanField(label="Include closed groups", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "Any district")] + list(
            District.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["locality"].choices = [("", "Any town")] + [
            (name, name)
            for name in Locality.objects.filter(is_other=False).order_by("name").values_list("name", flat=True)
        ]
        for name in ("q", "district", "locality", "day", "kind"):
            self.fields[name].show_optional = False


class GroupForm(_PlaceChoices, forms.ModelForm):
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        to_field_name="slug",
        empty_label="Choose a district",
        error_messages={"required": "Choose the district", "invalid_choice": "Choose a district from the list"},
    )
    locality = forms.ModelChoiceField(
        label="Town",
        queryset=Locality.objects.none(),
        to_field_name="name",
        empty_label="Choose a town",
        error_messages={"required": "Choose the town", "invalid_choice": "Choose a town from the list"},
    )
    weekday = forms.TypedChoiceField(
        label="Day it meets",
        choices=[("", "Choose a day")] + [(str(n), name) for n, name in enumerate(WEEKDAYS)],
        coerce=int,
        error_messages={"required": "Choose the day it meets"},
    )

    class Meta:
        model = CommunityGroup
        fields = [
            "name",
            "kind",
            "organisation",
            "organisation_website",
            "description",
            "district",
            "locality",
            "venue_name",
            "venue_address",
            "venue_postcode",
            "weekday",
            "starts_at",
            "ends_at",
            "frequency",
            "min_age_months",
            "max_age_months",
            "for_expectant_parents",
            "cost",
            "cost_notes",
            "contact_name",
            "contact_phone",
            "contact_email",
            "accessibility_notes",
            "status",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "status": forms.RadioSelect,
            "starts_at": forms.TimeInput(format="%H:%M"),
            "ends_at": forms.TimeInput(format="%H:%M"),
            "min_age_months": forms.TextInput(attrs=WHOLE_NUMBER),
            "max_age_months": forms.TextInput(attrs=WHOLE_NUMBER),
            "cost": forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"name": "Name of the group", "starts_at": "Starts at", "ends_at": "Finishes at"}
        help_texts = {
            "starts_at": "For example, 09:30",
            "ends_at": "For example, 11:00",
            "min_age_months": "0 from birth; 12 for one year old",
            "max_age_months": "Up to 60 (five years old)",
            "cost": "0 if it is free",
            "cost_notes": "For example, £1 per family, first session free",
            "accessibility_notes": "Step-free access, parking, buggy space, quiet room, interpreters",
        }
        error_messages = {
            "name": {"required": "Enter the name of the group"},
            "kind": {"required": "Choose the kind of group"},
            "organisation": {"required": "Enter the organisation that runs it"},
            "organisation_website": {"invalid": "Enter the website address, like https://example.org"},
            "venue_name": {"required": "Enter where it meets"},
            "venue_address": {"required": "Enter the street and town"},
            "venue_postcode": {"required": "Enter the postcode"},
            "starts_at": {"required": "Enter the start time", "invalid": "Enter a start time, like 09:30"},
            "ends_at": {"required": "Enter the finishing time", "invalid": "Enter a finishing time, like 11:00"},
            "min_age_months": {
                "required": "Enter the youngest age in months",
                "invalid": "Enter the youngest age as a whole number of months",
                "max_value": "The youngest age must be 60 months or less",
            },
            "max_age_months": {
                "required": "Enter the oldest age in months",
                "invalid": "Enter the oldest age as a whole number of months",
                "max_value": "The oldest age must be 60 months or less",
            },
            "cost": {
                "required": "Enter the cost (0 if it is free)",
                "invalid": "Enter the cost in pounds, like 1.50",
                "max_digits": "Enter a cost of £9,999.99 or less",
                "max_whole_digits": "Enter a cost of £9,999.99 or less",
                "max_decimal_places": "Enter the cost in pounds and pence, like 1.50",
            },
            "contact_email": {"invalid": "Enter an email address, like name@example.org"},
            "frequency": {"required": "Choose how often it meets"},
            "status": {"required": "Choose whether it is running"},
        }

    organisation_website = forms.URLField(
        label="Organisation's website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website address, like https://example.org"},
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_places(districts)
        for name, what in (("description", "What happens at the group"), ("accessibility_notes", "Accessibility")):
            field = self.fields[name]
            field.max_length = TEXT_MAX
            field.validators.append(MaxLengthValidator(TEXT_MAX))
            field.error_messages["max_length"] = f"{what} must be {TEXT_MAX:,} characters or fewer"

    def clean_cost(self):
        # The table's check constraint would otherwise answer with its own name, not on the field.
        cost = self.cleaned_data["cost"]
        if cost is not None and cost < 0:
            raise forms.ValidationError("The cost cannot be less than £0: enter 0 if it is free")
        return cost

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and starts >= ends:
            self.add_error("ends_at", "The group must finish after it starts")
        youngest, oldest = cleaned.get("min_age_months"), cleaned.get("max_age_months")
        if youngest is not None and oldest is not None and youngest > oldest:
            self.add_error("max_age_months", "The oldest age must be the same as or above the youngest")
        district, locality = cleaned.get("district"), cleaned.get("locality")
        if district and locality and not locality.is_other and locality.district_id != district.pk:
            self.add_error("locality", f"{locality.name} is not in {district.name}: choose a town in it")
        return cleaned


class ConnectForm(forms.Form):
    group = forms.ChoiceField(label="Community group", required=False)
    service_name = forms.CharField(
        label="Or another service",
        required=False,
        max_length=150,
        help_text="For example, Citizens Advice, Home-Start, the speech and language drop-in",
    )
    connected_on = GovukDateField(
        label="Date you connected them",
        must_be_past=True,
        required=False,
        help_text="Leave empty for today. For example, 27 3 2026",
    )
    note = _text(
        "How you helped them get there",
        what="How you helped them get there",
        help_text="For example, introduced her to the organiser; will meet her there the first time",
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(group.uuid): group for group in groups}
        self.fields["group"].choices = [("", "Choose a group")] + [
            (key, f"{group.name} – {group.locality.name}, {group.day_name}s {group.starts_at:%H:%M}")
            for key, group in self.groups.items()
        ]

    def clean_group(self):
        value = self.cleaned_data["group"]
        return self.groups.get(value) if value else None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("group")) == bool(cleaned.get("service_name", "").strip()):
            self.add_error("group", "Choose a community group, or name another service (not both)")
        return cleaned


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Did they go, and is it helping?",
        widget=forms.RadioSelect,
        choices=[choice for choice in Connection.Outcome.choices if choice[0] != Connection.Outcome.PENDING],
        error_messages={"required": "Choose whether they went and whether it is helping"},
    )
    note = _text("Anything to add", what="Anything to add")


# Grants -----------------------------------------------------------------------------------------------


class GrantForm(_PlaceChoices, forms.Form):
    group = forms.ChoiceField(label="Group in the register", required=False, help_text="Leave empty for a new group")
    group_name = forms.CharField(label="Name of the group", max_length=150, required=False)
    organisation = forms.CharField(label="Organisation", max_length=150, required=False)
    contact_name = forms.CharField(
        label="Contact name", max_length=150, error_messages={"required": "Enter the contact's name"}
    )
    contact_email = forms.EmailField(
        label="Contact email",
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.org"},
    )
    contact_phone = forms.CharField(label="Contact phone", max_length=30, required=False)
    purpose = forms.ChoiceField(
        label="What is it for?",
        choices=GrantApplication.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the grant is for"},
    )
    description = _text(
        "What the money will pay for",
        what="What the money will pay for",
        rows=4,
        required=True,
        error_messages={"required": "Say what the money will pay for"},
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        to_field_name="slug",
        empty_label="Choose a district",
        error_messages={"required": "Choose the district", "invalid_choice": "Choose a district from the list"},
    )
    locality = forms.ModelChoiceField(
        label="Town",
        queryset=Locality.objects.none(),
        to_field_name="name",
        empty_label="Choose a town",
        error_messages={"required": "Choose the town", "invalid_choice": "Choose a town from the list"},
    )
    rural = forms.BooleanField(label="It serves a village or a dispersed rural community", required=False)
    families_expected = forms.IntegerField(
        label="How many families it expects to reach",
        min_value=1,
        max_value=10000,
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={
            "required": "Enter how many families it expects to reach",
            "invalid": "Enter a whole number of families",
            "min_value": "It must expect to reach at least 1 family",
            "max_value": "Enter 10,000 families or fewer",
        },
    )
    amount_requested = forms.CharField(
        label="Amount asked for (£)",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the amount asked for"},
    )
    received_on = GovukDateField(
        label="Date received", must_be_past=True, required=False, help_text="Leave empty for today"
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_places()
        self.groups = {str(group.uuid): group for group in groups}
        self.fields["group"].choices = [("", "A new group, not in the register")] + [
            (key, f"{group.name} ({group.locality.name})") for key, group in self.groups.items()
        ]

    def clean_group(self):
        value = self.cleaned_data["group"]
        return self.groups.get(value) if value else None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("group"):
            if not cleaned.get("group_name", "").strip():
                self.add_error("group_name", "Enter the name of the group, or choose it from the register")
            if not cleaned.get("organisation", "").strip():
                self.add_error("organisation", "Enter the organisation that runs the group")
        return cleaned


class AssessForm(forms.Form):
    quality_points = forms.TypedChoiceField(
        label="How strong is the plan?",
        choices=[(str(n), str(n)) for n in range(0, 11)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0 to 10: is it clear what will happen, for whom, and can the group deliver it?",
        error_messages={"required": "Give the plan from 0 to 10 points"},
    )
    notes = _text("Assessment notes", what="Assessment notes", rows=4)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline"},
    )
    amount = forms.CharField(
        label="Amount approved (£)",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    reason = _text("Reason", what="The reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("amount", "").strip():
            self.add_error("amount", "Enter the amount approved")
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the application is declined (the group is told)")
        return cleaned


class PaymentForm(forms.Form):
    amount = forms.CharField(
        label="Amount paid (£)",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the amount paid"},
    )
    paid_on = GovukDateField(label="Date paid", must_be_past=True, error_messages={"required": "Enter the date paid"})
    reference = forms.CharField(
        label="Payment reference", max_length=60, error_messages={"required": "Enter the payment reference"}
    )


class MonitoringForm(forms.Form):
    period_end = GovukDateField(
        label="Up to", must_be_past=True, error_messages={"required": "Enter the date the return runs up to"}
    )
    families_reached = forms.IntegerField(
        label="Families reached",
        min_value=0,
        max_value=100000,
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={"required": "Enter how many families it reached", "invalid": "Enter a whole number"},
    )
    sessions_held = forms.IntegerField(
        label="Sessions held",
        min_value=0,
        max_value=10000,
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={"required": "Enter how many sessions it held", "invalid": "Enter a whole number"},
    )
    notes = _text("What difference it made", what="What difference it made")


class WithdrawForm(forms.Form):
    reason = _text(
        "Why it is withdrawn", what="Why it is withdrawn", required=True, error_messages={"required": "Say why"}
    )


class BudgetForm(forms.Form):
    financial_year = forms.IntegerField(
        label="Financial year starting in",
        min_value=2019,
        max_value=2099,
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={"required": "Enter the year the financial year starts", "invalid": "Enter a year, like 2026"},
    )
    amount = forms.CharField(
        label="Add to the budget (£)",
        help_text="A negative amount takes money away, never below what is already committed",
        error_messages={"required": "Enter the amount"},
    )
    reason = forms.CharField(label="Reason", max_length=300, error_messages={"required": "Say why the budget changes"})
