"""The question pages of the public request for support: one form per page, worded for each route.

Every field has a size limit and every bad answer its own message. Each form carries the honeypot
(``website``): people never see it (the template hides it), so an answer in it is a robot.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from bases.models import District, Locality
from ecfs.govuk_forms import GovukDateField
from families.models import ContactChannel, Person
from families.rules import validate_person_dates
from families.validators import normalise_postcode, validate_uk_postcode
from referrals.models import Referral, Source

PROFESSIONAL = "professional"
FAMILY = "family"
ROUTES = (PROFESSIONAL, FAMILY)

YES_NO = [("yes", "Yes"), ("no", "No")]
NAME_MAX = 100
TEXT_MAX = 2000
EMAIL_ERRORS = {
    "invalid": "Enter an email address in the correct format, like name@example.com",
    "max_length": "The email address must be 254 characters or fewer",
}
# The sources a professional may pick (the family route is a self-referral; the phone line is staff entry).
PROFESSIONAL_SOURCES = [(value, label) for value, label in Source.choices if value not in ("self", "single_phone_line")]
# The determinants in plain words, for people outside the service (the codes are families.determinants').
PLAIN_REASONS = {
    PROFESSIONAL: (
        ("early_attachment", "Bonding between parent and baby"),
        ("early_education", "Getting a place at nursery or pre-school"),
        ("speech_language", "The child's speech, language or communication"),
        ("home_learning", "Play and learning at home"),
        ("social_networks", "Isolation: few friends or family to turn to"),
        ("parental_mental_health", "A parent's mental health"),
        ("domestic_abuse", "Domestic abuse"),
        ("drugs_alcohol", "Drug or alcohol use"),
        ("family_functioning", "Arguments or conflict between parents, or family routines"),
        ("aces_trauma", "Trauma or difficult experiences in the family"),
        ("good_job", "Finding work"),
        ("housing", "Housing"),
        ("parental_education", "A parent's education or skills"),
        ("health", "Physical or mental health in the family"),
        ("opportunities", "Getting to activities, services and support nearby"),
    ),
    FAMILY: (
        ("early_attachment", "Bonding with my baby"),
        ("early_education", "Finding a nursery or pre-school"),
        ("speech_language", "My child's talking and understanding"),
        ("home_learning", "Ideas for play and learning at home"),
        ("social_networks", "Feeling alone, meeting other parents"),
        ("parental_mental_health", "How I am feeling: stress, worry or low mood"),
        ("domestic_abuse", "Feeling unsafe at home"),
        ("drugs_alcohol", "Drink or drugs"),
        ("family_functioning", "Arguments at home, or routines like sleep and mealtimes"),
        ("aces_trauma", "Something difficult that has happened to us"),
        ("good_job", "Finding work"),
        ("housing", "Our home or housing"),
        ("parental_education", "Learning new skills or going back to learning"),
        ("health", "Health, mine or my family's"),
        ("opportunities", "Getting to activities and help near us"),
    ),
}


def _text(label, *, max_length=NAME_MAX, required=True, required_message="", too_long="", **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": required_message or f"Enter {label[:1].lower()}{label[1:]}",
            "max_length": too_long or f"{label} must be {max_length:,} characters or fewer",
        },
        **kwargs,
    )


def _long_text(label, *, required=False, required_message="", rows=5):
    return _text(
        label,
        max_length=TEXT_MAX,
        required=required,
        required_message=required_message,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class QuestionForm(forms.Form):
    """A question page. ``route`` chooses the words; ``heading`` is the page's <h1>; ``single`` pages put their
    one question's label in the <h1> (GOV.UK: one thing per page)."""

    heading = ""
    intro = ""
    single = False

    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

    def __init__(self, *args, route: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.route = route
        self.word(route)

    def word(self, route: str) -> None:
        """Set the labels and messages for ``route``."""

    @property
    def caught_in_honeypot(self) -> bool:
        return bool((self.data.get(self.add_prefix("website")) or "").strip())

    @property
    def questions(self):
        return [self[name] for name in self.fields if name != "website"]

    def summary(self) -> list[tuple[str, str]]:
        """(question, answer) rows for *Check your answers*, from valid ``cleaned_data``."""
        return [(str(self[name].label), _shown(self, name)) for name in self.fields if name != "website"]


def _shown(form, name) -> str:
    value = form.cleaned_data.get(name)
    field = form.fields[name]
    if value in (None, "", [], ()):
        return "Not given"
    if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
        labels = dict(field.choices)
        if isinstance(value, list | tuple):
            return "\n".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    return str(value)


# The professional route ---------------------------------------------------------------------------


class ProfessionForm(QuestionForm):
    single = True
    source = forms.ChoiceField(
        label="Which service do you work for?",
        choices=PROFESSIONAL_SOURCES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the service you work for"},
    )


class ReferrerForm(QuestionForm):
    heading = "Your details"
    referrer_name = _text("Your full name", max_length=150, required_message="Enter your full name")
    referrer_agency = _text("Organisation", max_length=150, required_message="Enter the organisation you work for")
    referrer_role = _text("Job title", max_length=150, required_message="Enter your job title")
    referrer_email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="We will tell you what we decide at this address.",
        error_messages={"required": "Enter your work email address", **EMAIL_ERRORS},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    referrer_phone = _text(
        "Work phone number",
        max_length=30,
        required_message="Enter your work phone number",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_referrer_phone(self):
        return _phone(self.cleaned_data["referrer_phone"], "Enter a phone number, like 01603 123456 or 07700 900982")


class ConsentForm(QuestionForm):
    single = True
    consent = forms.ChoiceField(
        label="Has the family agreed to this referral?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="They know you are asking us to help and agree to us contacting them.",
        error_messages={"required": "Select yes if the family has agreed to this referral"},
    )


# Both routes ----------------------------------------------------------------------------------------

CHILDREN = (("child", "First child"), ("child2", "Second child"), ("child3", "Third child"))


class ChildrenForm(QuestionForm):
    """Up to three children under 5, and a baby on the way: at least one of them."""

    def word(self, route):
        yours = route == FAMILY
        self.heading = "Your children under 5" if yours else "The children"
        self.intro = (
            "Tell us about each of your children under 5, or your baby's due date if you are expecting."
            if yours
            else "Each child under 5 in the family, or the due date of a baby on the way."
        )
        for prefix, label in CHILDREN:
            self.fields[f"{prefix}_first_name"] = _text(f"{label}: first name", required=False)
            self.fields[f"{prefix}_last_name"] = _text(f"{label}: last name", required=False)
            self.fields[f"{prefix}_date"] = GovukDateField(
                label=f"{label}: date of birth",
                required=False,
                must_be_past=True,
                help_text="For example, 27 3 2024",
            )
        for field in self.fields.values():
            field.show_optional = False  # none is needed on its own, but one child or a due date is
        self.fields["unborn_date"] = GovukDateField(
            label="Baby on the way: due date",
            required=False,
            must_be_future=True,
            help_text="If you are expecting a baby, for example, 14 9 2027"
            if yours
            else "If the family is expecting a baby, for example, 14 9 2027",
        )
        # The honeypot goes last, after the questions.
        self.fields["website"] = self.fields.pop("website")

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        self.people = []
        for prefix, label in CHILDREN:
            first, last = cleaned.get(f"{prefix}_first_name"), cleaned.get(f"{prefix}_last_name")
            born = cleaned.get(f"{prefix}_date")
            if not (first or last or born) or f"{prefix}_date" in self.errors:
                continue
            if not first:
                self.add_error(f"{prefix}_first_name", f"Enter the {label.lower()}'s first name")
                continue
            if not last:
                self.add_error(f"{prefix}_last_name", f"Enter {first}'s last name")
                continue
            if born is None:
                self.add_error(f"{prefix}_date", f"Enter {first}'s date of birth")
                continue
            try:
                validate_person_dates(kind=Person.Kind.CHILD, date_of_birth=born, expected_date=None, today=today)
            except ValidationError as error:
                self.add_error(f"{prefix}_date", f"{first}: {error.message_dict['date_of_birth'][0]}")
                continue
            self.people.append(
                {"kind": Person.Kind.CHILD, "first_name": first, "last_name": last, "date_of_birth": born}
            )
        due = cleaned.get("unborn_date")
        if due and "unborn_date" not in self.errors:
            try:
                validate_person_dates(kind=Person.Kind.UNBORN, date_of_birth=None, expected_date=due, today=today)
            except ValidationError as error:
                self.add_error("unborn_date", error.message_dict["expected_date"])
            else:
                self.people.append({"kind": Person.Kind.UNBORN, "expected_date": due})
        if not self.people and not self.errors:
            self.add_error(
                "child_first_name",
                "Enter at least one child under 5, or the due date of a baby on the way",
            )
        return cleaned

    def summary(self):
        rows = []
        for person in self.people:
            if person["kind"] == Person.Kind.UNBORN:
                rows.append(("Baby on the way", f"Due {person['expected_date']:%-d %B %Y}"))
            else:
                rows.append(
                    (
                        f"{person['first_name']} {person['last_name']}",
                        f"Born {person['date_of_birth']:%-d %B %Y}",
                    )
                )
        return rows


class ParentsForm(QuestionForm):
    def word(self, route):
        yours = route == FAMILY
        self.heading = "Your name" if yours else "The parents or carers"
        first = "Your first name" if yours else "Parent or carer: first name"
        last = "Your last name" if yours else "Parent or carer: last name"
        self.fields["parent_first_name"] = _text(first, required_message=f"Enter {first[:1].lower()}{first[1:]}")
        self.fields["parent_last_name"] = _text(last, required_message=f"Enter {last[:1].lower()}{last[1:]}")
        other = "Another parent or carer at home" if yours else "Second parent or carer"
        self.fields["parent2_first_name"] = _text(f"{other}: first name", required=False)
        self.fields["parent2_last_name"] = _text(f"{other}: last name", required=False)
        self.fields["website"] = self.fields.pop("website")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("parent2_first_name"), cleaned.get("parent2_last_name")
        if first and not last and "parent2_last_name" not in self.errors:
            self.add_error("parent2_last_name", f"Enter {first}'s last name")
        if last and not first and "parent2_first_name" not in self.errors:
            self.add_error("parent2_first_name", "Enter the second parent or carer's first name")
        return cleaned

    @property
    def people(self) -> list[dict]:
        data = self.cleaned_data
        people = [
            {
                "kind": Person.Kind.PARENT_CARER,
                "first_name": data["parent_first_name"],
                "last_name": data["parent_last_name"],
            }
        ]
        if data.get("parent2_first_name"):
            people.append(
                {
                    "kind": Person.Kind.PARENT_CARER,
                    "first_name": data["parent2_first_name"],
                    "last_name": data["parent2_last_name"],
                }
            )
        return people

    def summary(self):
        return [("Parent or carer", f"{p['first_name']} {p['last_name']}") for p in self.people]


class AddressForm(QuestionForm):
    address_line_1 = _text(
        "Address line 1",
        max_length=200,
        required_message="Enter the first line of the address",
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line_2 = _text(
        "Address line 2",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = _text(
        "Town or village",
        required_message="Enter the town or village",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = _text(
        "Postcode",
        max_length=10,
        required_message="Enter the postcode",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )

    def word(self, route):
        self.heading = "Your address" if route == FAMILY else "The family's address"

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        try:
            validate_uk_postcode(postcode)
        except ValidationError:
            raise ValidationError("Enter a full UK postcode, like NR1 3AB") from None
        return postcode


def area_choices() -> list[tuple[str, str]]:
    """The market towns, then "Elsewhere in <district>" for each district (the rest of the county)."""
    towns = [
        (f"town-{locality.pk}", locality.name) for locality in Locality.objects.filter(is_other=False).order_by("name")
    ]
    elsewhere = [(f"district-{district.slug}", f"Elsewhere in {district.name}") for district in District.objects.all()]
    return [("", "Choose a town or area")] + towns + elsewhere


class AreaForm(QuestionForm):
    single = True
    area = forms.ChoiceField(
        label="Which town is nearest?",
        help_text="So the team nearest you takes the request.",
        error_messages={"required": "Select the nearest town or area", "invalid_choice": "Select a town from the list"},
    )

    def word(self, route):
        self.fields["area"].choices = area_choices()
        if route == PROFESSIONAL:
            self.fields["area"].label = "Which town is nearest to the family?"
            self.fields["area"].help_text = "So the team nearest the family takes the referral."

    def clean_area(self):
        """The area as (district, locality): a town, or Other in a district."""
        value = self.cleaned_data["area"]
        kind, _, key = value.partition("-")
        if kind == "town":
            locality = Locality.objects.select_related("district").filter(pk=key, is_other=False).first()
            if locality and locality.district_id:
                return value
        elif (
            kind == "district"
            and District.objects.filter(slug=key).exists()
            and Locality.objects.filter(is_other=True).exists()
        ):
            return value
        raise ValidationError("Select a town from the list")

    def place(self) -> tuple[District, Locality]:
        kind, _, key = self.cleaned_data["area"].partition("-")
        if kind == "town":
            locality = Locality.objects.select_related("district").get(pk=key)
            return locality.district, locality
        return District.objects.get(slug=key), Locality.objects.filter(is_other=True).order_by("pk").first()


class LanguageForm(QuestionForm):
    language = _text(
        "Language",
        max_length=60,
        required_message="Enter the language spoken at home",
        help_text="For example, English, Polish, Portuguese or British Sign Language",
    )
    interpreter_needed = forms.ChoiceField(
        label="Is an interpreter needed?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if an interpreter is needed"},
    )

    def word(self, route):
        if route == FAMILY:
            self.heading = "Your language"
            self.fields["language"].label = "Which language would you like us to use?"
            self.fields["language"].error_messages["required"] = "Enter the language you would like us to use"
            self.fields["interpreter_needed"].label = "Would you like an interpreter?"
            self.fields["interpreter_needed"].error_messages["required"] = "Select yes if you would like an interpreter"
        else:
            self.heading = "The family's language"
            self.fields["language"].label = "Which language does the family speak at home?"


class ReasonsForm(QuestionForm):
    reasons = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    reason_details = _long_text("Details")

    def word(self, route):
        self.fields["reasons"].choices = PLAIN_REASONS[route]
        if route == FAMILY:
            self.heading = "What would you like help with?"
            self.fields["reasons"].label = "Choose everything you would like help with"
            self.fields["reasons"].error_messages["required"] = "Select at least one thing you would like help with"
            self.fields["reason_details"].label = "Tell us more, if you want to"
        else:
            self.heading = "Why the family needs support"
            self.fields["reasons"].label = "What does the family need help with?"
            self.fields["reasons"].help_text = "Select all that apply."
            self.fields["reasons"].error_messages["required"] = "Select at least one thing the family needs help with"
            self.fields["reason_details"] = _long_text(
                "What is happening for the family?",
                required=True,
                required_message="Describe what is happening for the family",
            )
        self.fields["reason_details"].error_messages["max_length"] = (
            f"Keep it to {TEXT_MAX:,} characters or fewer: we will ask for more when we contact "
            + ("you" if route == FAMILY else "the family")
        )
        self.fields["website"] = self.fields.pop("website")


class SharingForm(QuestionForm):
    single = True
    consent_to_share = forms.ChoiceField(
        label="Can we share what you tell us with other people who support your family?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="For example your health visitor, GP or your child's nursery, when it helps us support you. "
        "If you say no, we will still help you. We only share without asking if we think a child is at risk "
        "of harm.",
        error_messages={"required": "Select yes if we can share what you tell us with people who support you"},
    )


class UrgencyForm(QuestionForm):
    single = True
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=[
            (Referral.Urgency.ROUTINE, "Routine: we aim to contact the family within 10 working days"),
            (Referral.Urgency.URGENT, "Urgent: the family needs help within days"),
        ],
        widget=forms.RadioSelect,
        help_text="If a child is at risk of significant harm, do not use this form: contact children's social care.",
        error_messages={"required": "Select how urgent it is"},
    )


class SafeContactForm(QuestionForm):
    safe_contact_channel = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=ContactChannel.choices,
    )
    contact_phone = _text(
        "Phone number",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    best_times = _text("When is it safe to contact", max_length=200, required=False)
    safe_contact_only = forms.BooleanField(required=False)
    safe_contact_notes = _long_text("Anything else we should know to contact safely", rows=3)

    def word(self, route):
        yours = route == FAMILY
        self.heading = "Contacting you safely" if yours else "Contacting the family safely"
        channel = self.fields["safe_contact_channel"]
        channel.label = "How is it safe for us to contact you?" if yours else "How is it safe to contact the family?"
        channel.help_text = (
            "If someone at home might see or hear a message and it could put you at risk, choose the safest way, "
            "or 'Do not contact' and we will not send you anything."
            if yours
            else "Choose 'Do not contact' if any message to the family could put someone at risk: we will contact "
            "them through you."
        )
        channel.error_messages["required"] = (
            "Select how it is safe for us to contact you" if yours else "Select how it is safe to contact the family"
        )
        self.fields["contact_phone"].label = "Your phone number" if yours else "The family's phone number"
        self.fields["contact_phone"].help_text = "Needed for a phone call or a text message."
        self.fields["contact_phone"].show_optional = self.fields["contact_email"].show_optional = False
        self.fields["contact_email"].label = "Your email address" if yours else "The family's email address"
        self.fields["contact_email"].help_text = "Needed for email."
        self.fields["best_times"].label = (
            "When is it safe to contact you?" if yours else "When is it safe to contact the family?"
        )
        self.fields["best_times"].help_text = "For example, weekday mornings before 11am"
        self.fields["safe_contact_only"].label = (
            "Only contact me this way: do not leave messages or speak to anyone else"
            if yours
            else "Someone in the home may be a risk: contact the family only this way"
        )
        self.fields["safe_contact_notes"].label = (
            "Anything else we should know to contact you safely"
            if yours
            else "Anything else we should know to contact the family safely"
        )

    def clean_contact_phone(self):
        return _phone(self.cleaned_data["contact_phone"], "Enter a phone number, like 07700 900982")

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("safe_contact_channel")
        yours = self.route == FAMILY
        needs_phone = channel in (ContactChannel.PHONE, ContactChannel.TEXT)
        if needs_phone and not cleaned.get("contact_phone") and "contact_phone" not in self.errors:
            self.add_error(
                "contact_phone",
                "Enter your phone number, or choose another way to contact you"
                if yours
                else "Enter the family's phone number, or choose another way to contact them",
            )
        if channel == ContactChannel.EMAIL and not cleaned.get("contact_email") and "contact_email" not in self.errors:
            self.add_error(
                "contact_email",
                "Enter your email address, or choose another way to contact you"
                if yours
                else "Enter the family's email address, or choose another way to contact them",
            )
        if channel == ContactChannel.NONE:
            # Nothing goes to a family who said no contact: their number and address are not kept either.
            cleaned["contact_phone"] = cleaned["contact_email"] = ""
        return cleaned

    def summary(self):
        rows = super().summary()
        return [row for row in rows if row[1] != "Not given" or row[0] == str(self["safe_contact_channel"].label)]


def _phone(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        return value
    digits = "".join(ch for ch in value if ch.isdigit())
    if not 10 <= len(digits) <= 13 or any(ch not in "0123456789 +()-" for ch in value):
        raise ValidationError(message)
    return value
