"""The API for support plans with their outcome scores, and the contact log.

Reads go through ``families.support.selectors`` (what the pages see); writes through
``families.support.services``. Lookups are by uuid, never integer ids.
"""

import uuid as uuid_module

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ecfs.api.fields import DateField, DateTimeField, ScopedReferenceField, ScopedUUIDField
from ecfs.api.filters import BooleanFilter, IsoDateTimeFilter
from ecfs.api.views import AuditedRetrieveMixin, StaffViewSet, fields_named, whole_request_is
from families.api import family_field
from families.api_fields import DeterminantField
from families.models import (
    ChildSeen,
    Contact,
    Determinant,
    Goal,
    OutcomeAssessment,
    OutcomeScore,
    Person,
    PlanAction,
    SupportPlan,
)
from families.selectors import family_list
from venues.models import Venue

from . import services
from .selectors import plan_list


def visible_plans(request):
    return plan_list(user=request.user)


# Serializers -----------------------------------------------------------------------------------


class GoalSerializer(serializers.ModelSerializer):
    determinant = DeterminantField()
    description = serializers.CharField()

    class Meta:
        model = Goal
        fields = ["determinant", "description"]


class PlanActionSerializer(serializers.ModelSerializer):
    goal = serializers.CharField(source="goal.determinant.code", read_only=True, allow_null=True)
    owner_name = serializers.SerializerMethodField(help_text="Who will do it: a worker, a family member or an agency.")

    class Meta:
        model = PlanAction
        fields = ["uuid", "description", "goal", "owner", "owner_name", "due_on", "done_on"]

    def get_owner_name(self, action) -> str:
        return services.plans.action_owner_label(action)


class PlanActionDoneSerializer(serializers.Serializer):
    done_on = DateField(help_text="The day it was done: today or earlier, not before the plan started.")


class PlanSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    worker = serializers.CharField(source="worker.get_full_name", read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = SupportPlan
        fields = [
            "uuid",
            "family",
            "kind",
            "status",
            "worker",
            "lead_professional",
            "review_interval_weeks",
            "next_review_due",
            "activated_at",
            "closure_reason",
            "stepped_down_to",
            "closure_summary",
            "closed_at",
            "goals",
            "actions",
            "created_at",
            "modified_at",
        ]


class PlanInputSerializer(serializers.Serializer):
    family = family_field()
    kind = serializers.ChoiceField(choices=SupportPlan.Kind.choices)
    goals = GoalSerializer(many=True, allow_empty=False, help_text="One goal per determinant.")
    lead_professional = serializers.BooleanField(default=False)
    review_interval_weeks = serializers.IntegerField(min_value=6, max_value=12, default=8)


class ScoreSerializer(serializers.ModelSerializer):
    determinant = DeterminantField()
    score = serializers.IntegerField(min_value=1, max_value=10)

    class Meta:
        model = OutcomeScore
        fields = ["determinant", "score"]


class OutcomeAssessmentSerializer(serializers.ModelSerializer):
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = OutcomeAssessment
        fields = ["stage", "assessed_on", "scores", "created_at"]


class OutcomeInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[OutcomeAssessment.Stage.START, OutcomeAssessment.Stage.CLOSE],
        help_text="Start scores on a draft plan, closing scores on an active one (review scores come with a review).",
    )
    assessed_on = DateField()
    scores = ScoreSerializer(many=True, allow_empty=False, help_text="A score for each of the plan's goals.")


class ChildSeenSerializer(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.uuid")

    class Meta:
        model = ChildSeen
        fields = ["child", "seen"]


class ContactSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    plan = serializers.UUIDField(source="plan.uuid", read_only=True, allow_null=True)
    venue = serializers.CharField(source="venue.name", read_only=True, allow_null=True)
    people_seen = serializers.SlugRelatedField(slug_field="uuid", many=True, read_only=True)
    children_seen = ChildSeenSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.get_full_name", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "uuid",
            "family",
            "plan",
            "occurred_at",
            "duration_minutes",
            "mode",
            "venue",
            "people_seen",
            "children_seen",
            "notes",
            "next_steps",
            "safeguarding_concern",
            "created_by",
            "created_at",
        ]


