"""The complaints log in the API, read only: the complaints of the caller's bases (team managers).

Reads go through ``voice.selectors``; a family named on a complaint is shown only to a caller who may see it.
Feedback is not in the API: its free text comes from the public and stays on the managers' pages.
"""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.permissions import BasePermission

from ecfs.api.filters import BooleanFilter
from ecfs.api.permissions import is_staff_user
from ecfs.api.views import AuditedRetrieveMixin, StaffViewSet, visible_family
from ecfs.roles import Role, has_role

from .models import Complaint
from .selectors import complaint_get, complaint_list


class TeamManagers(BasePermission):
    """Signed-in team managers (as the complaints pages): everyone else is refused."""

    message = "Only team managers can see complaints."

    def has_permission(self, request, view):
        return is_staff_user(request) and has_role(request.user, Role.MANAGER)


@extend_schema_field({"type": "string", "nullable": True, "description": "The family's reference, when the "
                      "complaint names a family the caller may see."})  # fmt: skip
class VisibleFamilyField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, complaint):
        if complaint.family_id and complaint.family_visible:
            return complaint.family.reference
        return None


class ComplaintSerializer(serializers.ModelSerializer):
    base = serializers.CharField(source="base.name", read_only=True)
    family = VisibleFamilyField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "uuid",
            "received_on",
            "received_how",
            "category",
            "base",
            "family",
            "summary",
            "response_due_on",
            "responded_on",
            "outcome",
            "learning",
            "overdue",
            "created_at",
        ]

    def get_overdue(self, complaint) -> bool:
        return complaint.overdue_on(timezone.localdate())


class ComplaintFilter(django_filters.FilterSet):
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")
    category = django_filters.ChoiceFilter(choices=Complaint.Category.choices)
    open = BooleanFilter(field_name="responded_on", lookup_expr="isnull", help_text="No response yet.")

    class Meta:
        model = Complaint
        fields = ["received_from", "received_to", "category", "open"]


@extend_schema_view(
    list=extend_schema(summary="The complaints of the caller's bases (team managers), newest first"),
    retrieve=extend_schema(summary="One complaint"),
)
class ComplaintViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    audit_what = "a complaint (API)"
    audited_family = staticmethod(visible_family)
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    permission_classes = [TeamManagers]
    lookup_field = "uuid"

    def get_queryset(self):
        return complaint_list(user=self.request.user)

    def get_object(self):
        return complaint_get(user=self.request.user, uuid=self.kwargs["uuid"])
