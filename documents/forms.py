from django import forms

from .content import ACCEPTED_DESCRIPTION
from .models import Document


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text=f"Upload {ACCEPTED_DESCRIPTION}.",
        widget=forms.FileInput,
        error_messages={"required": "Select the file to upload", "empty": "The selected file is empty"},
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of document it is",
            "invalid_choice": "Select what kind of document it is",
        },
    )
    description = forms.CharField(
        label="Description",
        help_text="For example, 'Consent to share signed by both parents' or 'Speech and language therapy report'.",
        max_length=200,
        error_messages={
            "required": "Enter a short description of the document",
            "max_length": "The description must be 200 characters or fewer",
        },
    )

    def __init__(self, *args, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"Upload {ACCEPTED_DESCRIPTION}, smaller than {max_mb} MB."


class InErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why is this document recorded in error?",
        help_text="For example, 'Added to the wrong family'.",
        max_length=200,
        error_messages={
            "required": "Enter why the document is recorded in error",
            "max_length": "The reason must be 200 characters or fewer",
        },
    )
