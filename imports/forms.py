from django import forms
from django.conf import settings

from .models import ImportReview
from .services import NOTES_MAX

MAX_UPLOAD_MB = settings.IMPORT_MAX_UPLOAD_MB
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
TOO_LARGE = f"The file must be smaller than {MAX_UPLOAD_MB} MB: split it and import each part"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"A .csv file of up to {MAX_UPLOAD_MB} MB in the documented format. It is read, never kept.",
        error_messages={"required": "Choose the CSV file to import", "empty": "The file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (.csv)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        return upload


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is this a family the service already holds?",
        choices=[
            (ImportReview.Status.SAME_FAMILY, "Yes: it is one of the families listed (nothing is merged)"),
            (ImportReview.Status.IMPORTED_AS_NEW, "No: import it as a new family"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether this is a family already held",
            "invalid_choice": "Choose whether this is a family already held",
        },
    )
    family = forms.ChoiceField(
        label="Which family is it?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Only when it is a family already held.",
        error_messages={"invalid_choice": "Choose the family this row is"},
    )
    notes = forms.CharField(
        label="Why",
        widget=forms.Textarea,
        max_length=NOTES_MAX,
        error_messages={
            "required": "Explain the decision",
            "max_length": f"The notes must be {NOTES_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args, references: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = [(reference, reference) for reference in references]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == ImportReview.Status.SAME_FAMILY and not cleaned.get("family"):
            self.add_error("family", "Choose the family this row is")
        return cleaned
