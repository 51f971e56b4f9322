"""The family's contact details as a form asks for them (a referral, a light registration, a correction): the
fields, their widgets and limits defined once; each form words the labels for whoever fills it in."""

from django import forms

from .models import ContactChannel


def contact_fields(
    *,
    channel_label: str,
    phone_label: str,
    email_label: str,
    email_invalid: str,
    channel_help: str = "",
    channel_blank: str | None = None,
) -> tuple[forms.Field, forms.Field, forms.Field]:
    """``safe_contact_channel, contact_phone, contact_email``, for a form's class body to unpack. With
    ``channel_blank`` the channel is a list whose first choice is that answer; otherwise radios, none required."""
    if channel_blank is None:
        channel = forms.ChoiceField(
            label=channel_label,
            choices=ContactChannel.choices,
            widget=forms.RadioSelect,
            required=False,
            help_text=channel_help,
        )
    else:
        channel = forms.ChoiceField(
            label=channel_label,
            choices=[("", channel_blank), *ContactChannel.choices],
            required=False,
            help_text=channel_help,
        )
    phone = forms.CharField(
        label=phone_label,
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=email_label,
        max_length=254,
        required=False,
        error_messages={"invalid": email_invalid},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    return channel, phone, email
