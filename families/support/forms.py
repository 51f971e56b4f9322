from datetime import datetime

from django import forms
from django.utils import timezone

from ecfs.govuk_forms import GovukDateField
from families.models import (
    Contact,
    Determinant,
    GoalProgress,
    ParentProgress,
    PlanAction,
    SafeguardingAction,
    SupportPlan,
)
from venues.models import Venue

SCORE_ERRORS = {
    "required": "Enter a score from 1 to 10",
    "invalid": "Score must be a whole number from 1 to 10",
    "min_value": "Score must be a whole number from 1 to 10",
    "max_value": "Score must be a whole number from 1 to 10",
}
GOAL_SLOTS = 3


def _score_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=10,
        error_messages=SCORE_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
    )


class ScoresMixin:
    """One 1–10 score field per determinant in the plan's goals: ``score_<determinant pk>``."""

    def add_score_fields(self, plan):
        self.score_goals = list(plan.goals.all())
        for goal in self.score_goals:
            self.fields[f"score_{goal.determinant_id}"] = _score_field(f"{goal.determinant.name} (1 to 10)")

    def scores(self) -> dict[int, int]:
        return {goal.determinant_id: self.cleaned_data.get(f"score_{goal.determinant_id}") for goal in self.score_goals}


class AssessmentForm(forms.Form):
    needs = forms.ModelMultipleChoiceField(
        label="The family's needs",
        queryset=Determinant.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one need"},
        help_text="Select all that apply.",
    )
    strengths = forms.CharField(label="Strengths", widget=forms.Textarea, required=False)
    family_view = forms.CharField(label="The family's own view", widget=forms.Textarea, required=False)
    child_voice = forms.CharField(label="The child's voice", widget=forms.Textarea, required=False)
    agreed_on = GovukDateField(label="Date agreed with the family", must_be_past=True)


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of plan",
        choices=SupportPlan.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of plan"},
    )
    lead_professional = forms.BooleanField(label="I am the lead professional (agreed with the family)", required=False)
    review_interval_weeks = forms.TypedChoiceField(
        label="Review every",
        coerce=int,
        choices=[(weeks, f"{weeks} weeks") for weeks in range(6, 13)],
        initial=8,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, GOAL_SLOTS + 1):
            self.fields[f"goal_{slot}_determinant"] = forms.ModelChoiceField(
                label=f"Goal {slot}: need",
                queryset=Determinant.objects.all(),
                empty_label="Choose a need",
                required=slot == 1,
                error_messages={"required": "Choose the need the first goal is about"},
            )
            self.fields[f"goal_{slot}_description"] = forms.CharField(
                label=f"Goal {slot}: what will be different",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for slot in range(1, GOAL_SLOTS + 1):
            if cleaned.get(f"goal_{slot}_determinant") and not (cleaned.get(f"goal_{slot}_description") or "").strip():
                self.add_error(f"goal_{slot}_description", f"Describe goal {slot}")
        return cleaned

    def goals(self):
        return [
            (self.cleaned_data[f"goal_{slot}_determinant"], self.cleaned_data[f"goal_{slot}_description"])
            for slot in range(1, GOAL_SLOTS + 1)
            if self.cleaned_data.get(f"goal_{slot}_determinant")
        ]


class StartScoresForm(ScoresMixin, forms.Form):
    assessed_on = GovukDateField(label="Date scored", must_be_past=True)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_score_fields(plan)


class ReviewForm(ScoresMixin, forms.Form):
    reviewed_on = GovukDateField(label="Date of the review", must_be_past=True)
    notes = forms.CharField(label="Review notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_list = list(plan.goals.all())
        for goal in self.goal_list:
            self.fields[f"progress_{goal.pk}"] = forms.ChoiceField(
                label=f"Progress on {goal.determinant.name.lower()}: {goal.description}",
                choices=GoalProgress.Progress.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the progress made on this goal"},
            )
        self.add_score_fields(plan)

    def progress(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data.get(f"progress_{goal.pk}") for goal in self.goal_list}


class ClosureForm(ScoresMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why is the plan closing?",
        choices=SupportPlan.ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the plan is closing"},
    )
    stepped_down_to = forms.CharField(
        label="Stepped down to",
        max_length=150,
        required=False,  # needed only for a step down: the service says so (not "optional")
        help_text="Only when the family is stepping down to universal services: the services or community group "
        "they will use, for example the health visitor and the stay and play at the library.",
    )
    stepped_down_to.show_optional = False
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea,
        help_text="The support given and where the family is now.",
        error_messages={"required": "Write a short summary of the support and where the family is now"},
    )
    assessed_on = GovukDateField(label="Date of the closing scores", must_be_past=True)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_score_fields(plan)


class PlanActionForm(forms.Form):
    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "Describe the action"}
    )
    goal = forms.ModelChoiceField(label="For goal", queryset=None, required=False, empty_label="Not tied to one goal")
    owner = forms.ChoiceField(
        label="Who will do it?",
        choices=PlanAction.Owner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will do it"},
    )
    owner_person = forms.ModelChoiceField(label="Family member", queryset=None, required=False, empty_label="Choose")
    owner_professional = forms.ModelChoiceField(
        label="Professional", queryset=None, required=False, empty_label="Choose"
    )
    due_on = GovukDateField(label="Due by")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.select_related("determinant")
        self.fields["owner_person"].queryset = plan.family.members.exclude(kind="unborn")
        self.fields["owner_professional"].queryset = plan.family.professionals.all()


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what needs to change"},
    )