class ChildSeenInputSerializer(serializers.Serializer):
    child = serializers.UUIDField(help_text="A child of the family (a person of kind `child`).")
    seen = serializers.BooleanField()


class ContactInputSerializer(serializers.Serializer):
    family = family_field()
    plan = ScopedUUIDField(scope=visible_plans, lookup="uuid", required=False, allow_null=True)
    occurred_at = DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=services.contacts.MAX_CONTACT_MINUTES)
    mode = serializers.ChoiceField(choices=Contact.Mode.choices)
    venue = ScopedReferenceField(
        scope=lambda request: Venue.objects.all(),
        lookup="name",
        max_length=150,
        required=False,
        allow_null=True,
        help_text="The venue's name: needed for contacts at a community venue or a base.",
    )
    people_seen = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    children_seen = ChildSeenInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text="On a home visit, say for every child whether they were seen.",
    )
    notes = serializers.CharField()
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    safeguarding_concern = serializers.BooleanField(default=False)

    def validate(self, data):
        family = data["family"]
        members = {str(p.uuid): p for p in family.members.all()}
        unknown = [str(u) for u in data["people_seen"] if str(u) not in members]
        if unknown:
            raise serializers.ValidationError({"people_seen": ["Choose people from this family."]})
        children = {}
        for answer in data["children_seen"]:
            person = members.get(str(answer["child"]))
            if person is None or person.kind != Person.Kind.CHILD:
                raise serializers.ValidationError({"children_seen": ["Name the family's children (0 to 5)."]})
            children[person.pk] = answer["seen"]
        data["people_seen"] = [members[str(u)] for u in data["people_seen"]]
        data["children_seen"] = children
        return data


# Filters ---------------------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    family = django_filters.CharFilter(field_name="family__reference", help_text="The family's reference.")
    kind = django_filters.ChoiceFilter(choices=SupportPlan.Kind.choices)
    status = django_filters.ChoiceFilter(choices=SupportPlan.Status.choices)

    class Meta:
        model = SupportPlan
        fields = ["family", "kind", "status"]


class ContactFilter(django_filters.FilterSet):
    family = django_filters.CharFilter(field_name="family__reference", help_text="The family's reference.")
    mode = django_filters.ChoiceFilter(choices=Contact.Mode.choices)
    occurred_after = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")
    safeguarding_concern = BooleanFilter()

    class Meta:
        model = Contact
        fields = ["family", "mode", "occurred_after", "occurred_before", "safeguarding_concern"]


