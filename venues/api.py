"""The API for group courses, their sessions and registers: seen by the team running the course
(``venues.selectors.course_list``); registers taken through ``venues.services.register_take``."""

import django_filters
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ecfs.api.filters import DateFilter, IsoDateTimeFilter, UUIDFilter
from ecfs.api.views import StaffViewSet
from families.selectors import family_list

from . import services
from .models import GroupCourse, GroupSession
from .selectors import (
    RESTRICTED_FAMILY_LABEL,
    can_amend_register,
    course_list,
    register_amendments,
    register_lines,
    takes_register,
    walk_in_families,
)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
        "example": "10:00:00",
        "description": "Local time in England (no offset).",
    }  # fmt: skip
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time: OpenAPI's ``format: time`` would demand a UTC offset, which a course time has not."""


class CourseSerializer(serializers.ModelSerializer):
    start_time = LocalTimeField(read_only=True)
    programme = serializers.CharField(source="programme.name", read_only=True)
    venue = serializers.CharField(source="venue.name", read_only=True)
    team = serializers.CharField(source="team.name", read_only=True)
    enrolled = serializers.IntegerField(read_only=True, help_text="Open enrolments.")
    sessions_scheduled = serializers.IntegerField(read_only=True, help_text="Sessions not cancelled.")

    class Meta:
        model = GroupCourse
        fields = [
            "uuid",
            "programme",
            "venue",
            "team",
            "offer_type",
            "start_date",
            "start_time",
            "duration_minutes",
            "capacity",
            "creche",
            "status",
            "enrolled",
            "sessions_scheduled",
        ]


class SessionSerializer(serializers.ModelSerializer):
    course = serializers.UUIDField(source="course.uuid", read_only=True)
    programme = serializers.CharField(source="course.programme.name", read_only=True)
    venue = serializers.CharField(source="venue.name", read_only=True)

    class Meta:
        model = GroupSession
        fields = [
            "uuid",
            "course",
            "programme",
            "number",
            "starts_at",
            "duration_minutes",
            "venue",
            "status",
            "cancel_reason",
            "register_taken_at",
            "walk_in_adults",
            "walk_in_children",
        ]


class RegisterLineSerializer(serializers.Serializer):
    enrolment = serializers.UUIDField(source="enrolment.uuid")
    person = serializers.CharField(
        source="enrolment.shown_name", help_text=f'"{RESTRICTED_FAMILY_LABEL}" for a restricted record.'
    )
    family = serializers.CharField(
        source="enrolment.shown_reference", help_text="Empty for a restricted record you are not named on."
    )
    attended = serializers.BooleanField(allow_null=True, help_text="Null until a register marks them.")


class RegisterChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The person (as the register names them) or the walk-in count.")
    old = serializers.CharField()
    new = serializers.CharField()


class RegisterAmendmentSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    reason = serializers.CharField()
    changes = RegisterChangeSerializer(many=True)


class RegisterSerializer(serializers.Serializer):
    session = serializers.UUIDField(source="session.uuid")
    register_taken_at = serializers.DateTimeField(source="session.register_taken_at", allow_null=True)
    lines = RegisterLineSerializer(many=True)
    walk_in_adults = serializers.IntegerField(source="session.walk_in_adults")
    walk_in_children = serializers.IntegerField(source="session.walk_in_children")
    walk_in_families = serializers.ListField(child=serializers.CharField(), help_text="Family references.")
    amendments = RegisterAmendmentSerializer(many=True, help_text="The register's corrections, newest first.")


