"""The development review pages' forms: an ASQ-3 review (the five domains), an EYFS profile result, and each one's
correction (with a reason) and marking in error."""

from django import forms

from ecfs.govuk_forms import GovukDateField

from .models import DOMAINS, DevelopmentReview
from .services import CONSENT_MISSING, REASON_MAX, SOURCE_MAX

LEVEL_CHOICES = DevelopmentReview.Level.choices
YES_NO = [("yes", "Yes"), ("no", "No")]


def _date_field():
    return GovukDateField(
        label="Date of the review",
        help_text="For example, 14 3 2026",
        must_be_past=True,
        error_messages={"required": "Enter the date of the review"},
    )


def _source_field():
    return forms.CharField(
        label="Who did it come from?",
        help_text="For example, 'Health visitor, Sam Patel (Healthy Child Programme, Great Yarmouth)'.",
        max_length=SOURCE_MAX,
        error_messages={
            "required": "Enter who the review came from",
            "max_length": f"Who it came from must be {SOURCE_MAX} characters or fewer",
        },
    )


def _consent_field():
    return forms.BooleanField(
        label="The family consented to health visiting sharing this review with the service",
        error_messages={"required": CONSENT_MISSING},
    )


def _reason_field(what: str, example: str):
    return forms.CharField(
        label=f"Why is the {what} being corrected?",
        help_text=f"For example, '{example}'.",
        max_length=REASON_MAX,
        error_messages={
            "required": "Say why the review is being corrected",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )


class _Levels(forms.Form):
    """The five ASQ-3 domains, each above, close to or below the expected level."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in DOMAINS:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=LEVEL_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select the level in {label.lower()}"},
            )

    def levels(self) -> dict:
        return {name: self.cleaned_data[name] for name, _ in DOMAINS}


class AsqReviewForm(_Levels):
    kind = forms.ChoiceField(
        label="What kind of review was it?",
        choices=[(kind.value, kind.label) for kind in DevelopmentReview.ASQ_KINDS],
        widget=forms.RadioSelect,
        initial=DevelopmentReview.Kind.TWO_YEAR,
        error_messages={"required": "Select what kind of review it was"},
    )
    reviewed_on = _date_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = _source_field()
        self.fields["consent_confirmed"] = _consent_field()


class AsqReviewAmendForm(_Levels):
    reviewed_on = _date_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = _source_field()
        self.fields["reason"] = _reason_field("review", "Communication was entered as below: the review says close to")


class _Eyfs(forms.Form):
    reviewed_on = GovukDateField(
        label="Date of the profile",
        help_text="When the school completed it, at the end of the reception year. For example, 30 6 2026",
        must_be_past=True,
        error_messages={"required": "Enter the date of the profile"},
    )
    good_level_of_development = forms.TypedChoiceField(
        label="Did the child reach a good level of development?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child reached a good level of development"},
    )


class EyfsForm(_Eyfs):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = _source_field()
        self.fields["source"].help_text = "For example, 'The child's school, shared by the parent'."
        self.fields["consent_confirmed"] = _consent_field()
        self.fields["consent_confirmed"].label = "The family consented to the result being shared with the service"


class EyfsAmendForm(_Eyfs):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = _source_field()
        self.fields["reason"] = _reason_field(
            "result", "Entered as not reaching a good level of development: the school's letter says it did"
        )


class InErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why is this review recorded in error?",
        help_text="For example, 'Recorded for the wrong child'.",
        max_length=REASON_MAX,
        error_messages={
            "required": "Enter why the review is recorded in error",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )
