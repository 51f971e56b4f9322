"""Forms of the service admin's configuration pages that compose several apps (staff)."""

from django import forms

from bases.models import Team
from ecfs.roles import Role


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.base.name})"


class StaffAddForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150, error_messages={"required": "Enter a first name"})
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter a last name"})
    email = forms.EmailField(
        label="Email address",
        help_text="They sign in with it",
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    team = TeamChoiceField(
        label="Team and base",
        queryset=Team.objects.select_related("base").order_by("base__name", "name"),
        required=False,
        empty_label="No team",
        help_text="Family support workers and team managers must have a team. A team manager becomes the manager "
        "of the team, so choose a team that has none",
    )
    team.show_optional = False


class StaffDeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Why is this member of staff being deactivated?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, left the service on 31 March",
        error_messages={"required": "Enter why this member of staff is being deactivated"},
    )
