from django import forms

from ecfs.govuk_forms import GovukDateField

from .models import GroupCourse, ParentMeasure

WHOLE_NUMBER = {"inputmode": "numeric", "spellcheck": "false"}


class _ObjectChoiceField(forms.ChoiceField):
    """A choice among objects shown by label and submitted by uuid (never an integer id)."""

    def __init__(self, *args, **kwargs):
        given = kwargs.get("error_messages") or {}
        super().__init__(*args, **kwargs)
        self.objects = {}
        if "invalid_choice" not in given:
            # One the page did not offer (a stale page): the same words as none chosen.
            self.error_messages["invalid_choice"] = self.error_messages["required"]

    def set_objects(self, objects, label=str, blank=None):
        self.objects = {str(obj.uuid if hasattr(obj, "uuid") else obj.pk): obj for obj in objects}
        choices = [(key, label(obj)) for key, obj in self.objects.items()]
        self.choices = ([("", blank)] if blank else []) + choices

    def clean(self, value):
        return self.objects[super().clean(value)]


class CourseForm(forms.Form):
    programme = _ObjectChoiceField(label="Programme", error_messages={"required": "Select the programme"})
    team = _ObjectChoiceField(
        label="Team running the course", widget=forms.RadioSelect, error_messages={"required": "Select the team"}
    )
    venue = _ObjectChoiceField(label="Venue", error_messages={"required": "Select the venue"})
    offer_type = forms.ChoiceField(
        label="Type of offer",
        choices=GroupCourse.OfferType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of offer", "invalid_choice": "Select the type of offer"},
    )
    start_date = GovukDateField(
        label="Date of the first session",
        help_text="Sessions then run weekly on the same day. For example, 27 3 2026",
        error_messages={"required": "Enter the date of the first session"},
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(),
        error_messages={"required": "Enter the start time", "invalid": "Enter a start time, like 10:00"},
    )
    duration_minutes = forms.IntegerField(
        label="Length of each session, in minutes",
        min_value=15,
        max_value=480,
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={
            "required": "Enter the length of each session",
            "invalid": "Length must be a whole number of minutes",
            "min_value": "Length must be at least 15 minutes",
            "max_value": "Length must be 480 minutes (8 hours) or less",
        },
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=200,
        help_text="How many people can be enrolled.",
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number",
            "min_value": "Places must be at least 1",
            "max_value": "Places must be 200 or fewer",
        },
    )
    creche = forms.BooleanField(label="A crèche is offered", required=False)
    facilitators = forms.MultipleChoiceField(
        label="Facilitators",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select facilitators from the staff listed"},
    )

    def __init__(self, *args, programmes, teams, venues, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].set_objects(
            programmes, label=lambda p: f"{p.name} ({p.sessions_count} sessions)", blank="Choose a programme"
        )
        self.fields["team"].set_objects(teams, label=lambda t: f"{t.name} ({t.base.name})")
        if len(teams) == 1:
            self.fields["team"].initial = str(teams[0].pk)
        self.fields["venue"].set_objects(
            venues, label=lambda v: f"{v.name} ({v.district.name})", blank="Choose a venue"
        )
        self.staff = {str(user.pk): user for user in staff}
        self.fields["facilitators"].choices = [(key, user.get_full_name()) for key, user in self.staff.items()]

    def clean_facilitators(self):
        return [self.staff[key] for key in self.cleaned_data["facilitators"]]


class FacilitatorsForm(forms.Form):
    facilitators = forms.MultipleChoiceField(
        label="Who runs this course?",
        widget=forms.CheckboxSelectMultiple,
        help_text="They take its register and record parents' ratings, so they see who is enrolled.",
        error_messages={
            "required": "Select at least one facilitator",
            "invalid_choice": "Select facilitators from the staff listed",
        },
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in staff}
        self.fields["facilitators"].choices = [(key, user.get_full_name()) for key, user in self.staff.items()]

    def clean_facilitators(self):
        return [self.staff[key] for key in self.cleaned_data["facilitators"]]


class SessionMoveForm(forms.Form):
    date = GovukDateField(label="Date", error_messages={"required": "Enter the date of the session"})
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(),
        error_messages={"required": "Enter the start time", "invalid": "Enter a start time, like 10:00"},
    )
    venue = _ObjectChoiceField(label="Venue", error_messages={"required": "Select the venue"})

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].set_objects(venues, label=lambda v: f"{v.name} ({v.district.name})")


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": "Enter why the session is cancelled",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class FamilyLookupForm(forms.Form):
    family = forms.CharField(
        label="Which family?",
        max_length=100,
        help_text="A parent's or child's name, a date of birth, a postcode or the family reference (for example, "
        "ECFS-000123)",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Enter a name or the family reference",
            "max_length": "The name or reference must be 100 characters or fewer",
        },
    )