class ContactForm(forms.Form):
    """Quick to fill in between visits: today, now, an hour, a home visit by default."""

    occurred_on = GovukDateField(label="Date", must_be_past=True)
    time = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter a time like 14:30"},
    )
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=1,
        max_value=720,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the duration in minutes",
            "min_value": "Duration must be more than 0 minutes",
            "max_value": "Duration must be 12 hours or less",
            "invalid": "Enter the duration as a number of minutes",
        },
    )
    mode = forms.ChoiceField(
        label="How",
        choices=Contact.Mode.choices,
        widget=forms.RadioSelect,
        initial=Contact.Mode.HOME_VISIT,
        error_messages={"required": "Select how the contact happened"},
    )
    venue = forms.ModelChoiceField(
        label="Venue",
        queryset=Venue.objects.order_by("name"),
        required=False,
        empty_label="Choose a venue",
        help_text="For a contact at a community venue or a base.",
    )
    people_seen = forms.ModelMultipleChoiceField(
        label="Who was seen", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label="What happened", widget=forms.Textarea, error_messages={"required": "Enter what happened"}
    )
    next_steps = forms.CharField(label="Next steps", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    safeguarding_concern = forms.BooleanField(
        label="I have a safeguarding concern",
        required=False,
        help_text="Your team manager will see it straight away and record the action taken.",
    )
    plan = forms.ModelChoiceField(label="Plan", queryset=None, required=False, empty_label="Not tied to a plan")

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["occurred_on"].initial = now.date()
        self.fields["time"].initial = now.strftime("%H:%M")
        self.fields["duration_minutes"].initial = 60
        # Children are asked about once each, below ("Was Alfie seen?"): this list is the grown-ups.
        self.fields["people_seen"].queryset = family.members.exclude(kind__in=["unborn", "child"])
        self.fields["people_seen"].label = "Which adults were seen"
        plans = family.plans.filter(status__in=SupportPlan.OPEN_STATUSES)
        self.fields["plan"].queryset = plans
        if len(plans) == 1:
            self.fields["plan"].initial = plans[0].pk
        self.children = list(family.members.filter(kind="child"))
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.TypedChoiceField(
                label=f"Was {child.first_name} seen?",
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                required=False,
                help_text="Required for home visits.",
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == Contact.Mode.HOME_VISIT:
            for child in self.children:
                if self.data.get(f"child_{child.pk}") not in ("yes", "no"):
                    self.add_error(f"child_{child.pk}", f"Say whether {child.first_name} was seen")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        occurred_at = timezone.make_aware(datetime.combine(data["occurred_on"], data["time"]))
        return {
            "occurred_at": occurred_at,
            "duration_minutes": data["duration_minutes"],
            "mode": data["mode"],
            "venue": data.get("venue"),
            "people_seen": list(data.get("people_seen") or [])
            + [child for child in self.children if data.get(f"child_{child.pk}") is True],
            "children_seen": {
                child.pk: data.get(f"child_{child.pk}")
                for child in self.children
                if self.data.get(f"child_{child.pk}") in ("yes", "no")
            },
            "notes": data["notes"],
            "next_steps": data.get("next_steps", ""),
            "safeguarding_concern": data.get("safeguarding_concern", False),
            "plan": data.get("plan"),
        }


class SafeguardingActionForm(forms.Form):
    action = forms.ChoiceField(
        label="Action taken",
        choices=SafeguardingAction.Action.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action taken"},
    )
    notes = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For no further action, give the reason.",
        error_messages={"required": "Say what was done, or the reason for no further action"},
    )


class FollowUpForm(forms.Form):
    sustained = forms.TypedChoiceField(
        label="Has the family's progress been sustained?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the progress has been sustained"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ParentProgressForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Parent or carer",
        queryset=None,
        empty_label="Choose",
        error_messages={"required": "Choose the parent or carer"},
    )
    kind = forms.ChoiceField(
        label="Started",
        choices=ParentProgress.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what they started"},
    )
    started_on = GovukDateField(label="Start date", must_be_past=True)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = family.members.filter(kind__in=["parent_carer", "other_adult"])


class PlannedVisitForm(forms.Form):
    on = GovukDateField(label="Date", must_be_future=True)
    time = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the time", "invalid": "Enter a time like 14:30"},
    )
    mode = forms.ChoiceField(
        label="How",
        choices=Contact.Mode.choices,
        widget=forms.RadioSelect,
        initial=Contact.Mode.HOME_VISIT,
        error_messages={"required": "Select how the visit will happen"},
    )
    notes = forms.CharField(label="Notes", max_length=200, required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": timezone.make_aware(datetime.combine(data["on"], data["time"])),
            "mode": data["mode"],
            "notes": data["notes"],
        }


