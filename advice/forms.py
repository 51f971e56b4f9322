"""The advice log's pages: one short form to record advice, and the log's filters."""

from django import forms
from django.utils import timezone

from bases.models import District, Locality
from ecfs.govuk_forms import GovukDateField, GovukFormMixin
from families.models import Determinant
from families.search import family_search
from referrals.selectors import referral_list

from .models import AdviceEntry
from .selectors import last_entry_of, recorder_team
from .services import SIGNPOSTED_TO_MISSING, normalise_outward, outward_postcode_problem
from .topics import plain_words


class TopicField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return plain_words(obj)


class AdviceForm(forms.Form):
    """Thirty seconds at a drop-in: what they asked about and what you gave; the rest starts filled in (today,
    and the way, district and town of your last entry)."""

    channel = forms.ChoiceField(
        label="How did they ask?",
        choices=AdviceEntry.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the family asked"},
    )
    partner_session = forms.ChoiceField(
        label="Whose session? (for outreach)",
        choices=[("", "Not at a partner's session"), *AdviceEntry.PartnerSession.choices],
        required=False,
    )
    topics = TopicField(
        label="What did they ask about?",
        queryset=Determinant.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select what they asked about"},
    )
    given = forms.ChoiceField(
        label="What did you give?",
        choices=AdviceEntry.Given.choices,
        widget=forms.RadioSelect,
        initial=AdviceEntry.Given.ADVICE,
        error_messages={"required": "Select what you gave"},
    )
    signposted_to = forms.CharField(
        label="Signposted to",
        required=False,
        max_length=200,
        help_text="The service or community group, if you signposted them.",
        error_messages={"max_length": "The service or group's name must be 200 characters or fewer"},
    )
    referral = forms.CharField(
        label="Referral reference",
        required=False,
        max_length=12,
        help_text="If you made a referral and it is recorded already. You can link it later.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.order_by("name"),
        empty_label="Choose a district",
        error_messages={"required": "Select the district"},
    )
    locality = forms.ModelChoiceField(
        label="Town",
        queryset=Locality.objects.order_by("is_other", "name"),
        required=False,
        empty_label="Not known",
    )
    outward_postcode = forms.CharField(
        label="First half of the postcode",
        required=False,
        max_length=8,
        help_text="For example, NR30. Never the full postcode or an address.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}),
    )
    given_on = GovukDateField(label="Date", must_be_past=True)
    family = forms.CharField(
        label="The family, if already known to the service",
        required=False,
        max_length=100,
        help_text="Their family reference (like ECFS-000123), or a name. Leave blank to keep the advice anonymous.",
    )
    notes = forms.CharField(
        label="Anything else",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="No names or addresses unless the family is known.",
    )

    def __init__(self, *args, user, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["given_on"].initial = timezone.localdate()
        last = last_entry_of(user=user)
        team = recorder_team(user)
        if last is not None:
            self.fields["channel"].initial = last.channel
            self.fields["partner_session"].initial = last.partner_session
            self.fields["district"].initial = last.district_id
            self.fields["locality"].initial = last.locality_id
        else:
            self.fields["channel"].initial = AdviceEntry.Channel.PHONE_LINE
            if team is not None:
                self.fields["district"].initial = team.base.district_id
        if family is not None:
            self.fields["family"].initial = family.reference
            self.fields["district"].initial = family.district_id
            self.fields["locality"].initial = family.locality_id

    def clean(self):
        cleaned = super().clean()
        # Said here as well as by the service, so it shows with the form's own messages.
        if cleaned.get("given") == AdviceEntry.Given.SIGNPOSTED and not cleaned.get("signposted_to", "").strip():
            self.add_error("signposted_to", SIGNPOSTED_TO_MISSING)
        return cleaned

    def clean_outward_postcode(self):
        value = normalise_outward(self.cleaned_data.get("outward_postcode", ""))
        problem = outward_postcode_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_family(self):
        query = self.cleaned_data.get("family", "").strip()
        self.family = None
        if not query:
            return query
        _terms, results = family_search(user=self.user, query=query)
        page = results.page(1, 2)
        if page.paginator.count == 0:
            raise forms.ValidationError(
                "No family you can see matches: enter their family reference, or leave it blank"
            )
        if page.paginator.count > 1:
            raise forms.ValidationError(
                f"{page.paginator.count} families match: enter the family's reference (like ECFS-000123)"
            )
        self.family = page.object_list[0]
        return query

    def clean_referral(self):
        reference = self.cleaned_data.get("referral", "").strip().upper()
        self.referral = None
        if reference:
            self.referral = referral_list(user=self.user).filter(reference=reference).first()
            if self.referral is None:
                raise forms.ValidationError("No referral you can see has this reference")
        return reference

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "given_on": data["given_on"],
            "channel": data["channel"],
            "partner_session": data.get("partner_session", ""),
            "district": data["district"],
            "locality": data.get("locality"),
            "outward_postcode": data.get("outward_postcode", ""),
            "topics": data["topics"],
            "given": data["given"],
            "signposted_to": data.get("signposted_to", ""),
            "referral": self.referral,
            "family": self.family,
            "notes": data.get("notes", ""),
        }


class LinkReferralForm(forms.Form):
    referral = forms.CharField(
        label="Referral reference",
        max_length=12,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": "Enter the referral's reference"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_referral(self):
        reference = self.cleaned_data["referral"].strip().upper()
        self.referral = referral_list(user=self.user).filter(reference=reference).first()
        if self.referral is None:
            raise forms.ValidationError("No referral you can see has this reference")
        return reference


class LogFilterForm(GovukFormMixin, forms.Form):
    """The log's filters, read from the query string; every field is optional."""

    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)
    channel = forms.ChoiceField(
        label="How they asked", choices=[("", "Any"), *AdviceEntry.Channel.choices], required=False
    )
    topic = forms.ModelChoiceField(
        label="Topic", queryset=Determinant.objects.order_by("position"), required=False, empty_label="Any"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].label_from_instance = plain_words

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned
