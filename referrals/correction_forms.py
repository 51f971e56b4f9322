"""The page for correcting a referral's details: the intake's own fields, the family's details as referred only while
the referral awaits triage, and the reason for the correction."""

import copy

from django import forms
from django.utils import timezone

from families.contact_fields import contact_fields

from .forms import ReferralForm

REFERRAL_FIELDS = (
    "received_on",
    "received_via",
    "source",
    "referrer_name",
    "referrer_agency",
    "referrer_role",
    "referrer_phone",
    "referrer_email",
    "reasons",
    "reason_details",
    "urgency",
    "best_times",
    "language",
    "interpreter_needed",
    "safe_contact_only",
    "safe_contact_notes",
)
ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town", "postcode", "district", "locality")
AS_REFERRED_CONTACT_FIELDS = ("contact_phone", "contact_email", "safe_contact_channel")
# The referral's own fields that are saved as entered: the date received and the reasons are converted first.
SERVICE_FIELDS = tuple(name for name in REFERRAL_FIELDS if name not in ("received_on", "reasons"))


class ReferralCorrectionForm(forms.Form):
    safe_contact_channel, contact_phone, contact_email = contact_fields(
        channel_label="Safe way to contact the family",
        channel_blank="Not known",
        phone_label="The family's phone",
        email_label="The family's email",
        email_invalid="Enter the family's email address in the correct format, like name@example.com",
    )
    reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="For example: wrong date, typing mistake. It is shown beside the correction.",
        max_length=300,
        error_messages={"required": "Say why the referral is being corrected"},
    )

    def __init__(self, *args, with_address: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_address = with_address
        own = dict(self.fields)
        self.fields = {}
        for name in REFERRAL_FIELDS:
            self.fields[name] = ReferralForm.base_fields[name]
        if with_address:
            for name in ADDRESS_FIELDS:
                self.fields[name] = ReferralForm.base_fields[name]
            for name in AS_REFERRED_CONTACT_FIELDS:
                self.fields[name] = own[name]
        self.fields["reason"] = own["reason"]
        self.fields = copy.deepcopy(self.fields)  # the intake form's fields are shared: this page gets its own

    clean_postcode = ReferralForm.clean_postcode

    def clean(self):
        cleaned = super().clean()
        district, locality = cleaned.get("district"), cleaned.get("locality")
        if district and locality and locality.district_id not in (None, district.pk):
            self.add_error("locality", f"{locality} is not in {district}: choose a locality in that district")
        if cleaned.get("safe_contact_only") and not (cleaned.get("safe_contact_notes") or "").strip():
            self.add_error("safe_contact_notes", "Say how to make contact safely")
        return cleaned

    def amended(self) -> dict:
        data = self.cleaned_data
        as_referred = None
        if self.with_address:
            as_referred = {name: data[name] for name in (*ADDRESS_FIELDS, *AS_REFERRED_CONTACT_FIELDS)}
        return {
            **{name: data[name] for name in SERVICE_FIELDS},
            "received_on": data["received_on"],
            "reasons": list(data["reasons"]),
            "as_referred": as_referred,
            "reason": data["reason"],
        }


def initial_for(referral) -> dict:
    initial = {name: getattr(referral, name) for name in SERVICE_FIELDS}
    initial.update({name: getattr(referral, name) for name in ("address_line_1", "address_line_2", "town", "postcode")})
    initial.update(
        {
            "received_on": timezone.localtime(referral.received_at).date(),
            "reasons": list(referral.reasons.all()),
            "district": referral.district,
            "locality": referral.locality,
            "contact_phone": referral.contact_phone,
            "contact_email": referral.contact_email,
            "safe_contact_channel": referral.safe_contact_channel,
        }
    )
    return initial