class CorrectionReasonMixin(forms.Form):
    reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="For example: wrong date, typing mistake. It is shown beside the correction.",
        max_length=300,
        error_messages={"required": "Say why the record is being corrected"},
    )


class ContactAmendForm(CorrectionReasonMixin):
    """Correct a contact's date, time, duration or notes (how it happened and who was seen stay as logged)."""

    field_order = ["occurred_on", "time", "duration_minutes", "notes", "next_steps", "reason"]
    occurred_on = ContactForm.base_fields["occurred_on"]
    time = ContactForm.base_fields["time"]
    duration_minutes = ContactForm.base_fields["duration_minutes"]
    notes = ContactForm.base_fields["notes"]
    next_steps = ContactForm.base_fields["next_steps"]

    def amended(self) -> dict:
        data = self.cleaned_data
        occurred_at = timezone.make_aware(datetime.combine(data["occurred_on"], data["time"]))
        return {
            "occurred_at": occurred_at,
            "duration_minutes": data["duration_minutes"],
            "notes": data["notes"],
            "next_steps": data["next_steps"],
            "reason": data["reason"],
        }


class InErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why was it recorded in error?",
        help_text="For example: recorded on the wrong family. The contact is kept but leaves every list and return.",
        max_length=300,
        error_messages={"required": "Say why it was recorded in error"},
    )


class ActionDoneForm(forms.Form):
    done_on = GovukDateField(label="Date done", must_be_past=True)


class ActionReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the action being reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the action is being reopened"},
    )


class ActionRedateForm(forms.Form):
    due_on = GovukDateField(label="New due date")
    reason = forms.CharField(
        label="Why is the due date changing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the due date is changing"},
    )


