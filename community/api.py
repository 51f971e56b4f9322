"""The community groups register and the community grants in the API (read only), as on the pages.

Groups: every signed-in member of staff (the register names organisations and public meeting places, no
family). Grants: the team managers and the service admin who run them (``permissions.can_manage_grants``);
anyone else is refused (403), as the grant pages refuse them. Reads go through ``community.selectors``.
"""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission

from ecfs.api.filters import BooleanFilter
from ecfs.api.permissions import SignedInStaff, is_staff_user
from ecfs.api.views import ApiViewMixin
from venues.api import LocalTimeField

from . import permissions, selectors
from .models import WEEKDAYS, CommunityGroup, GrantApplication, GrantMonitoring, GrantPayment
from .services import GROUP_FIELDS


class GrantStaff(BasePermission):
    """Team managers and the service admin, signed in (as the grant pages)."""

    message = "Community grants are run by team managers and the service admin."

    def has_permission(self, request, view):
        return is_staff_user(request) and permissions.can_manage_grants(request.user)


class CommunityGroupSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.slug", read_only=True)
    locality = serializers.CharField(source="locality.name", read_only=True)
    day = serializers.SerializerMethodField(help_text="The day it meets, in words (``weekday`` 0 is Monday).")
    starts_at = LocalTimeField(read_only=True)
    ends_at = LocalTimeField(read_only=True)

    class Meta:
        model = CommunityGroup
        # The register's own fields (as staff record them), and when it was last checked.
        fields = ["uuid", *GROUP_FIELDS, "day", "last_checked_on"]

    def get_day(self, group) -> str:
        return WEEKDAYS[group.weekday]


class GroupFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district__slug", help_text="The district's slug.")
    locality = django_filters.CharFilter(field_name="locality__name", help_text="The town's name (or Other).")
    weekday = django_filters.ChoiceFilter(choices=list(enumerate(WEEKDAYS)), help_text="0 is Monday, 6 is Sunday.")
    kind = django_filters.ChoiceFilter(choices=CommunityGroup.Kind.choices)
    status = django_filters.ChoiceFilter(choices=CommunityGroup.Status.choices)
    include_closed = BooleanFilter(method="with_closed", help_text="List closed groups too (left out otherwise).")

    class Meta:
        model = CommunityGroup
        fields = ["district", "locality", "weekday", "kind", "status", "include_closed"]

    def with_closed(self, queryset, name, value):
        return queryset  # the queryset already holds them when asked for (``get_queryset``)


class GrantPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = GrantPayment
        fields = ["amount", "paid_on", "reference"]


class GrantMonitoringSerializer(serializers.ModelSerializer):
    class Meta:
        model = GrantMonitoring
        fields = ["period_end", "families_reached", "sessions_held", "notes"]


class GrantSerializer(serializers.ModelSerializer):
    group = serializers.UUIDField(source="group.uuid", read_only=True, allow_null=True)
    district = serializers.CharField(source="district.slug", read_only=True)
    locality = serializers.CharField(source="locality.name", read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="The four points added up.")
    payments = GrantPaymentSerializer(many=True, read_only=True)
    monitoring = GrantMonitoringSerializer(many=True, read_only=True)

    class Meta:
        model = GrantApplication
        fields = [
            "uuid",
            "reference",
            "group",
            "group_name",
            "organisation",
            "contact_name",
            "contact_email",
            "contact_phone",
            "purpose",
            "description",
            "district",
            "locality",
            "rural",
            "families_expected",
            "amount_requested",
            "received_on",
            "status",
            "need_points",
            "rural_points",
            "gap_points",
            "quality_points",
            "score",
            "assessed_on",
            "amount_approved",
            "decided_on",
            "decision_reason",
            "payments",
            "monitoring",
        ]


class GrantFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=GrantApplication.Status.choices)
    district = django_filters.CharFilter(field_name="district__slug", help_text="The district's slug.")

    class Meta:
        model = GrantApplication
        fields = ["status", "district"]


@extend_schema_view(
    list=extend_schema(summary="The community groups register (closed groups only with include_closed=true)"),
    retrieve=extend_schema(summary="One community group"),
)
class CommunityGroupViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Community and voluntary groups families can join, by town, day and start time."""

    permission_classes = [SignedInStaff]
    serializer_class = CommunityGroupSerializer
    filterset_class = GroupFilter
    lookup_field = "uuid"

    def get_queryset(self):
        include_closed = self.request.query_params.get("include_closed") == "true" or self.action == "retrieve"
        return selectors.group_list(filters=selectors.GroupFilters(include_closed=include_closed))


@extend_schema_view(
    list=extend_schema(summary="Community grant applications, newest first (team managers and the service admin)"),
    retrieve=extend_schema(summary="One community grant application, with its payments and monitoring returns"),
)
class GrantViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Community grants (the £250,000 for networks of support): applications, decisions, payments, monitoring."""

    permission_classes = [GrantStaff]
    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            selectors.grant_list()
            .select_related("group")
            .prefetch_related(
                Prefetch("payments", queryset=GrantPayment.objects.order_by("paid_on", "pk")),
                Prefetch("monitoring", queryset=GrantMonitoring.objects.order_by("period_end", "pk")),
            )
        )
