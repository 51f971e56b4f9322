"""The API for referrals: staff read what ``referrals.selectors`` lets them see and record new ones;
partner systems send referrals and read back the status of their own, nothing else."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from bases.models import District, Locality
from ecfs.api.fields import DateField, DateTimeField, ScopedReferenceField
from ecfs.api.filters import IsoDateTimeFilter
from ecfs.api.permissions import PartnerRateThrottle, PartnerSystemOnly
from ecfs.api.views import ApiViewMixin, AuditedRetrieveMixin, StaffViewSet, fields_named, whole_request_is
from families.access import address_visible
from families.api_fields import DeterminantField
from families.models import ContactChannel, Person
from families.rules import validate_person_dates
from families.selectors import family_list
from families.validators import normalise_postcode, validate_uk_postcode

from . import services
from .models import Referral, ReferralPerson, Source, TriageDecision
from .partner import partner_referral_create
from .selectors import referral_list

# Serializers -----------------------------------------------------------------------------------


class ReferralPersonSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Person.Kind.choices)
    date_of_birth = DateField(required=False, allow_null=True)
    expected_date = DateField(required=False, allow_null=True, help_text="For an unborn child only.")

    class Meta:
        model = ReferralPerson
        fields = ["kind", "first_name", "last_name", "date_of_birth", "expected_date"]

    def validate(self, data):
        try:
            validate_person_dates(
                kind=data["kind"],
                date_of_birth=data.get("date_of_birth"),
                expected_date=data.get("expected_date"),
                today=timezone.localdate(),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return data


class TriageDecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.get_full_name", read_only=True)

    class Meta:
        model = TriageDecision
        fields = ["decision", "reason", "notes", "consent_override_reason", "decided_by", "decided_at"]


class ReferralSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True, allow_null=True)
    district = serializers.CharField(source="district.slug", read_only=True)
    locality = serializers.CharField(source="locality.name", read_only=True)
    routed_team = serializers.CharField(source="routed_team.name", read_only=True)
    reasons = serializers.ListField(child=DeterminantField(), source="reasons.all", read_only=True)
    people = ReferralPersonSerializer(many=True, read_only=True)
    decisions = TriageDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "uuid",
            "reference",
            "status",
            "family",
            "received_at",
            "received_via",
            "source",
            "referrer_name",
            "referrer_agency",
            "referrer_role",
            "referrer_phone",
            "referrer_email",
            "reasons",
            "reason_details",
            "urgency",
            "consent_obtained",
            "best_times",
            "language",
            "interpreter_needed",
            "safe_contact_only",
            "safe_contact_notes",
            "safe_contact_channel",
            "contact_phone",
            "contact_email",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "address_withheld",
            "district",
            "locality",
            "routed_team",
            "people",
            "decisions",
            "triage_due",
            "first_contact_due",
            "triaged_at",
            "first_contact_at",
            "closed_at",
        ]

    address_withheld = serializers.SerializerMethodField(
        help_text="True when the family's address is withheld from you: the address fields are then empty."
    )

    def get_address_withheld(self, referral) -> bool:
        return not address_visible(user=self.context["request"].user, family=referral.family)

    def to_representation(self, referral):
        data = super().to_representation(referral)
        if data["address_withheld"]:
            data.update(dict.fromkeys(WITHHELD_FIELDS, ""))
        return data


ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town", "postcode")
# Someone hiding from a perpetrator: how to reach the family is withheld with where they live.
WITHHELD_FIELDS = (*ADDRESS_FIELDS, "contact_phone", "contact_email")


class ReferralStatusSerializer(serializers.ModelSerializer):
    """What the sender of a referral may know about it: where it is, not what was decided about the family."""

    class Meta:
        model = Referral
        fields = ["uuid", "reference", "status", "received_at", "triaged_at", "closed_at"]


class ReferralInputSerializer(serializers.Serializer):
    """A new referral, as a phone call or a partner system gives it."""

    source = serializers.ChoiceField(choices=Source.choices)
    referrer_name = serializers.CharField(max_length=150)
    referrer_agency = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    referrer_role = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    referrer_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    referrer_email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    reasons = serializers.ListField(
        child=DeterminantField(), allow_empty=False, max_length=15, help_text="Determinant codes: at least one."
    )
    reason_details = serializers.CharField(max_length=Referral.TEXT_MAX, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Referral.Urgency.choices, default=Referral.Urgency.ROUTINE)
    consent_obtained = serializers.BooleanField(help_text="Has the family consented to the referral?")
    best_times = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    interpreter_needed = serializers.BooleanField(default=False)
    safe_contact_only = serializers.BooleanField(
        default=False, help_text="Domestic abuse: contact the family only by the safe means in safe_contact_notes."
    )
    safe_contact_notes = serializers.CharField(
        max_length=Referral.TEXT_MAX, required=False, allow_blank=True, default=""
    )
    safe_contact_channel = serializers.ChoiceField(
        choices=ContactChannel.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="How it is safe to contact the family (blank: not asked). Phone and text need contact_phone, "
        "email needs contact_email; messages to the family go only this way.",
    )
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    address_line_1 = serializers.CharField(max_length=200)
    address_line_2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    town = serializers.CharField(max_length=100)
    postcode = serializers.CharField(max_length=10, help_text="A UK postcode, like NR1 3AB.")
    district = ScopedReferenceField(
        scope=lambda request: District.objects.all(), lookup="slug", max_length=100, help_text="District slug."
    )
    locality = ScopedReferenceField(
        scope=lambda request: Locality.objects.all(),
        lookup="name",
        max_length=100,
        help_text='The market town nearest the family, or "Other".',
    )
    people = ReferralPersonSerializer(
        many=True, allow_empty=False, max_length=20, help_text="At least one child aged 0 to 5 or an unborn child."
    )

    def validate_postcode(self, value):
        value = normalise_postcode(value)
        try:
            validate_uk_postcode(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return value

    def validate(self, data):
        if data["safe_contact_only"] and not data["safe_contact_notes"].strip():
            raise serializers.ValidationError({"safe_contact_notes": ["Say how to make contact safely."]})
        return data


class StaffReferralInputSerializer(ReferralInputSerializer):
    received_at = DateTimeField(required=False, help_text="When it was received; now if left out.")
    received_via = serializers.ChoiceField(
        choices=[
            choice
            for choice in Referral.ReceivedVia.choices
            if choice[0] not in (Referral.ReceivedVia.PARTNER_SYSTEM, Referral.ReceivedVia.WEB_FORM)
        ]
    )

    def validate_received_at(self, value):
        if value > timezone.now():
            raise serializers.ValidationError("The date received must be today or in the past.")
        return value


class DecisionInputSerializer(serializers.Serializer):
    """A triage decision, as the referral page records it (``referrals.services.referral_decide``)."""

    decision = serializers.ChoiceField(choices=TriageDecision.Decision.choices)
    reason = serializers.ChoiceField(
        choices=TriageDecision.Reason.choices, help_text="One that fits the decision (TriageDecision.REASONS_FOR)."
    )
    notes = serializers.CharField(max_length=Referral.TEXT_MAX, help_text="Why.")
    family = ScopedReferenceField(
        scope=lambda request: family_list(user=request.user),
        lookup="reference",
        max_length=12,
        required=False,
        help_text="The reference of a family already known that this referral is for.",
    )
    new_family = serializers.BooleanField(
        default=False, help_text="Accepting for a new family, made from the referral after the duplicate check."
    )
    consent_override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed to accept a referral the family has not agreed to (a safeguarding override); "
        "refused with any other decision.",
    )


def _service_fields(data: dict) -> dict:
    fields = dict(data)
    fields["people"] = [dict(person) for person in fields["people"]]
    return fields


# Filters ---------------------------------------------------------------------------------------


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Referral.Status.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    urgency = django_filters.ChoiceFilter(choices=Referral.Urgency.choices)
    district = django_filters.CharFilter(field_name="district__slug", help_text="District slug.")
    family = django_filters.CharFilter(field_name="family__reference", help_text="The family's reference.")
    received_after = IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = Referral
        fields = ["status", "source", "urgency", "district", "family", "received_after", "received_before"]


# Views -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Referrals the caller may see"),
    retrieve=extend_schema(summary="One referral with its people and triage decisions"),
    create=extend_schema(
        summary="Record a referral",
        description="Calls `referrals.services.referral_create`: routed to a team of the district, with triage "
        "and first-contact due dates in working days. The answer is the referral's status: a worker does not "
        "see the referral itself until its family is allocated to them.",
        request=StaffReferralInputSerializer,
        responses={201: ReferralStatusSerializer},
    ),
)
class ReferralViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """Referrals: a team manager's bases' referrals; a worker's allocated families' referrals."""

    audit_what = "a referral (API)"
    audit_unlinked = True

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return (
            referral_list(user=self.request.user)
            .select_related("family", "district", "locality", "routed_team")
            .prefetch_related(
                "reasons",
                "people",
                Prefetch("decisions", queryset=TriageDecision.objects.select_related("decided_by")),
            )
            .order_by("-received_at", "pk")
        )

    def create(self, request):
        data = _service_fields(self.validated(StaffReferralInputSerializer))
        data.setdefault("received_at", timezone.now())
        with fields_named(whole_request_is("people")):  # "name at least one child aged 0 to 5 or an unborn child"
            referral = services.referral_record(actor=request.user, **data)
        return Response(self.output(ReferralStatusSerializer, referral), status=201)

    @extend_schema(
        summary="Record a triage decision",
        description="Calls `referrals.services.referral_decide`, as the referral page does: only a team manager at "
        "the base the referral was routed to (403 otherwise); a referral the family has not agreed to is accepted "
        "only with `consent_override_reason` (400 without it); a decision the referral's state does not allow "
        "is 409.",
        request=DecisionInputSerializer,
        responses={201: TriageDecisionSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decision(self, request, uuid=None):
        referral = self.get_object()
        if not services.can_triage(request.user, referral):
            raise PermissionDenied("Only a team manager at the base this referral was routed to can decide on it.")
        data = self.validated(DecisionInputSerializer)
        decided = services.referral_decide(
            referral=referral,
            decision=data["decision"],
            reason=data["reason"],
            notes=data["notes"],
            family=data.get("family"),
            new_family=data["new_family"],
            consent_override_reason=data["consent_override_reason"],
            actor=request.user,
        )
        return Response(self.output(TriageDecisionSerializer, decided), status=201)


@extend_schema_view(
    list=extend_schema(summary="Referrals this partner system sent"),
    retrieve=extend_schema(summary="The status of one referral this partner system sent"),
    create=extend_schema(
        summary="Send a referral",
        description="Recorded as received now via `partner_system` and routed like any referral "
        "(`referrals.services.referral_create`).",
        request=ReferralInputSerializer,
        responses={201: ReferralStatusSerializer},
    ),
)
class PartnerReferralViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Partner intake: a partner system's token may send referrals and read back the status of the
    referrals it sent; any other referral is a 404. Rate limited per partner system."""

    permission_classes = [PartnerSystemOnly]
    throttle_classes = [PartnerRateThrottle]
    serializer_class = ReferralStatusSerializer
    lookup_field = "uuid"
    filterset_class = None

    def get_queryset(self):
        return Referral.objects.filter(partner_link__partner=self.request.auth).order_by("-received_at", "pk")

    def create(self, request):
        serializer = ReferralInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with fields_named(whole_request_is("people")):
            referral = partner_referral_create(partner=request.auth, **_service_fields(serializer.validated_data))
        return Response(ReferralStatusSerializer(referral).data, status=201)