class ActionReassignForm(forms.Form):
    """Who will do it: a worker allocated to the family, a family member or another agency working with it."""

    owner = forms.ChoiceField(
        label="Who will do it?",
        choices=PlanAction.Owner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will do it"},
    )
    owner_worker = forms.ModelChoiceField(label="Worker", queryset=None, required=False, empty_label="Choose")
    owner_person = forms.ModelChoiceField(label="Family member", queryset=None, required=False, empty_label="Choose")
    owner_professional = forms.ModelChoiceField(
        label="Professional", queryset=None, required=False, empty_label="Choose"
    )

    def __init__(self, *args, plan, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_worker"].queryset = workers
        self.fields["owner_worker"].label_from_instance = lambda user: user.get_full_name()
        self.fields["owner_person"].queryset = plan.family.members.exclude(kind="unborn")
        self.fields["owner_professional"].queryset = plan.family.professionals.all()


class RecordInErrorForm(InErrorForm):
    """Mark an assessment, a set of scores or a follow-up recorded in error: ``what`` names it in the hint."""

    def __init__(self, *args, what: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "reason"
        ].help_text = f"For example: recorded on the wrong family. The {what} is kept but leaves every list and return."


class AssessmentAmendForm(CorrectionReasonMixin):
    """Correct an agreed assessment's answers."""

    field_order = ["needs", "strengths", "family_view", "child_voice", "agreed_on", "reason"]
    needs = AssessmentForm.base_fields["needs"]
    strengths = AssessmentForm.base_fields["strengths"]
    family_view = AssessmentForm.base_fields["family_view"]
    child_voice = AssessmentForm.base_fields["child_voice"]
    agreed_on = AssessmentForm.base_fields["agreed_on"]


class GoalAmendForm(CorrectionReasonMixin):
    field_order = ["description", "reason"]
    description = forms.CharField(
        label="What will be different, in the family's words",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the goal in the family's words"},
    )


class ActionAmendForm(CorrectionReasonMixin):
    field_order = ["description", "reason"]
    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Describe the action"}
    )


class ReviewAmendForm(CorrectionReasonMixin):
    """Correct a review's date, notes and the progress recorded on each goal (its scores are corrected on their
    own page)."""

    reviewed_on = ReviewForm.base_fields["reviewed_on"]
    notes = ReviewForm.base_fields["notes"]

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(review.progress.all())
        for row in self.rows:
            self.fields[f"progress_{row.goal_id}"] = forms.ChoiceField(
                label=f"Progress on {row.goal.determinant.name.lower()}: {row.goal.description}",
                choices=GoalProgress.Progress.choices,
                widget=forms.RadioSelect,
                initial=row.progress,
                error_messages={"required": "Select the progress made on this goal"},
            )
        self.order_fields(["reviewed_on", "notes", *(f"progress_{row.goal_id}" for row in self.rows), "reason"])

    def amended(self) -> dict:
        data = self.cleaned_data
        return {
            "reviewed_on": data["reviewed_on"],
            "notes": data["notes"],
            "progress": {row.goal_id: data.get(f"progress_{row.goal_id}") for row in self.rows},
            "reason": data["reason"],
        }


class ScoresAmendForm(CorrectionReasonMixin):
    """Correct a set of 1–10 scores: one field per need that was scored."""

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = sorted(assessment.scores.all(), key=lambda row: row.determinant.position)
        for row in self.rows:
            self.fields[f"score_{row.determinant_id}"] = _score_field(f"{row.determinant.name} (1 to 10)")
            self.fields[f"score_{row.determinant_id}"].initial = row.score
        self.order_fields([*(f"score_{row.determinant_id}" for row in self.rows), "reason"])

    def amended(self) -> dict:
        return {
            "scores": {row.determinant_id: self.cleaned_data.get(f"score_{row.determinant_id}") for row in self.rows},
            "reason": self.cleaned_data["reason"],
        }


class FollowUpAmendForm(CorrectionReasonMixin):
    field_order = ["sustained", "notes", "reason"]
    sustained = FollowUpForm.base_fields["sustained"]
    notes = FollowUpForm.base_fields["notes"]
