"""The advice log in the API: the caller's team's entries (a manager's bases'), and recording one.

Reads go through ``advice.selectors``, writes through ``advice.services.advice_record`` (the page's rules and
messages). A family named on an entry is shown only to a caller who may see that family.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response

from bases.models import District, Locality
from ecfs.api.fields import DateField, ScopedReferenceField
from ecfs.api.views import AuditedRetrieveMixin, StaffViewSet, visible_family
from families.api import family_field
from families.api_fields import DeterminantField
from referrals.selectors import referral_list

from . import services
from .models import AdviceEntry
from .selectors import LogFilters, advice_get, advice_log


@extend_schema_field({"type": "string", "nullable": True, "description": "The family's reference, when known to "
                      "the service and visible to the caller."})  # fmt: skip
class VisibleFamilyField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, entry):
        if entry.family_id and entry.family_visible:
            return entry.family.reference
        return None


class AdviceSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.slug", read_only=True)
    locality = serializers.CharField(source="locality.name", read_only=True, allow_null=True)
    topics = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    referral = serializers.CharField(source="referral.reference", read_only=True, allow_null=True)
    family = VisibleFamilyField(read_only=True)
    family_known = serializers.SerializerMethodField()
    team = serializers.CharField(source="team.name", read_only=True)
    created_by = serializers.CharField(source="created_by.get_full_name", read_only=True)

    class Meta:
        model = AdviceEntry
        fields = [
            "uuid",
            "given_on",
            "channel",
            "partner_session",
            "district",
            "locality",
            "outward_postcode",
            "topics",
            "given",
            "signposted_to",
            "referral",
            "family",
            "family_known",
            "notes",
            "team",
            "created_by",
            "created_at",
        ]

    def get_family_known(self, entry) -> bool:
        return entry.family_id is not None


class AdviceInputSerializer(serializers.Serializer):
    given_on = DateField()
    channel = serializers.ChoiceField(choices=AdviceEntry.Channel.choices)
    partner_session = serializers.ChoiceField(
        choices=AdviceEntry.PartnerSession.choices, required=False, allow_blank=True, default=""
    )
    district = ScopedReferenceField(
        scope=lambda request: District.objects.all(), lookup="slug", max_length=100, help_text="The district's slug."
    )
    locality = ScopedReferenceField(
        scope=lambda request: Locality.objects.all(),
        lookup="name",
        max_length=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="The town's name (a market town of the county, or Other).",
    )
    outward_postcode = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default="", help_text="The first half only, like NR30."
    )
    topics = serializers.ListField(child=DeterminantField(), min_length=1, max_length=15)
    given = serializers.ChoiceField(choices=AdviceEntry.Given.choices)
    signposted_to = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    referral = ScopedReferenceField(
        scope=lambda request: referral_list(user=request.user),
        lookup="reference",
        max_length=12,
        required=False,
        allow_null=True,
        default=None,
        help_text="The referral made, by its reference (only when `given` is `referral`).",
    )
    family = family_field(required=False, allow_null=True, default=None)
    notes = serializers.CharField(max_length=services.NOTES_MAX, required=False, allow_blank=True, default="")


class AdviceFilter(django_filters.FilterSet):
    given_from = django_filters.DateFilter(field_name="given_on", lookup_expr="gte")
    given_to = django_filters.DateFilter(field_name="given_on", lookup_expr="lte")
    channel = django_filters.ChoiceFilter(choices=AdviceEntry.Channel.choices)
    topic = django_filters.CharFilter(field_name="topics__code", help_text="A determinant's code.")

    class Meta:
        model = AdviceEntry
        fields = ["given_from", "given_to", "channel", "topic"]


@extend_schema_view(
    list=extend_schema(summary="The advice log of the caller's team (a team manager's: their bases')"),
    retrieve=extend_schema(summary="One advice entry"),
    create=extend_schema(
        summary="Record advice given when a family asked",
        description="Calls `advice.services.advice_record`: anonymous unless `family` names a family the caller may "
        "see; where is a district, a town or the first half of a postcode, never an address.",
        request=AdviceInputSerializer,
        responses={201: AdviceSerializer},
    ),
)
class AdviceViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """The advice log, newest first."""

    audit_what = "an advice entry (API)"
    audited_family = staticmethod(visible_family)

    serializer_class = AdviceSerializer
    filterset_class = AdviceFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return advice_log(user=self.request.user, filters=LogFilters())

    def get_object(self):
        return advice_get(user=self.request.user, uuid=self.kwargs["uuid"])

    def create(self, request):
        data = self.validated(AdviceInputSerializer)
        entry = services.advice_record(actor=request.user, **data)
        return Response(self.output(AdviceSerializer, advice_get(user=request.user, uuid=entry.uuid)), status=201)
