"""The API for family support fund applications: read through ``support_fund.selectors``, applied for
through ``support_fund.services.application_create``."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response

from ecfs.api.fields import AmountField
from ecfs.api.views import AuditedRetrieveMixin, StaffViewSet
from families.api import family_field
from families.api_fields import DeterminantField

from . import services
from .models import Application
from .selectors import application_list


class ApplicationSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    plan = serializers.UUIDField(source="plan.uuid", read_only=True)
    applicant = serializers.CharField(source="applicant.get_full_name", read_only=True)
    goals = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "uuid",
            "reference",
            "family",
            "plan",
            "applicant",
            "category",
            "amount",
            "justification",
            "delivery",
            "supplier",
            "goals",
            "status",
            "submitted_at",
            "needs_second_approval",
            "approved_at",
            "decision_reason",
            "paid_on",
            "payment_reference",
            "cancelled_at",
            "created_at",
        ]

    def get_goals(self, application) -> list[str]:
        """The determinant codes of the plan goals the money helps towards."""
        return [goal.determinant.code for goal in application.goals.all()]


class ApplicationInputSerializer(serializers.Serializer):
    family = family_field()
    category = serializers.ChoiceField(choices=Application.Category.choices)
    amount = AmountField(help_text="In pounds: at least 0.01 and at most the fund's largest payment.")
    justification = serializers.CharField(
        max_length=services.TEXT_MAX, help_text="How this helps the family towards their plan's goals."
    )
    delivery = serializers.ChoiceField(choices=Application.Delivery.choices)
    supplier = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    goals = serializers.ListField(
        child=DeterminantField(),
        required=False,
        default=list,
        max_length=15,
        help_text="Determinant codes of goals in the family's active plan.",
    )
    submit = serializers.BooleanField(default=True, help_text="Submit for a decision now, or keep as a draft.")

    def validate(self, data):
        plan = services._active_plan(data["family"])
        wanted = {determinant.pk for determinant in data["goals"]}
        goals = list(plan.goals.filter(determinant_id__in=wanted)) if plan and wanted else []
        if len(goals) != len(wanted):
            raise serializers.ValidationError({"goals": ["Choose goals from the family's active plan."]})
        data["goals"] = goals
        return data


class ApplicationFilter(django_filters.FilterSet):
    family = django_filters.CharFilter(field_name="family__reference", help_text="The family's reference.")
    status = django_filters.ChoiceFilter(choices=Application.Status.choices)
    category = django_filters.ChoiceFilter(choices=Application.Category.choices)

    class Meta:
        model = Application
        fields = ["family", "status", "category"]


@extend_schema_view(
    list=extend_schema(summary="Fund applications for the families the caller works with"),
    retrieve=extend_schema(summary="One fund application (the view is audited)"),
    create=extend_schema(
        summary="Apply to the family support fund",
        description="Calls `support_fund.services.application_create`: for a family in active support, "
        "within the fund's limits; submitted for a manager's decision unless `submit` is false.",
        request=ApplicationInputSerializer,
        responses={201: ApplicationSerializer},
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """Family support fund applications: draft → submitted → approved or declined → paid."""

    serializer_class = ApplicationSerializer
    audit_what = "a fund application (API)"
    filterset_class = ApplicationFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            application_list(user=self.request.user)
            .select_related("family", "plan", "applicant")
            .prefetch_related("goals__determinant")
            .order_by("-created_at", "pk")
        )

    def create(self, request):
        data = self.validated(ApplicationInputSerializer)
        application = services.application_create(actor=request.user, **data)
        return Response(self.output(ApplicationSerializer, self.get_queryset().get(pk=application.pk)), status=201)