def _outcome_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """The service names a score's error after the page's form field (``score_5``): the API names the
    ``scores`` list, and the determinant by its code."""
    codes = dict(Determinant.objects.values_list("pk", "code"))
    fields: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        if name.startswith("score_") and name.removeprefix("score_").isdecimal():
            code = codes.get(int(name.removeprefix("score_")), "")
            fields.setdefault("scores", []).extend(f"{code}: {message}" for message in messages)
        elif name == NON_FIELD_ERRORS:
            fields.setdefault("scores", []).extend(messages)
        else:
            fields.setdefault(name, []).extend(messages)
    return fields


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Support plans of the families the caller works with"),
    retrieve=extend_schema(summary="One support plan with its goals (the view is audited)"),
    create=extend_schema(
        summary="Draft a support plan",
        description="Calls `families.support.services.plan_create`. A one-to-one plan needs a completed whole-family "
        "assessment; a family has at most one open plan of each kind.",
        request=PlanInputSerializer,
        responses={201: PlanSerializer},
    ),
)
class PlanViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """Support plans (one-to-one or group): draft → active → closed, with goals tied to determinants."""

    serializer_class = PlanSerializer
    audit_what = "a support plan (API)"
    filterset_class = PlanFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            plan_list(user=self.request.user)
            .select_related("family", "worker")
            .prefetch_related(
                Prefetch("goals", queryset=Goal.objects.select_related("determinant")),
                Prefetch(
                    "actions",
                    queryset=PlanAction.objects.select_related(
                        "goal__determinant", "owner_worker", "owner_person", "owner_professional"
                    ),
                ),
            )
            .order_by("-created_at", "pk")
        )

    def create(self, request):
        data = self.validated(PlanInputSerializer)
        with fields_named(whole_request_is("goals")):  # "each goal must be about a different need"
            plan = services.plan_create(
                family=data["family"],
                kind=data["kind"],
                goals=[(goal["determinant"], goal["description"]) for goal in data["goals"]],
                lead_professional=data["lead_professional"],
                review_interval_weeks=data["review_interval_weeks"],
                actor=request.user,
            )
        return Response(self.output(PlanSerializer, self.get_queryset().get(pk=plan.pk)), status=201)

    @extend_schema(
        summary="The plan's outcome scores (start, reviews, close)",
        responses={200: OutcomeAssessmentSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=OutcomeAssessmentSerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def outcomes(self, request, uuid=None):
        plan = self.get_object()
        assessments = (
            plan.outcome_assessments.filter(in_error_at__isnull=True)
            .prefetch_related(Prefetch("scores", queryset=OutcomeScore.objects.select_related("determinant")))
            .order_by("assessed_on", "pk")
        )
        return Response(self.output(OutcomeAssessmentSerializer, assessments, many=True))

    @extend_schema(
        summary="Record start or closing scores",
        description="Calls `families.support.services.outcome_record`: 1 to 10 for each of the plan's goals.",
        request=OutcomeInputSerializer,
        responses={201: OutcomeAssessmentSerializer},
    )
    @outcomes.mapping.post
    def record_outcomes(self, request, uuid=None):
        plan = self.get_object()
        data = self.validated(OutcomeInputSerializer)
        scores = {score["determinant"].pk: score["score"] for score in data["scores"]}
        try:
            assessment = services.outcome_record(
                plan=plan, stage=data["stage"], scores=scores, assessed_on=data["assessed_on"], actor=request.user
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_outcome_errors(error)) from None
        return Response(self.output(OutcomeAssessmentSerializer, assessment), status=201)

    @extend_schema(
        summary="Mark one of the plan's actions done",
        description="Calls `families.support.services.plan_action_done`: the date is today or earlier and not before "
        "the plan started; the plan is active or awaiting approval; an action already done is refused (409).",
        request=PlanActionDoneSerializer,
        responses={200: PlanActionSerializer},
        parameters=[
            OpenApiParameter("action_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The action.")
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<action_uuid>[^/.]+)/done",
        url_name="action-done",
        serializer_class=PlanActionDoneSerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def action_done(self, request, uuid=None, action_uuid=None):
        plan = self.get_object()
        try:
            wanted = uuid_module.UUID(str(action_uuid))
        except ValueError:
            raise Http404("No such action") from None
        found = next((item for item in plan.actions.all() if item.uuid == wanted), None)
        if found is None:
            raise Http404("No such action")
        data = self.validated(PlanActionDoneSerializer)
        done = services.plan_action_done(action=found, done_on=data["done_on"], actor=request.user)
        return Response(
            self.output(
                PlanActionSerializer,
                PlanAction.objects.select_related(
                    "goal__determinant", "owner_worker", "owner_person", "owner_professional"
                ).get(pk=done.pk),
            )
        )


@extend_schema_view(
    list=extend_schema(summary="Contacts with the families the caller works with"),
    retrieve=extend_schema(summary="One contact (the view is audited)"),
    create=extend_schema(
        summary="Log a contact",
        description="Calls `families.support.services.contact_log`. A home visit must say, for each child of the "
        "family, whether they were seen; a contact at a community venue or a base names the venue.",
        request=ContactInputSerializer,
        responses={201: ContactSerializer},
    ),
)
class ContactViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """The contact log: visits, calls and messages, newest first."""

    serializer_class = ContactSerializer
    audit_what = "a contact record (API)"
    filterset_class = ContactFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            Contact.objects.filter(family__in=family_list(user=self.request.user).values("pk"))
            .select_related("family", "plan", "venue", "created_by")
            .prefetch_related(
                "people_seen", Prefetch("children_seen", queryset=ChildSeen.objects.select_related("child"))
            )
            .order_by("-occurred_at", "pk")
        )

    def create(self, request):
        data = self.validated(ContactInputSerializer)
        with fields_named(lambda name: "children_seen" if name.startswith("child_") else name):
            contact = services.contact_log(actor=request.user, **data)
        return Response(self.output(ContactSerializer, self.get_queryset().get(pk=contact.pk)), status=201)
