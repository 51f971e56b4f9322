"""The API for families and their people (plans and contacts: ``families.support.api``).

Reads go through ``families.selectors`` (what the pages see); writes through ``families.services``.
Lookups are by family reference or uuid, never integer ids.
"""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ecfs.api.fields import DateField, ScopedReferenceField
from ecfs.api.views import AuditedRetrieveMixin, StaffViewSet
from families.characteristics import CHARACTERISTIC_FIELDS, CONSENT_FIELDS

from . import services
from .models import (
    Ethnicity,
    Family,
    Person,
)
from .selectors import family_list


def visible_families(request):
    return family_list(user=request.user)


def visible_people(request):
    return Person.objects.filter(family__in=family_list(user=request.user).values("pk"))


def family_field(**kwargs):
    return ScopedReferenceField(
        scope=visible_families, lookup="reference", max_length=12, help_text="The family's reference.", **kwargs
    )


# Serializers -----------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)

    class Meta:
        model = Person
        fields = [
            "uuid",
            "family",
            "kind",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date",
            "relationship",
            "funded_education_eligible",
            "funded_education_started_on",
            "funded_education_setting",
        ]


class PersonInputSerializer(serializers.Serializer):
    family = family_field()
    kind = serializers.ChoiceField(choices=Person.Kind.choices)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = DateField(required=False, allow_null=True)
    expected_date = DateField(required=False, allow_null=True, help_text="For an unborn child only.")
    relationship = serializers.ChoiceField(choices=Person.Relationship.choices, required=False, allow_blank=True)


class EarlyEducationInputSerializer(serializers.Serializer):
    """A child's funded early education, all three facts at once (a field left out is cleared)."""

    funded_education_eligible = serializers.BooleanField(
        help_text="Eligible for a funded 2-year-old place (needed for a place started before the third birthday)."
    )
    funded_education_started_on = DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Taking up a funded place since this date: today or earlier, not before the second birthday. "
        "Null when the child is not taking up a place.",
    )
    funded_education_setting = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="The setting's name; only with a start date.",
    )


class FamilySerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.slug", read_only=True)
    locality = serializers.CharField(source="locality.name", read_only=True)
    base = serializers.CharField(source="base.name", read_only=True)
    members = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = Family
        fields = [
            "reference",
            "uuid",
            "status",
            "closed_at",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "address_withheld",
            "restricted",
            "legal_hold",
            "district",
            "locality",
            "base",
            *CHARACTERISTIC_FIELDS,
            *CONSENT_FIELDS,
            "members",
            "created_at",
            "modified_at",
        ]


# Filters ---------------------------------------------------------------------------------------


class FamilyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Family.Status.choices)
    district = django_filters.CharFilter(field_name="district__slug", help_text="District slug.")
    postcode = django_filters.CharFilter(field_name="postcode", lookup_expr="iexact")
    ethnicity = django_filters.ChoiceFilter(choices=Ethnicity.choices)

    class Meta:
        model = Family
        fields = ["status", "district", "postcode", "ethnicity"]


class PersonFilter(django_filters.FilterSet):
    family = django_filters.CharFilter(field_name="family__reference", help_text="The family's reference.")
    kind = django_filters.ChoiceFilter(choices=Person.Kind.choices)

    class Meta:
        model = Person
        fields = ["family", "kind"]


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Families the caller works with"),
    retrieve=extend_schema(summary="One family, with its members (the view is audited)"),
)
class FamilyViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """Families: a worker's allocated families, a team manager's bases' families; nobody else's."""

    serializer_class = FamilySerializer
    audit_what = "the family record (API)"
    filterset_class = FamilyFilter
    lookup_field = "reference"

    def get_queryset(self):
        return (
            family_list(user=self.request.user)
            .select_related("district", "locality", "base")
            .prefetch_related(Prefetch("members", queryset=Person.objects.select_related("family")))
            .order_by("reference")
        )

    def audited_family(self, obj):
        return obj


@extend_schema_view(
    list=extend_schema(summary="People in the families the caller works with"),
    retrieve=extend_schema(summary="One person"),
    create=extend_schema(
        summary="Add a person to a family",
        request=PersonInputSerializer,
        responses={201: PersonSerializer},
    ),
)
class PersonViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """Family members: children (and unborn children), parents and carers, other adults."""

    audit_what = "a person (API)"

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return visible_people(self.request).select_related("family").order_by("family__reference", "kind", "pk")

    def create(self, request):
        data = self.validated(PersonInputSerializer)
        person = services.family_member_add(actor=request.user, **data)
        return Response(self.output(PersonSerializer, person), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a child's funded early education",
        description="Calls `families.services.child_early_education_record`: eligible for a funded 2-year-old "
        "place, taking up a funded place since a date, and the setting. The return's early education take-up "
        "figure reads these. A child aged 0 to 5 only (409 for anyone else); the family's allocated worker or a "
        "manager of its base.",
        request=EarlyEducationInputSerializer,
        responses={200: PersonSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="early-education",
        url_name="early-education",
        serializer_class=EarlyEducationInputSerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def early_education(self, request, uuid=None):
        person = self.get_object()
        data = self.validated(EarlyEducationInputSerializer)
        person = services.child_early_education_record(
            person=person,
            eligible_2yo=data["funded_education_eligible"],
            started_on=data["funded_education_started_on"],
            setting=data["funded_education_setting"],
            actor=request.user,
        )
        return Response(self.output(PersonSerializer, self.get_queryset().get(pk=person.pk)))
