from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from bases.models import District, Locality
from ecfs.govuk_forms import GovukDateField, name_the_person
from families.contact_fields import contact_fields
from families.models import Determinant, Person
from families.rules import SERVICE_START, long_date, validate_person_dates
from families.validators import normalise_postcode, validate_uk_postcode

from .models import Referral, Source, TriageDecision

YES_NO = [("yes", "Yes"), ("no", "No")]
# The people a referral names on its one page: (field prefix, label).
PEOPLE = (("parent", "Parent or carer"), ("child", "Child"), ("child2", "Second child"))
TOO_LONG = f"%s must be {Referral.TEXT_MAX:,} characters or fewer"


def _person_fields(prefix: str, label: str, *, required: bool, date_label="Date of birth", date_kind="past"):
    date_options = {"must_be_past": True} if date_kind == "past" else {"must_be_future": True}
    return {
        f"{prefix}_first_name": forms.CharField(
            label=f"{label}: first name",
            max_length=100,
            required=required,
            error_messages={"required": f"Enter the {label.lower()}'s first name"},
        ),
        f"{prefix}_last_name": forms.CharField(
            label=f"{label}: last name",
            max_length=100,
            required=required,
            error_messages={"required": f"Enter the {label.lower()}'s last name"},
        ),
        f"{prefix}_date": GovukDateField(label=f"{label}: {date_label.lower()}", required=required, **date_options),
    }


def initial_from_family(family, *, address: bool = True) -> dict:
    """The referral form started from a family the service holds (*Refer for support*): its parent, two children
    and an unborn baby, place, language and how to contact them. ``address``: False for a withheld address the
    user may not see (then neither the address nor the phone and email are filled in)."""
    members = list(family.members.order_by("kind", "date_of_birth", "pk"))
    parents = [m for m in members if m.kind == Person.Kind.PARENT_CARER]
    children = [m for m in members if m.kind == Person.Kind.CHILD]
    unborn = [m for m in members if m.kind == Person.Kind.UNBORN]
    initial = {
        "received_on": timezone.localdate(),
        "postcode": family.postcode,
        "district": family.district.slug,
        "locality": family.locality_id,
        "language": family.first_language,
        "interpreter_needed": family.interpreter_needed,
        "safe_contact_channel": family.safe_contact_channel,
        "consent_obtained": None,
    }
    if address:
        initial.update(
            address_line_1=family.address_line_1,
            address_line_2=family.address_line_2,
            town=family.town,
            contact_phone=family.contact_phone,
            contact_email=family.contact_email,
        )
    slots = {"parent": parents[:1], "child": children[:1], "child2": children[1:2]}
    for prefix, found in slots.items():
        if not found:
            continue
        person = found[0]
        initial.update(
            {
                f"{prefix}_first_name": person.first_name,
                f"{prefix}_last_name": person.last_name,
                f"{prefix}_date": person.date_of_birth,
            }
        )
    if unborn:
        initial["unborn_date"] = unborn[0].expected_date
    return {key: value for key, value in initial.items() if value not in (None, "")}


