from django import forms

from bases.models import Base, District
from ecfs.govuk_forms import GovukDateField

from .models import StaffRole
from .rules import COURSE_YEARS, Course


class VacancyForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=StaffRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the role"},
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Choose a district",
        error_messages={"required": "Select the district", "invalid_choice": "Choose a district from the list"},
    )
    base = forms.ModelChoiceField(
        label="Base",
        queryset=Base.objects.select_related("district").order_by("name"),
        empty_label="No particular base",
        required=False,
        error_messages={"invalid_choice": "Choose a base from the list"},
    )
    fte = forms.DecimalField(
        label="Full-time equivalent",
        help_text="1 is full time; 0.5 is half time",
        max_digits=3,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the full-time equivalent",
            "invalid": "Enter the full-time equivalent as a number, like 1 or 0.6",
            "max_digits": "Enter the full-time equivalent as a number, like 1 or 0.6",
            "max_decimal_places": "Enter the full-time equivalent to two decimal places at most",
        },
    )
    open_since = GovukDateField(label="Open since", must_be_past=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bases by name (no integer id on the page).
        self.fields["base"].to_field_name = "name"
        self.fields["base"].label_from_instance = lambda base: f"{base.name} ({base.district.name})"


class VacancyFilledForm(forms.Form):
    filled_on = GovukDateField(label="Date filled", must_be_past=True)


class SupervisionForm(forms.Form):
    held_on = GovukDateField(label="Date of the session", must_be_past=True)
    supervisor = forms.ChoiceField(label="Supervisor", error_messages={"required": "Select who supervised"})
    case_discussion = forms.BooleanField(
        label="Case discussion held",
        required=False,
        help_text="Only whether cases were discussed: what was said about a family belongs on the family's record",
    )

    def __init__(self, *args, supervisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(user.pk): user for user in supervisors}
        self.fields["supervisor"].choices = [("", "Choose the supervisor")] + [
            (key, user.get_full_name()) for key, user in self.people.items()
        ]

    def clean_supervisor(self):
        return self.people.get(self.cleaned_data["supervisor"])


class TrainingForm(forms.Form):
    course = forms.ChoiceField(
        label="Course",
        choices=[
            (
                course.value,
                f"{course.label} (lasts {COURSE_YEARS[course]} year{'s' if COURSE_YEARS[course] != 1 else ''})",
            )
            for course in Course
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the course"},
    )
    completed_on = GovukDateField(label="Date completed", must_be_past=True)
    expires_on = GovukDateField(
        label="Expiry date", required=False, help_text="Leave empty for the course's usual length from completion"
    )


class BackgroundCheckForm(forms.Form):
    checked_on = GovukDateField(
        label="DBS check date", must_be_past=True, help_text="The date on the enhanced DBS certificate"
    )
