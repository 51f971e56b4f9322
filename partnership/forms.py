"""The pages' forms: a team around the family meeting (with up to four actions), its correction, an onward
referral and its outcome."""

from django import forms
from django.contrib.auth import get_user_model

from ecfs.api.dates import EARLIEST_YEAR, LATEST_YEAR
from ecfs.govuk_forms import GovukDateField
from families.models import Person, PlanAction, Professional
from families.rules import shares_with_team_around_family

from .models import OnwardReferral
from .services import ActionInput, ecfs_workers_of

ACTION_ROWS = 4

SHARED_HINT = (
    "Tick this only when what was discussed was shared with the other agencies present, with the family's "
    "consent to share (recorded under Household details and consent)."
)
NO_CONSENT_HINT = (
    "{reference} has not agreed to their information being shared with the team around the family, so this "
    "meeting can be recorded for ECFS's own record only, not as shared with the other agencies, and actions "
    "cannot be given to another agency. Record the family's consent to share first."
)
SHARED_BEFORE_WITHDRAWN = (
    "Shared with the other agencies at the meeting, with the family's consent at the time. Their consent to share "
    "is no longer recorded, so this answer cannot be changed here."
)


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.get_kind_display().lower()})"


class ProfessionalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.get_agency_display()}" + (f" ({obj.organisation})" if obj.organisation else "")


class WorkerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


def _meeting_dates(form):
    form.fields["held_on"] = GovukDateField(
        label="Date of the meeting", must_be_past=True, error_messages={"required": "Enter the date of the meeting"}
    )
    form.fields["decisions"] = forms.CharField(
        label="What was decided",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Enter what was decided",
            "max_length": "What was decided must be 5,000 characters or fewer",
        },
    )
    form.fields["next_meeting_on"] = GovukDateField(label="Date of the next meeting", required=False)


def _shared_field(form, family):
    consent = shares_with_team_around_family(family)
    form.fields["shared_with_agencies"] = forms.BooleanField(
        label="Information was shared with the other agencies at this meeting",
        required=False,
        disabled=not consent,
        widget=forms.CheckboxInput(attrs={} if consent else {"disabled": True}),
        help_text=SHARED_HINT if consent else NO_CONSENT_HINT.format(reference=family.reference),
    )