class RegisterInputSerializer(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=True,
        max_length=500,
        help_text="Enrolment uuids of those who came; every other open enrolment is marked absent. Required "
        "(an empty list marks everyone absent).",
    )
    walk_in_adults = serializers.IntegerField(
        min_value=0, max_value=500, default=0, help_text="Universal sessions only."
    )
    walk_in_children = serializers.IntegerField(
        min_value=0, max_value=500, default=0, help_text="Universal sessions only."
    )
    walk_in_families = serializers.ListField(
        child=serializers.CharField(max_length=12),
        default=list,
        max_length=500,
        help_text="References of known families among the walk-ins (universal sessions only).",
    )
    reason = serializers.CharField(
        max_length=500,
        default="",
        help_text="Required once the register was taken: why it is being corrected. Only whoever took it or a team "
        "manager of the course's base may correct it; the register as it was is kept.",
    )

    def validate_walk_in_families(self, references):
        visible = {
            f.reference: f for f in family_list(user=self.context["request"].user).filter(reference__in=references)
        }
        if set(references) - set(visible):
            raise serializers.ValidationError("Name families you work with, by their reference.")
        return list(visible.values())


class CourseFilter(django_filters.FilterSet):
    offer_type = django_filters.ChoiceFilter(choices=GroupCourse.OfferType.choices)
    status = django_filters.ChoiceFilter(choices=GroupCourse.Status.choices)
    starts_after = DateFilter(field_name="start_date", lookup_expr="gte")

    class Meta:
        model = GroupCourse
        fields = ["offer_type", "status", "starts_after"]


class SessionFilter(django_filters.FilterSet):
    course = UUIDFilter(field_name="course__uuid")
    status = django_filters.ChoiceFilter(choices=GroupSession.Status.choices)
    starts_after = IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = GroupSession
        fields = ["course", "status", "starts_after", "starts_before"]


@extend_schema_view(
    list=extend_schema(summary="Group courses of the caller's teams"),
    retrieve=extend_schema(summary="One group course"),
)
class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Group courses: a run of a programme at a venue by a team. Seen by that team's workers and the
    managers of its base."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            course_list(user=self.request.user)
            .select_related("programme", "venue", "team")
            .annotate(
                enrolled=Count("enrolments", filter=Q(enrolments__withdrawn_at__isnull=True), distinct=True),
                sessions_scheduled=Count(
                    "sessions", filter=Q(sessions__status=GroupSession.Status.SCHEDULED), distinct=True
                ),
            )
            .order_by("-start_date", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Sessions of the caller's teams' courses"),
    retrieve=extend_schema(summary="One session"),
)
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Sessions of group courses, and their registers."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            GroupSession.objects.filter(course__in=course_list(user=self.request.user))
            .select_related("course__programme", "course__team", "venue")
            .order_by("starts_at", "pk")
        )

    def _check_takes_register(self, session):
        if not takes_register(user=self.request.user, course=session.course):
            raise PermissionDenied(services.TAKES_REGISTER_ONLY)

    def _register(self, session):
        user = self.request.user
        self._check_takes_register(session)
        return {
            "session": session,
            "lines": register_lines(session=session, user=user),
            "walk_in_families": [family.reference for family in walk_in_families(session=session, user=user)],
            "amendments": register_amendments(session=session, user=user),
        }

    @extend_schema(summary="The session's register", responses={200: RegisterSerializer})
    @action(detail=True, methods=["get"], serializer_class=RegisterSerializer, filterset_class=None)
    def register(self, request, uuid=None):
        return Response(self.output(RegisterSerializer, self._register(self.get_object())))

    @extend_schema(
        summary="Take (or correct) the register",
        description="Calls `venues.services.register_take`: on the day of the session or afterwards; once taken, "
        "a correction with a reason.",
        request=RegisterInputSerializer,
        responses={200: RegisterSerializer},
    )
    @register.mapping.post
    def take_register(self, request, uuid=None):
        session = self.get_object()
        self._check_takes_register(session)
        if session.register_taken_at and not can_amend_register(user=request.user, session=session):
            raise PermissionDenied(services.REGISTER_AMENDERS_ONLY)
        data = self.validated(RegisterInputSerializer)
        session = services.register_take(session=session, actor=request.user, **data)
        return Response(self.output(RegisterSerializer, self._register(self.get_queryset().get(pk=session.pk))))
