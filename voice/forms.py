"""Forms for families' voice: the public feedback form, the complaints log, and the monthly digital reach."""

from django import forms
from django.utils import timezone

from bases.models import Base, District
from bases.selectors import managed_base_ids
from ecfs.govuk_forms import GovukDateField
from families.access import family_scope
from families.models import Family

from .models import Complaint, DigitalReach, Feedback
from .services import CONTACT_MAX, REASON_MAX, REFERENCE_MAX, TEXT_MAX

RATING_CHOICES = [(str(value), label) for value, label in Feedback.Rating.choices]


def _text(label, *, help_text="", max_length=TEXT_MAX, rows=5, required=False, what="Your answer"):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{what} must be {max_length:,} characters or fewer"},
    )


class FeedbackForm(forms.Form):
    """The public form: how good the service was, in words; what went well and what could be better; the rest
    optional. The honeypot (``website``) is read by the view."""

    rating = forms.TypedChoiceField(
        label="Overall, how good was the help you had from us?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how good the help you had from us was"},
    )
    went_well = _text("What went well?", what="What went well")
    could_be_better = _text("What could we do better?", what="What we could do better")
    reference = forms.CharField(
        label="Your reference number",
        required=False,
        max_length=REFERENCE_MAX,
        help_text="If you have one, for example ECFS-000123 or REF-000456. It helps the right team read this.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": f"The reference must be {REFERENCE_MAX} characters or fewer"},
    )
    district = forms.ModelChoiceField(
        label="Where do you live?",
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label="I would rather not say",
        help_text="The district, so the team near you reads it.",
    )
    may_contact = forms.TypedChoiceField(
        label="May we contact you about what you have told us?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=False,
    )
    contact = forms.CharField(
        label="Your phone number or email address",
        required=False,
        max_length=CONTACT_MAX,
        help_text="Only if you said we may contact you.",
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"max_length": f"Your contact details must be {CONTACT_MAX} characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("may_contact") and not (cleaned.get("contact") or "").strip():
            self.add_error("contact", "Enter a phone number or email address we can contact you on")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "rating": data["rating"],
            "went_well": data.get("went_well", ""),
            "could_be_better": data.get("could_be_better", ""),
            "reference": data.get("reference", ""),
            "district": data.get("district"),
            "may_contact": bool(data.get("may_contact")),
            "contact": data.get("contact", "") if data.get("may_contact") else "",
        }


class ComplaintForm(forms.Form):
    received_on = GovukDateField(label="Date received", must_be_past=True)
    received_how = forms.ChoiceField(
        label="How did the complaint come?",
        choices=Complaint.How.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the complaint came"},
    )
    category = forms.ChoiceField(
        label="What is it about?",
        choices=Complaint.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the complaint is about"},
    )
    family = forms.CharField(
        label="The family's reference",
        required=False,
        max_length=20,
        help_text="If the complaint is about a family's support, for example ECFS-000123.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    base = forms.ModelChoiceField(
        label="Base",
        queryset=Base.objects.none(),
        required=False,
        empty_label="Choose a base",
        help_text="Which of your bases it is about, if it names no family.",
        error_messages={"invalid_choice": "Select one of your bases"},
    )
    summary = _text("Summary of the complaint", required=True, what="The summary")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["summary"].error_messages["required"] = "Enter a summary of the complaint"
        bases = Base.objects.filter(pk__in=managed_base_ids(user)).order_by("name")
        self.fields["base"].queryset = bases
        if len(bases) == 1:
            self.fields["base"].initial = bases[0].pk

    def clean_family(self):
        reference = self.cleaned_data.get("family", "").strip().upper()
        self.family = None
        if reference:
            self.family = Family.objects.filter(
                family_scope(self.user), reference=reference, base_id__in=managed_base_ids(self.user)
            ).first()
            if self.family is None:
                raise forms.ValidationError("No family of your bases has this reference")
        return reference

    def clean(self):
        cleaned = super().clean()
        named = getattr(self, "family", None) is not None or cleaned.get("base")
        if not named and not self.errors.get("family") and not self.errors.get("base"):
            self.add_error("base", "Select the base the complaint is about")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "received_on": data["received_on"],
            "received_how": data["received_how"],
            "category": data["category"],
            "summary": data["summary"],
            "family": self.family,
            "base": None if self.family else data.get("base"),
        }


class ResponseForm(forms.Form):
    responded_on = GovukDateField(label="Date of the response", must_be_past=True)
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Complaint.Outcome.choices,
        widget=forms.RadioSelect,
        help_text="Withdrawn: the person withdrew the complaint; give the date they did.",
        error_messages={"required": "Select the outcome"},
    )
    learning = _text("What we learned", help_text="What the service will do differently, if anything.",
                     what="What we learned")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responded_on"].initial = timezone.localdate()


class CorrectionForm(forms.Form):
    """Every answer of a complaint, as recorded, and why it is being corrected."""

    received_on = GovukDateField(label="Date received", must_be_past=True)
    received_how = forms.ChoiceField(
        label="How did the complaint come?",
        choices=Complaint.How.choices,
        error_messages={"required": "Select how the complaint came"},
    )
    category = forms.ChoiceField(
        label="What is it about?",
        choices=Complaint.Category.choices,
        error_messages={"required": "Select what the complaint is about"},
    )
    summary = _text("Summary of the complaint", required=True, what="The summary")
    responded_on = GovukDateField(label="Date of the response", must_be_past=True, required=False)
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "No response yet"), *Complaint.Outcome.choices],
                                required=False)  # fmt: skip
    learning = _text("What we learned", what="What we learned")
    reason = forms.CharField(
        label="Why are you correcting it?",
        max_length=REASON_MAX,
        error_messages={
            "required": "Say why the complaint is being corrected",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        initial = {
            "received_on": complaint.received_on,
            "received_how": complaint.received_how,
            "category": complaint.category,
            "summary": complaint.summary,
            "responded_on": complaint.responded_on,
            "outcome": complaint.outcome,
            "learning": complaint.learning,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["summary"].error_messages["required"] = "Enter a summary of the complaint"

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class DigitalReachForm(forms.Form):
    """One month's figures; a blank figure is not known yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"web_visits": "Visits to the service's web pages in the month"}
        labels.update({field: f"{name}: followers at the end of the month" for field, name in DigitalReach.PLATFORMS})
        for field, label in labels.items():
            self.fields[field] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=100_000_000,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-10", "spellcheck": "false"}
                ),
                error_messages={
                    "invalid": f"{label.split(':')[0]}: enter a whole number, like 1250",
                    "min_value": f"{label.split(':')[0]}: enter 0 or more",
                    "max_value": f"{label.split(':')[0]}: enter 100,000,000 or less",
                },
            )
            self.fields[field].show_optional = False