class EnrolForm(forms.Form):
    person = _ObjectChoiceField(
        label="Who is joining the course?", widget=forms.RadioSelect, error_messages={"required": "Select who to enrol"}
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_objects(members, label=lambda p: f"{p.full_name} — {p.get_kind_display()}")


class _Ticks(forms.MultipleChoiceField):
    """Checkboxes where ticking none is an answer (everyone absent), so the label does not say "optional"."""

    default_error_messages = {"invalid_choice": "Tick people on the register: reload the page to see who is on it"}

    def validate(self, value):
        if value:
            super().validate(value)


def register_label(enrolment) -> str:
    """The person and their family's reference ("Kerry Howes (ECFS-000123)"), as ``label_enrolled`` shows them: a
    restricted family the user is not named on is its label alone, with no name and no reference."""
    if not enrolment.shown_reference:
        return enrolment.shown_name
    return f"{enrolment.shown_name} ({enrolment.shown_reference})"


class _FamilyReferences(forms.MultipleChoiceField):
    """Family references: the ticked boxes (or references typed, separated by commas or spaces), upper-cased.
    Its choices only draw the boxes: whether the user may name each family is the form's check."""

    def to_python(self, value):
        values = super().to_python(value)
        return list(dict.fromkeys(r for v in values for r in v.replace(",", " ").upper().split() if r))

    def valid_value(self, value):
        return True


class RegisterForm(forms.Form):
    attended = _Ticks(
        label="Who attended?",
        help_text="Tick everyone who came. Anyone not ticked is recorded as absent.",
        widget=forms.CheckboxSelectMultiple,
    )
    walk_in_adults = forms.IntegerField(
        label="Adults who walked in",
        min_value=0,
        max_value=500,
        initial=0,
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={
            "required": "Enter the number of adults who walked in, or 0",
            "invalid": "Adults who walked in must be a whole number",
            "min_value": "Adults who walked in must be 0 or more",
            "max_value": "Adults who walked in must be 500 or fewer",
        },
    )
    walk_in_children = forms.IntegerField(
        label="Children who walked in",
        min_value=0,
        max_value=500,
        initial=0,
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={
            "required": "Enter the number of children who walked in, or 0",
            "invalid": "Children who walked in must be a whole number",
            "min_value": "Children who walked in must be 0 or more",
            "max_value": "Children who walked in must be 500 or fewer",
        },
    )
    walk_in_families = _FamilyReferences(
        label="Known families who came",
        help_text="Families already known to the service. Count their adults and children in the walk-ins too.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Why are you correcting the register?",
        help_text="For example, came late and was missed. The register as it was is kept.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": "Say why the register is being corrected",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )

    def __init__(self, *args, lines, universal, families_lookup, offered=(), amending=False, **kwargs):
        """``offered``: (reference, label) of the known families listed to tick (those already named on the
        register and those found on the page)."""
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(line.enrolment.uuid), register_label(line.enrolment)) for line in lines]
        if not lines:
            del self.fields["attended"]
        if not universal:
            for name in ("walk_in_adults", "walk_in_children", "walk_in_families"):
                del self.fields[name]
        else:
            self.fields["walk_in_families"].choices = list(offered)
            if not offered:
                self.fields["walk_in_families"].widget = forms.MultipleHiddenInput()
        if not amending:
            del self.fields["reason"]
        self.families_lookup = families_lookup

    def clean_walk_in_families(self):
        references = self.cleaned_data["walk_in_families"]
        found = self.families_lookup(references)
        missing = [r for r in references if r not in found]
        if missing:
            raise forms.ValidationError(f"No family you work with has the reference {', '.join(missing)}")
        return list(found.values())


class ParentMeasureForm(forms.Form):
    stage = forms.ChoiceField(
        label="When is this?",
        choices=ParentMeasure.Stage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select before or after the course",
            "invalid_choice": "Select before or after the course",
        },
    )
    confidence = forms.IntegerField(
        label="Confidence in parenting, from 1 to 10",
        help_text="The parent's own rating: 1 is not at all confident, 10 is very confident.",
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={
            "required": "Enter the confidence rating, from 1 to 10",
            "invalid": "Confidence in parenting must be a whole number from 1 to 10",
        },
    )
    wellbeing = forms.IntegerField(
        label="Wellbeing, from 1 to 10",
        help_text="The parent's own rating: 1 is very low, 10 is very good.",
        widget=forms.TextInput(attrs=WHOLE_NUMBER),
        error_messages={
            "required": "Enter the wellbeing rating, from 1 to 10",
            "invalid": "Wellbeing must be a whole number from 1 to 10",
        },
    )