class ReferralForm(forms.Form):
    """One page, in the order a call goes: who is calling, about whom, why, how to engage."""

    received_on = GovukDateField(label="Date received", must_be_past=True)
    received_via = forms.ChoiceField(
        label="How was it received?",
        # The online request form records its own referrals: staff never enter one "through the form".
        choices=[choice for choice in Referral.ReceivedVia.choices if choice[0] != Referral.ReceivedVia.WEB_FORM],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the referral was received"},
    )
    source = forms.ChoiceField(
        label="Who is referring?",
        choices=[("", "Choose a source")] + Source.choices,
        error_messages={"required": "Select who is referring"},
    )
    referrer_name = forms.CharField(
        label="Referrer's name", max_length=150, error_messages={"required": "Enter the referrer's name"}
    )
    referrer_agency = forms.CharField(label="Agency or organisation", max_length=150, required=False)
    referrer_role = forms.CharField(label="Role", max_length=150, required=False)
    referrer_phone = forms.CharField(
        label="Phone",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    referrer_email = forms.EmailField(
        label="Email",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    reasons = forms.ModelMultipleChoiceField(
        label="Reasons for the referral",
        queryset=Determinant.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one reason for the referral"},
        help_text="Select all that apply.",
    )
    reason_details = forms.CharField(
        label="What is happening for the family?",
        widget=forms.Textarea,
        required=False,
        max_length=Referral.TEXT_MAX,
        error_messages={"max_length": TOO_LONG % "What is happening for the family"},
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=Referral.Urgency.choices,
        widget=forms.RadioSelect,
        initial="routine",
        error_messages={"required": "Select the urgency"},
    )
    consent_obtained = forms.ChoiceField(
        label="Has the family consented to the referral?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the family has consented"},
    )

    best_times = forms.CharField(
        label="Best times to contact",
        max_length=200,
        required=False,
        error_messages={"max_length": "Best times to contact must be 200 characters or fewer"},
    )
    language = forms.CharField(label="Preferred language", max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label="An interpreter is needed", required=False)
    safe_contact_only = forms.BooleanField(
        label="Domestic abuse: contact only by agreed safe means",
        required=False,
        help_text="Tick if someone in the home may be a risk. Say below how to make contact safely.",
    )
    safe_contact_notes = forms.CharField(
        label="Safe ways to make contact",
        widget=forms.Textarea,
        required=False,
        max_length=Referral.TEXT_MAX,
        error_messages={"max_length": TOO_LONG % "Safe ways to make contact"},
    )
    safe_contact_channel, contact_phone, contact_email = contact_fields(
        channel_label="How is it safe to contact the family?",
        channel_help="Messages to the family (reminders, the outcome of a request they made) go only this way. "
        "Leave it unanswered if the family was not asked.",
        phone_label="The family's phone number",
        email_label="The family's email address",
        email_invalid="Enter the family's email address in the right format, like name@example.com",
    )

    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter the first line of the address"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address_line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town or village", max_length=100, error_messages={"required": "Enter the town"})
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.all(),
        empty_label="Choose a district",
        to_field_name="slug",
        error_messages={"required": "Select the district", "invalid_choice": "Select a district from the list"},
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        queryset=Locality.objects.order_by("is_other", "name"),
        empty_label="Choose a locality",
        help_text="The market town nearest the family, or Other.",
        error_messages={"required": "Select the locality", "invalid_choice": "Select a locality from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix, label in PEOPLE:
            self.fields.update(_person_fields(prefix, label, required=False))
        self.fields["unborn_date"] = GovukDateField(
            label="Unborn baby: expected date of birth", required=False, must_be_future=True
        )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on < SERVICE_START:
            raise ValidationError(f"The date received must be after the service began ({long_date(SERVICE_START)})")
        return received_on

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        validate_uk_postcode(postcode)
        return postcode

    def clean(self):
        cleaned = super().clean()
        district, locality = cleaned.get("district"), cleaned.get("locality")
        if district and locality and locality.district_id not in (None, district.pk):
            self.add_error("locality", f"{locality} is not in {district}: choose a locality in that district")
        if cleaned.get("safe_contact_only") and not (cleaned.get("safe_contact_notes") or "").strip():
            self.add_error("safe_contact_notes", "Say how to make contact safely")
        self.people = self._people(cleaned)
        has_child = any(p["kind"] in (Person.Kind.CHILD, Person.Kind.UNBORN) for p in self.people)
        if not has_child and not self.errors:
            self.add_error("child_first_name", "Enter at least one child aged 0 to 5, or an unborn baby's due date")
        # Several people on one page: an error on a person's field names them ("Alfie's date of birth …").
        for prefix, label in PEOPLE:
            first_name = cleaned.get(f"{prefix}_first_name") or ""
            name_the_person(
                self, f"{prefix}_date", name=first_name, what="date of birth", label=f"{label}: date of birth"
            )
            name_the_person(self, f"{prefix}_last_name", name=first_name, what="last name", label=f"{label}: last name")
        return cleaned

    def _people(self, cleaned) -> list[dict]:
        today = timezone.localdate()
        people = []
        family_name = cleaned.get("parent_last_name") or cleaned.get("child_last_name") or ""
        for prefix, kind in (
            ("parent", Person.Kind.PARENT_CARER),
            ("child", Person.Kind.CHILD),
            ("child2", Person.Kind.CHILD),
        ):
            first, last = cleaned.get(f"{prefix}_first_name"), cleaned.get(f"{prefix}_last_name")
            when = cleaned.get(f"{prefix}_date")
            if not (first or last or when):
                continue
            if not first:
                self.add_error(f"{prefix}_first_name", "Enter a first name")
                continue
            if not last:
                self.add_error(f"{prefix}_last_name", f"Enter {first}'s last name")
                continue
            if f"{prefix}_date" in self.errors:
                continue  # the date itself is wrong: its field says so
            if kind == Person.Kind.CHILD and when is None:
                self.add_error(f"{prefix}_date", "Enter the child's date of birth")
                continue
            try:
                validate_person_dates(kind=kind, date_of_birth=when, expected_date=None, today=today)
            except ValidationError as error:
                self.add_error(f"{prefix}_date", error.message_dict["date_of_birth"])
                continue
            people.append({"kind": kind, "first_name": first, "last_name": last, "date_of_birth": when})
        if cleaned.get("unborn_date"):
            due = cleaned["unborn_date"]
            try:
                validate_person_dates(kind=Person.Kind.UNBORN, date_of_birth=None, expected_date=due, today=today)
                people.append(
                    {
                        "kind": Person.Kind.UNBORN,
                        "first_name": "Unborn",
                        "last_name": family_name or "baby",
                        "expected_date": due,
                    }
                )
            except ValidationError as error:
                self.add_error("unborn_date", error.message_dict["expected_date"])
        return people

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        received_at = timezone.make_aware(datetime.combine(data["received_on"], time(9, 0)))
        if data["received_on"] == timezone.localdate():
            received_at = timezone.now()
        fields = {
            name: data[name]
            for name in (
                "received_via",
                "source",
                "referrer_name",
                "referrer_agency",
                "referrer_role",
                "referrer_phone",
                "referrer_email",
                "reason_details",
                "urgency",
                "best_times",
                "language",
                "interpreter_needed",
                "safe_contact_only",
                "safe_contact_notes",
                "safe_contact_channel",
                "contact_phone",
                "contact_email",
                "address_line_1",
                "address_line_2",
                "town",
                "postcode",
                "district",
                "locality",
            )
        }
        return {
            **fields,
            "received_at": received_at,
            "consent_obtained": data["consent_obtained"] == "yes",
            "reasons": list(data["reasons"]),
            "people": self.people,
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=TriageDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason")] + TriageDecision.Reason.choices,
        error_messages={"required": "Select a reason for the decision"},
    )
    notes = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=Referral.TEXT_MAX,
        error_messages={"required": "Explain the decision", "max_length": TOO_LONG % "Why"},
    )
    consent_override_reason = forms.CharField(
        label="Safeguarding override: why accept it without the family's agreement?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only to accept. Recorded on the referral and in the audit trail.",
        error_messages={"max_length": "The safeguarding reason must be 2,000 characters or fewer"},
    )
    NEW_FAMILY = "new"
    family_choice = forms.ChoiceField(
        label="Which family is this referral for?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Needed when accepting; for any other decision, choose the family if it is one we know. "
        "Check the possible matches before making a new family.",
    )

    def __init__(self, *args, allowed_decisions=None, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_families = {c.family.reference: c.family for c in candidates}
        self.fields["family_choice"].choices = [
            (c.family.reference, f"{c.family.reference}: {c.person.full_name}, matched on {', '.join(c.matched_on)}")
            for c in candidates
        ] + [(self.NEW_FAMILY, "None of these: make a new family")]
        if allowed_decisions is not None:
            self.fields["decision"].choices = [
                (value, label) for value, label in TriageDecision.Decision.choices if value in allowed_decisions
            ]

    def clean(self):
        cleaned = super().clean()
        decision, reason = cleaned.get("decision"), cleaned.get("reason")
        if decision and reason and reason not in TriageDecision.REASONS_FOR[TriageDecision.Decision(decision)]:
            allowed = ", ".join(
                TriageDecision.Reason(r).label.lower()
                for r in TriageDecision.REASONS_FOR[TriageDecision.Decision(decision)]
            )
            self.add_error("reason", f"That reason does not fit the decision: choose from {allowed}")
        if decision == TriageDecision.Decision.ACCEPT and not cleaned.get("family_choice"):
            self.add_error("family_choice", "Choose the family this referral is for, or make a new family")
        return cleaned

    def family_kwargs(self) -> dict:
        choice = self.cleaned_data.get("family_choice")
        if self.cleaned_data.get("decision") != TriageDecision.Decision.ACCEPT:
            # A known family is recorded whatever the decision (the returns count re-referrals from it).
            return {"family": self.candidate_families[choice]} if choice in self.candidate_families else {}
        if choice == self.NEW_FAMILY:
            return {"new_family": True}
        return {"family": self.candidate_families[choice]}


class AllocationForm(forms.Form):
    worker = forms.ChoiceField(
        label="Allocate to", widget=forms.RadioSelect, error_messages={"required": "Select a worker"}
    )

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {str(profile.user.pk): profile.user for profile in workers}
        self.fields["worker"].choices = [
            (
                str(profile.user.pk),
                f"{profile.user.get_full_name()} — {profile.open_families} open famil"
                f"{'y' if profile.open_families == 1 else 'ies'} ({profile.team.name})",
            )
            for profile in workers
        ]

    def clean_worker(self):
        return self.workers[self.cleaned_data["worker"]]


class FirstContactForm(forms.Form):
    contact_date = GovukDateField(label="Date of first contact", must_be_past=True)

    def contact_datetime(self):
        day = self.cleaned_data["contact_date"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.combine(day, time(12, 0)))
