"""Team around the family meetings and onward referrals in the API: read and record, scoped like the family.

Reads go through ``partnership.selectors`` (a meeting or referral of a family the caller may not see is 404),
writes through ``partnership.services`` (the pages' rules and messages). People and professionals are named by
their uuid, ECFS staff by their email address; integer ids never appear.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response

from ecfs.api.fields import DateField, ScopedReferenceField, ScopedUUIDField
from ecfs.api.views import AuditedRetrieveMixin, StaffViewSet, fields_named
from families.api import family_field, visible_people
from families.models import PlanAction, Professional
from families.selectors import family_list

from . import services
from .models import MeetingAction, OnwardReferral, TafMeeting
from .selectors import meeting_get, meeting_list, onward_referral_get, onward_referral_list


def visible_professionals(request):
    return Professional.objects.filter(family__in=family_list(user=request.user).values("pk"))


def active_staff(request):
    return get_user_model().objects.filter(is_active=True)


def _staff_field(**kwargs):
    return ScopedReferenceField(
        scope=active_staff, lookup="email", max_length=254, help_text="An ECFS worker's email address.", **kwargs
    )


def _professional_field(**kwargs):
    return ScopedUUIDField(
        scope=visible_professionals,
        lookup="uuid",
        help_text="A professional on the family's team around the family, by uuid.",
        **kwargs,
    )


class MeetingActionSerializer(serializers.ModelSerializer):
    description = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    owner_name = serializers.CharField(source="owner_label", read_only=True)
    agency = serializers.CharField(source="agency_label", read_only=True)
    due_on = serializers.SerializerMethodField()
    done_on = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField(help_text="The plan the action is on, when the family had an active one.")

    class Meta:
        model = MeetingAction
        fields = ["uuid", "description", "owner", "owner_name", "agency", "due_on", "done_on", "plan"]

    def get_description(self, action) -> str:
        return action.current.description

    def get_owner(self, action) -> str:
        return action.current.owner

    def get_due_on(self, action) -> str:
        return action.current.due_on.isoformat()

    def get_done_on(self, action) -> str | None:
        done = action.current.done_on
        return done.isoformat() if done else None

    def get_plan(self, action) -> str | None:
        return str(action.plan_action.plan.uuid) if action.plan_action_id else None


class TafMeetingSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    workers = serializers.SerializerMethodField()
    people = serializers.SlugRelatedField(slug_field="uuid", many=True, read_only=True)
    professionals = serializers.SlugRelatedField(slug_field="uuid", many=True, read_only=True)
    lead_professional = serializers.CharField(source="lead_label", read_only=True)
    actions = MeetingActionSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.get_full_name", read_only=True)

    class Meta:
        model = TafMeeting
        fields = [
            "uuid",
            "family",
            "held_on",
            "workers",
            "people",
            "professionals",
            "decisions",
            "lead_professional",
            "next_meeting_on",
            "shared_with_agencies",
            "actions",
            "created_by",
            "created_at",
        ]

    def get_workers(self, meeting) -> list[str]:
        return [worker.get_full_name() for worker in meeting.workers.all()]


class ActionInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=1000)
    owner = serializers.ChoiceField(choices=PlanAction.Owner.choices)
    owner_worker = _staff_field(required=False, allow_null=True, default=None)
    owner_person = ScopedUUIDField(
        scope=visible_people, lookup="uuid", required=False, allow_null=True, default=None, help_text="A person's uuid."
    )
    owner_professional = _professional_field(required=False, allow_null=True, default=None)
    due_on = DateField()


class TafMeetingInputSerializer(serializers.Serializer):
    family = family_field()
    held_on = DateField(
        help_text="Today or earlier. One meeting a day for a family: a second on the same day is refused as the "
        "same meeting sent again."
    )
    decisions = serializers.CharField(max_length=5000)
    workers = serializers.ListField(child=_staff_field(), required=False, default=list, max_length=20)
    people = serializers.ListField(
        child=ScopedUUIDField(scope=visible_people, lookup="uuid"), required=False, default=list, max_length=30
    )
    professionals = serializers.ListField(child=_professional_field(), required=False, default=list, max_length=30)
    lead_worker = _staff_field(required=False, allow_null=True, default=None)
    lead_professional = _professional_field(required=False, allow_null=True, default=None)
    next_meeting_on = DateField(required=False, allow_null=True, default=None)
    shared_with_agencies = serializers.BooleanField(required=False, default=False)
    actions = ActionInputSerializer(many=True, required=False, default=list, max_length=services.MAX_ACTIONS)


def _action_field(name: str) -> str:
    """``action_2_owner`` (the page's field) → ``actions``; the rest keep their names."""
    if name.startswith("action_"):
        return "actions"
    if name == "lead":
        return "lead_professional"
    return name


@extend_schema_view(
    list=extend_schema(summary="Team around the family meetings of the families the caller may see"),
    retrieve=extend_schema(summary="One team around the family meeting"),
    create=extend_schema(
        summary="Record a team around the family meeting with its actions",
        description="Calls `partnership.services.taf_meeting_record`: with an active plan the actions join it; "
        "`shared_with_agencies` only with the family's consent to share.",
        request=TafMeetingInputSerializer,
        responses={201: TafMeetingSerializer},
    ),
)
class TafMeetingViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    serializer_class = TafMeetingSerializer
    audit_what = "a team around the family meeting (API)"
    lookup_field = "uuid"

    def get_queryset(self):
        return meeting_list(user=self.request.user).order_by("-held_on", "-pk")

    def get_object(self):
        return meeting_get(user=self.request.user, uuid=self.kwargs["uuid"])

    def create(self, request):
        data = dict(self.validated(TafMeetingInputSerializer))
        data["actions"] = [services.ActionInput(**item) for item in data["actions"]]
        with fields_named(_action_field):
            meeting = services.taf_meeting_record(actor=request.user, **data)
        return Response(self.output(TafMeetingSerializer, meeting_get(user=request.user, uuid=meeting.uuid)), 201)


class OnwardReferralSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    referred_by = serializers.CharField(source="referred_by.get_full_name", read_only=True)

    class Meta:
        model = OnwardReferral
        fields = [
            "uuid",
            "family",
            "agency",
            "organisation",
            "reason",
            "referred_on",
            "consent_confirmed",
            "outcome_expected_by",
            "outcome",
            "outcome_on",
            "outcome_notes",
            "referred_by",
            "created_at",
        ]


class OnwardReferralInputSerializer(serializers.Serializer):
    family = family_field()
    agency = serializers.ChoiceField(choices=Professional.Agency.choices)
    organisation = serializers.CharField(
        max_length=150,
        help_text="A second referral of the family to the same organisation on the same day is refused as the same "
        "referral sent again.",
    )
    reason = serializers.CharField(max_length=2000)
    referred_on = DateField()
    consent_confirmed = serializers.BooleanField(help_text="The family agreed to the referral: it must be true.")
    outcome_expected_by = DateField()


@extend_schema_view(
    list=extend_schema(summary="Onward referrals of the families the caller may see"),
    retrieve=extend_schema(summary="One onward referral"),
    create=extend_schema(
        summary="Record a referral to a specialist or partner service",
        description="Calls `partnership.services.onward_referral_record`; the family must have agreed.",
        request=OnwardReferralInputSerializer,
        responses={201: OnwardReferralSerializer},
    ),
)
class OnwardReferralViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    serializer_class = OnwardReferralSerializer
    audit_what = "an onward referral (API)"
    lookup_field = "uuid"

    def get_queryset(self):
        return onward_referral_list(user=self.request.user).order_by("-referred_on", "-pk")

    def get_object(self):
        return onward_referral_get(user=self.request.user, uuid=self.kwargs["uuid"])

    def create(self, request):
        data = self.validated(OnwardReferralInputSerializer)
        with fields_named(lambda name: name):
            referral = services.onward_referral_record(actor=request.user, **data)
        return Response(
            self.output(OnwardReferralSerializer, onward_referral_get(user=request.user, uuid=referral.uuid)), 201
        )
