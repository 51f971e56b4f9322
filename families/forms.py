from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecfs.govuk_forms import GovukDateField, name_the_person
from families.characteristics import CHARACTERISTIC_FIELDS, CONSENT_FIELDS, CONTACT_FIELDS

from .models import ContactChannel, Ethnicity, Family, Person, Professional
from .rules import validate_person_dates, validate_safe_contact


class PersonForm(forms.Form):
    kind = forms.ChoiceField(
        label="Who are they?",
        choices=Person.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who they are"},
    )
    first_name = forms.CharField(label="First name", max_length=100, error_messages={"required": "Enter a first name"})
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter a last name"})
    date_of_birth = GovukDateField(label="Date of birth", required=False, must_be_past=True)
    expected_date = GovukDateField(
        label="Expected date of birth", required=False, must_be_future=True, help_text="For an unborn child only."
    )
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=[("", "Choose a relationship")] + Person.Relationship.choices,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and not self.errors:
            try:
                validate_person_dates(
                    kind=cleaned["kind"],
                    date_of_birth=cleaned.get("date_of_birth"),
                    expected_date=cleaned.get("expected_date"),
                    today=timezone.localdate(),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        # The error summary names the person: "Alfie's date of birth must be a real date".
        for field, what in (("date_of_birth", "date of birth"), ("expected_date", "expected date of birth")):
            name_the_person(self, field, name=cleaned.get("first_name", ""), what=what)
        return cleaned


class EarlyEducationForm(forms.Form):
    """A child's funded early education (``families.services.child_early_education_record`` checks the rules)."""

    funded_education_eligible = forms.BooleanField(
        label="Eligible for a funded 2-year-old place",
        required=False,
        help_text="The family has an eligibility code from the council, or the child qualifies another way.",
    )
    funded_education_started_on = GovukDateField(
        label="Taking up a funded place since",
        required=False,
        must_be_past=True,
        help_text="The date the child started their funded hours. Leave blank if they have not started.",
    )
    funded_education_setting = forms.CharField(
        label="Setting",
        required=False,
        max_length=200,
        help_text="The nursery, pre-school, school or childminder, for example Little Acorns Pre-school.",
        error_messages={"max_length": "The setting's name must be 200 characters or fewer"},
    )


class ProfessionalForm(forms.ModelForm):
    class Meta:
        model = Professional
        fields = ["agency", "organisation", "name", "role", "phone", "email"]
        labels = {"name": "Name", "role": "Role", "organisation": "Organisation"}
        error_messages = {
            "agency": {"required": "Select the agency"},
            "name": {"required": "Enter the professional's name"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
        }


class CharacteristicsForm(forms.ModelForm):
    consent_date = GovukDateField(label="Date consent was given", required=False, must_be_past=True)
    ethnicity = forms.ChoiceField(label="Ethnicity of the main carer", choices=Ethnicity.choices)

    class Meta:
        model = Family
        fields = [*CHARACTERISTIC_FIELDS, *CONSENT_FIELDS, *CONTACT_FIELDS]
        widgets = {
            "safe_contact_channel": forms.RadioSelect,
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }
        help_texts = {
            "safe_contact_channel": "Someone in the home may be a risk: messages from the service, reminders "
            "included, go only this way. Do not contact means nothing is sent.",
        }
        error_messages = {
            "contact_email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
        }
        labels = {
            "lone_parent": "Lone parent household",
            "teenage_parent": "Teenage parent",
            "parent_no_qualifications": "A parent has no qualifications",
            "low_income": "Low income",
            "english_additional_language": "English is an additional language",
            "interpreter_needed": "An interpreter is needed",
            "disability_in_household": "Disability in the household",
            "send_in_household": "Special educational needs or disability (SEND) in the household",
            "consent_given": "The family consents to the service holding their information",
            "consent_given_by": "Who gave consent",
            "contact_phone": "The family's phone number",
            "contact_email": "The family's email address",
            "safe_contact_channel": "Safe way to contact the family",
            "reminders_wanted": "The family wants reminders of visits and group sessions",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["safe_contact_channel"].choices = [("", "Not asked yet"), *ContactChannel.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_given"):
            if not cleaned.get("consent_date"):
                self.add_error("consent_date", "Enter the date consent was given")
            if not cleaned.get("consent_scope"):
                self.add_error("consent_scope", "Select what the family consented to")
        if not self.has_error("contact_phone") and not self.has_error("contact_email"):
            try:
                validate_safe_contact(
                    channel=cleaned.get("safe_contact_channel") or "",
                    phone=cleaned.get("contact_phone") or "",
                    email=cleaned.get("contact_email") or "",
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class WorkerChoiceForm(forms.Form):
    worker = forms.ChoiceField(label="Worker", widget=forms.RadioSelect, error_messages={"required": "Select a worker"})
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, workers=(), reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {str(profile.user.pk): profile.user for profile in workers}
        self.fields["worker"].choices = [
            (str(profile.user.pk), f"{profile.user.get_full_name()} — {profile.open_families} open")
            for profile in workers
        ]
        if reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Enter why the family is being reallocated"

    def clean_worker(self):
        return self.workers[self.cleaned_data["worker"]]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason", "max_length": "The reason must be 300 characters or fewer"},
    )


class RestrictionForm(ReasonForm):
    named = forms.MultipleChoiceField(
        label="Who may see this family",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="You and the allocated workers are always included. Everyone else gets 'page not found'.",
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(user.pk): user for user in candidates}
        self.fields["named"].choices = [
            (pk, user.get_full_name() or user.email) for pk, user in self.candidates.items()
        ]

    def clean_named(self):
        return [self.candidates[pk] for pk in self.cleaned_data["named"]]


class PersonAmendForm(forms.Form):
    """Correct a person's name, dates or relationship, saying why (the earlier version is kept)."""

    first_name = PersonForm.base_fields["first_name"]
    last_name = PersonForm.base_fields["last_name"]
    date_of_birth = PersonForm.base_fields["date_of_birth"]
    expected_date = PersonForm.base_fields["expected_date"]
    relationship = PersonForm.base_fields["relationship"]
    reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="For example: wrong date of birth, name misspelt. It is shown beside the correction.",
        max_length=300,
        error_messages={"required": "Say why the record is being corrected"},
    )
