"""Child development reviews in the API: the reviews of the families the caller may see, and recording one.

Reads go through ``development.selectors`` (scoped like the family: another worker's family's review is 404);
writes through ``development.services.development_review_record`` (the pages' rules and messages, 400 naming the
field).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response

from ecfs.api.fields import DateField, ScopedUUIDField
from ecfs.api.views import AuditedRetrieveMixin, StaffViewSet
from families.api import visible_people

from . import services
from .models import DOMAIN_FIELDS, DevelopmentReview
from .selectors import review_get, review_list


class DevelopmentReviewSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    child = serializers.UUIDField(source="child.uuid", read_only=True)
    academic_year = serializers.CharField(read_only=True)
    created_by = serializers.CharField(source="created_by.get_full_name", read_only=True, allow_null=True)

    class Meta:
        model = DevelopmentReview
        fields = [
            "uuid",
            "family",
            "child",
            "kind",
            "reviewed_on",
            *DOMAIN_FIELDS,
            "good_level_of_development",
            "academic_year",
            "source",
            "consent_confirmed",
            "created_by",
            "created_at",
        ]


def _level(**kwargs):
    return serializers.ChoiceField(
        choices=DevelopmentReview.Level.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="ASQ-3 reviews (`two_year`, `asq`) only: required there, empty for `eyfs`.",
        **kwargs,
    )


class DevelopmentReviewInputSerializer(serializers.Serializer):
    child = ScopedUUIDField(
        scope=visible_people, lookup="uuid", help_text="The child's uuid (a born child of a family you may see)."
    )
    kind = serializers.ChoiceField(choices=DevelopmentReview.Kind.choices)
    reviewed_on = DateField(
        help_text="Not before the child's birth, not in the future, and not a day the child already has an ASQ-3 "
        "review (for `two_year` and `asq`) or an EYFS result (for `eyfs`) recorded: that is the same review sent again."
    )
    communication = _level()
    gross_motor = _level()
    fine_motor = _level()
    problem_solving = _level()
    personal_social = _level()
    good_level_of_development = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="`eyfs` only: required there."
    )
    source = serializers.CharField(max_length=services.SOURCE_MAX, help_text="Who the review came from.")
    consent_confirmed = serializers.BooleanField(
        help_text="The family consented to it being shared: a review without consent is refused (400)."
    )


@extend_schema_view(
    list=extend_schema(summary="Child development reviews (ASQ-3, EYFS) of the families the caller may see"),
    retrieve=extend_schema(summary="One child development review"),
    create=extend_schema(
        summary="Record a child development review shared with the family's consent",
        description="Calls `development.services.development_review_record`: an ASQ-3 review (`two_year`, `asq`) "
        "needs all five domains; an EYFS profile (`eyfs`) needs `good_level_of_development`; "
        "`consent_confirmed` must be true.",
        request=DevelopmentReviewInputSerializer,
        responses={201: DevelopmentReviewSerializer},
    ),
)
class DevelopmentReviewViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, StaffViewSet):
    """Newest first; reviews recorded in error are left out."""

    serializer_class = DevelopmentReviewSerializer
    lookup_field = "uuid"
    audit_what = "a child development review (API)"

    def get_queryset(self):
        return review_list(user=self.request.user)

    def get_object(self):
        return review_get(user=self.request.user, uuid=self.kwargs["uuid"])

    def create(self, request):
        data = self.validated(DevelopmentReviewInputSerializer)
        review = services.development_review_record(
            child=data["child"],
            actor=request.user,
            kind=data["kind"],
            reviewed_on=data["reviewed_on"],
            source=data["source"],
            consent_confirmed=data["consent_confirmed"],
            levels={name: data[name] for name in DOMAIN_FIELDS},
            good_level_of_development=data["good_level_of_development"],
        )
        return Response(
            self.output(DevelopmentReviewSerializer, review_get(user=request.user, uuid=review.uuid)), status=201
        )