class MeetingForm(forms.Form):
    """Who came, what was decided, who leads, the next meeting, and up to four actions for the agencies."""

    def __init__(self, *args, family, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        professionals = family.professionals.all()
        people = family.members.exclude(kind=Person.Kind.UNBORN)
        workers = ecfs_workers_of(family, actor)
        self.workers_by_pk = {str(worker.pk): worker for worker in workers}
        self.professionals_by_uuid = {str(professional.uuid): professional for professional in professionals}
        self.people_by_uuid = {str(person.uuid): person for person in people}
        _meeting_dates(self)
        self.fields["workers"] = WorkerChoiceField(
            label="ECFS staff who attended",
            queryset=get_user_model().objects.filter(pk__in=[worker.pk for worker in workers]),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["people"] = PersonChoiceField(
            label="Family members who attended",
            queryset=people,
            to_field_name="uuid",
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["professionals"] = ProfessionalChoiceField(
            label="Professionals from other agencies who attended",
            queryset=professionals,
            to_field_name="uuid",
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="The family's team around the family. Add a professional on the family record first.",
        )
        lead_choices = [("", "Not agreed yet")]
        lead_choices += [(f"worker:{pk}", f"{w.get_full_name()} (ECFS)") for pk, w in self.workers_by_pk.items()]
        lead_choices += [
            (f"professional:{key}", f"{p.name}, {p.get_agency_display()}")
            for key, p in self.professionals_by_uuid.items()
        ]
        self.fields["lead"] = forms.ChoiceField(
            label="Lead professional",
            choices=lead_choices,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Select the lead professional from the list"},
        )
        # Reorder: the date first, then who came.
        order = ["held_on", "workers", "people", "professionals", "decisions", "lead", "next_meeting_on"]
        self.order_fields(order)
        _shared_field(self, family)
        owner_choices = [("", "Choose who will do it")]
        # Actions go to the family's allocated workers (on a plan, its worker is one of them).
        allocated = {str(a.worker_id) for a in family.allocations.all() if a.ended_at is None}
        owner_choices += [
            (f"worker:{pk}", f"{w.get_full_name()} (ECFS)") for pk, w in self.workers_by_pk.items() if pk in allocated
        ]
        owner_choices += [(f"person:{key}", f"{p.full_name} (the family)") for key, p in self.people_by_uuid.items()]
        owner_choices += [
            (f"professional:{key}", f"{p.name} ({p.get_agency_display()})")
            for key, p in self.professionals_by_uuid.items()
        ]
        for number in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{number}_description"] = forms.CharField(
                label="What will be done",
                max_length=1000,
                required=False,
                error_messages={
                    "max_length": f"What will be done for action {number} must be 1,000 characters or fewer"
                },
            )
            self.fields[f"action_{number}_owner"] = forms.ChoiceField(
                label="Who will do it",
                choices=owner_choices,
                required=False,
                error_messages={"invalid_choice": f"Select who will do action {number}: choose someone on the list"},
            )
            # Four rows share the labels: the messages say which action's date is wrong.
            self.fields[f"action_{number}_due_on"] = GovukDateField(
                label="Due by",
                required=False,
                error_messages={
                    "incomplete": f"The due date of action {number} must include a %(missing)s",
                    "invalid": f"The due date of action {number} must be a real date",
                    "year_length": f"The year of action {number}'s due date must include 4 numbers",
                    "year_range": f"The due date of action {number} must be between {EARLIEST_YEAR} and {LATEST_YEAR}",
                },
            )

    def action_rows(self):
        """Each action's three fields, for the template's fieldsets."""
        return [
            (number, [self[f"action_{number}_{part}"] for part in ("description", "owner", "due_on")])
            for number in range(1, ACTION_ROWS + 1)
        ]

    def _owner(self, value):
        kind, _, key = (value or "").partition(":")
        if kind == "worker" and key in self.workers_by_pk:
            return {"owner": PlanAction.Owner.WORKER, "owner_worker": self.workers_by_pk[key]}
        if kind == "person" and key in self.people_by_uuid:
            return {"owner": PlanAction.Owner.FAMILY, "owner_person": self.people_by_uuid[key]}
        if kind == "professional" and key in self.professionals_by_uuid:
            return {"owner": PlanAction.Owner.PROFESSIONAL, "owner_professional": self.professionals_by_uuid[key]}
        return None

    def clean(self):
        data = super().clean()
        lead = data.get("lead") or ""
        kind, _, key = lead.partition(":")
        data["lead_worker"] = self.workers_by_pk.get(key) if kind == "worker" else None
        data["lead_professional"] = self.professionals_by_uuid.get(key) if kind == "professional" else None
        actions = []
        for number in range(1, ACTION_ROWS + 1):
            description = (data.get(f"action_{number}_description") or "").strip()
            owner = data.get(f"action_{number}_owner")
            due_on = data.get(f"action_{number}_due_on")
            refused = {part for part in ("description", "owner", "due_on") if f"action_{number}_{part}" in self.errors}
            if refused:  # already says what is wrong with the row
                continue
            if not (description or owner or due_on):
                continue
            if not description:
                self.add_error(f"action_{number}_description", f"Enter what will be done for action {number}")
            if not owner:
                self.add_error(f"action_{number}_owner", f"Select who will do action {number}")
            if not due_on:
                self.add_error(f"action_{number}_due_on", f"Enter the date action {number} is due by")
            if description and owner and due_on:
                actions.append(ActionInput(description=description, due_on=due_on, **self._owner(owner)))
        data["actions"] = actions
        return data


class MeetingCorrectForm(forms.Form):
    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        _meeting_dates(self)
        _shared_field(self, meeting.family)
        self.fields["reason"] = forms.CharField(
            label="Why are you correcting it?",
            max_length=100,
            help_text="For example, 'Wrong date entered'.",
            error_messages={
                "required": "Say why the record is being corrected",
                "max_length": "Why you are correcting it must be 100 characters or fewer",
            },
        )
        for name in ("held_on", "decisions", "next_meeting_on", "shared_with_agencies"):
            self.fields[name].initial = getattr(meeting, name)
        if meeting.shared_with_agencies and self.fields["shared_with_agencies"].disabled:
            self.fields["shared_with_agencies"].help_text = SHARED_BEFORE_WITHDRAWN


class ActionDoneForm(forms.Form):
    done_on = GovukDateField(label="Date done", must_be_past=True, error_messages={"required": "Enter the date done"})


class OnwardReferralForm(forms.Form):
    agency = forms.ChoiceField(
        label="Type of service",
        choices=[("", "Choose the type of service"), *Professional.Agency.choices],
        error_messages={"required": "Select the type of service"},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=150,
        help_text="For example, 'Norfolk Community Health and Care speech and language therapy'.",
        error_messages={
            "required": "Enter the organisation referred to",
            "max_length": "The organisation must be 150 characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Why the family was referred",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter why the family was referred",
            "max_length": "Why the family was referred must be 2,000 characters or fewer",
        },
    )
    referred_on = GovukDateField(
        label="Date referred", must_be_past=True, error_messages={"required": "Enter the date referred"}
    )
    outcome_expected_by = GovukDateField(
        label="Outcome expected by",
        help_text="When you expect to hear whether the service accepted the referral. If nothing is recorded by "
        "then, it shows as overdue in your week.",
        error_messages={"required": "Enter when the outcome is expected"},
    )
    consent_confirmed = forms.BooleanField(
        label="The family agreed to this referral",
        error_messages={"required": "Confirm the family agreed to the referral: without it, do not refer"},
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was the outcome?",
        choices=OnwardReferral.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome_on = GovukDateField(
        label="Date of the outcome", must_be_past=True, error_messages={"required": "Enter the date of the outcome"}
    )
    outcome_notes = forms.CharField(
        label="About the outcome",
        max_length=300,
        required=False,
        error_messages={"max_length": "About the outcome must be 300 characters or fewer"},
    )
