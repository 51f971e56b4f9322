from django import forms

from ecfs.govuk_forms import GovukFormMixin

from .services import code_kind, code_normalise

APP_CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "autocapitalize": "off",
    "class": "govuk-input--width-10",
}
RECOVERY_CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "spellcheck": "false",
    "autocapitalize": "off",
    "class": "govuk-input--width-10",
}


class TwoFactorCodeForm(GovukFormMixin, forms.Form):
    """One code: from the authenticator app, or (``recovery=True``) a recovery code. Either is accepted."""

    code = forms.CharField(max_length=20, strip=True)

    def __init__(self, *args, recovery: bool = False, app_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        self.app_only = app_only
        field = self.fields["code"]
        if recovery:
            field.label = "Recovery code"
            field.help_text = "One of the 10 codes you saved when you set up two-factor, like abcd-2345"
            field.widget.attrs.update(RECOVERY_CODE_ATTRS)
            field.error_messages.update(
                required="Enter a recovery code",
                max_length="Enter a recovery code of 8 letters and numbers, like abcd-2345",
            )
        else:
            field.label = "Code from your authenticator app"
            field.help_text = "The 6-digit code the app shows for ECFS Case, for example 123456"
            field.widget.attrs.update(APP_CODE_ATTRS)
            field.error_messages.update(
                required="Enter the 6-digit code from your authenticator app",
                max_length="Enter the code as 6 numbers, like 123456",
            )

    def clean_code(self):
        code = code_normalise(self.cleaned_data["code"])
        kind = code_kind(code)
        if kind is None or (self.app_only and kind != "totp"):
            if self.recovery:
                raise forms.ValidationError("Enter a recovery code of 8 letters and numbers, like abcd-2345")
            raise forms.ValidationError("Enter the code as 6 numbers, like 123456")
        return code
