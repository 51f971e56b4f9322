"""The light registration form: a few fields, on one page (``families.registration``)."""

from django import forms

from bases.models import District, Locality
from ecfs.govuk_forms import GovukDateField, name_the_person

from .contact_fields import contact_fields
from .models import RegistrationRoute
from .registration import Child
from .validators import normalise_postcode, validate_uk_postcode


def area_choices() -> list[tuple[str, str]]:
    """The market towns, then "Elsewhere in <district>" for each district (the rest of the county)."""
    towns = [
        (f"town-{locality.pk}", locality.name) for locality in Locality.objects.filter(is_other=False).order_by("name")
    ]
    elsewhere = [(f"district-{district.slug}", f"Elsewhere in {district.name}") for district in District.objects.all()]
    return [("", "Choose a town or area")] + towns + elsewhere


def area_of(locality: Locality | None, district: District | None) -> str:
    """The area choice for a place (a session's venue, say), to start the field at."""
    if locality is not None and not locality.is_other:
        return f"town-{locality.pk}"
    return f"district-{district.slug}" if district is not None else ""


class RegistrationForm(forms.Form):
    parent_first_name = forms.CharField(
        label="Parent or carer: first name",
        max_length=100,
        error_messages={"required": "Enter the parent's first name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    parent_last_name = forms.CharField(
        label="Parent or carer: last name",
        max_length=100,
        error_messages={"required": "Enter the parent's last name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    child_first_name = forms.CharField(
        label="Child: first name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    child_date = GovukDateField(label="Child: date of birth", required=False, must_be_past=True)
    child2_first_name = forms.CharField(
        label="Another child: first name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    child2_date = GovukDateField(label="Another child: date of birth", required=False, must_be_past=True)
    expected_date = GovukDateField(
        label="Expecting a baby: the due date", required=False, must_be_future=True, help_text="For example, 27 3 2027"
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    area = forms.ChoiceField(
        label="Which town is nearest?",
        help_text="So the family belongs to the base serving their town.",
        error_messages={"required": "Select the nearest town or area", "invalid_choice": "Select a town from the list"},
    )
    registered_via = forms.ChoiceField(
        label="Where are you registering them?",
        choices=[c for c in RegistrationRoute.choices if c[0] != RegistrationRoute.UNIVERSAL_SESSION],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where you are registering the family"},
    )
    safe_contact_channel, contact_phone, contact_email = contact_fields(
        channel_label="How is it safe to contact them?",
        channel_help="Choose Do not contact if they would rather not hear from the service.",
        phone_label="Phone number",
        email_label="Email address",
        email_invalid="Enter the email address in the right format, like name@example.com",
    )
    agreed = forms.BooleanField(
        label="They agree to the service keeping these details",
        required=False,
        help_text="Read them the privacy notice. Without their agreement, count them among the walk-ins instead.",
    )

    def __init__(self, *args, at_session: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()
        if at_session:
            del self.fields["registered_via"]

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        try:
            validate_uk_postcode(postcode)
        except forms.ValidationError:
            raise forms.ValidationError("Enter a full UK postcode, like NR1 3AB") from None
        return postcode

    def clean_area(self):
        value = self.cleaned_data["area"]
        kind, _, key = value.partition("-")
        if kind == "town" and key.isdigit():
            locality = Locality.objects.select_related("district", "base").filter(pk=key, is_other=False).first()
            if locality and locality.district_id:
                return (locality.district, locality)
        elif kind == "district":
            district = District.objects.filter(slug=key).first()
            other = Locality.objects.filter(is_other=True).order_by("pk").first()
            if district and other:
                return (district, other)
        raise forms.ValidationError("Select a town from the list")

    def clean(self):
        cleaned = super().clean()
        self.children = []
        for prefix in ("child", "child2"):
            first, born = (cleaned.get(f"{prefix}_first_name") or "").strip(), cleaned.get(f"{prefix}_date")
            if f"{prefix}_date" in self.errors:
                continue
            if first and born is None:
                self.add_error(f"{prefix}_date", f"Enter {first}'s date of birth")
            elif born is not None and not first:
                self.add_error(f"{prefix}_first_name", "Enter the child's first name")
            elif first:
                self.children.append(Child(first_name=first, date_of_birth=born))
            name_the_person(self, f"{prefix}_date", name=first, what="date of birth")
        if (
            not self.children
            and not cleaned.get("expected_date")
            and not any(f in self.errors for f in ("child_date", "child2_date", "expected_date", "child_first_name"))
        ):
            self.add_error("child_first_name", "Enter a child's first name and date of birth, or the due date")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        district, locality = data["area"]
        return {
            "parent_first_name": data["parent_first_name"],
            "parent_last_name": data["parent_last_name"],
            "children": self.children,
            "expected_date": data.get("expected_date"),
            "postcode": data["postcode"],
            "district": district,
            "locality": locality,
            "agreed": data.get("agreed", False),
            "safe_contact_channel": data.get("safe_contact_channel", ""),
            "contact_phone": data.get("contact_phone", ""),
            "contact_email": data.get("contact_email", ""),
        }
