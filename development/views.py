"""Pages for a family's child development evidence: the children's reviews, recording one (an ASQ-3 review or an
EYFS profile result), correcting it with a reason and marking it recorded in error. Every page is scoped like the
family (404 for one the user may not see); changing a review is for whoever recorded it, the family's workers or
their manager (403 otherwise)."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ecfs.audit.services import audit_view
from ecfs.view_helpers import form_post
from families.selectors import family_get

from . import selectors, services
from .forms import AsqReviewAmendForm, AsqReviewForm, EyfsAmendForm, EyfsForm, InErrorForm
from .models import DOMAIN_FIELDS, DevelopmentReview


def _list_url(family) -> str:
    return reverse("development-list", args=[family.reference])


@require_GET
def development_list(request, reference):
    family = family_get(user=request.user, reference=reference)
    audit_view(actor=request.user, obj=family, family=family, what="the children's development reviews")
    return render(
        request,
        "development/list.html",
        {"family": family, "children": selectors.family_children_reviews(family=family)},
    )


@require_http_methods(["GET", "POST"])
def review_add(request, reference, person):
    family = family_get(user=request.user, reference=reference)
    child = selectors.child_get(family=family, uuid=person)
    return form_post(
        request,
        AsqReviewForm,
        call=lambda form: services.development_review_record(
            child=child,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            reviewed_on=form.cleaned_data["reviewed_on"],
            source=form.cleaned_data["source"],
            consent_confirmed=form.cleaned_data["consent_confirmed"],
            levels=form.levels(),
        ),
        success=lambda review: f"{review.get_kind_display()} recorded for {child.first_name}.",
        redirect_to=lambda review: _list_url(family),
        template="development/form.html",
        context={
            "family": family,
            "caption": f"{family.reference}: {child.full_name}",
            "heading": "Record an ASQ-3 review",
            "explanation": "The outcome of the review health visiting shared with the family's consent, as they "
            "recorded it: in each of the five ASQ-3 domains, above the cut-off (on track), close to it (the "
            "monitoring zone) or below it.",
            "button": "Record the review",
        },
    )


@require_http_methods(["GET", "POST"])
def eyfs_add(request, reference, person):
    family = family_get(user=request.user, reference=reference)
    child = selectors.child_get(family=family, uuid=person)
    return form_post(
        request,
        EyfsForm,
        call=lambda form: services.development_review_record(
            child=child,
            actor=request.user,
            kind=DevelopmentReview.Kind.EYFS,
            reviewed_on=form.cleaned_data["reviewed_on"],
            source=form.cleaned_data["source"],
            consent_confirmed=form.cleaned_data["consent_confirmed"],
            good_level_of_development=form.cleaned_data["good_level_of_development"],
        ),
        success=f"EYFS profile result recorded for {child.first_name}.",
        redirect_to=lambda review: _list_url(family),
        template="development/form.html",
        context={
            "family": family,
            "caption": f"{family.reference}: {child.full_name}",
            "heading": "Record an early years foundation stage profile result",
            "explanation": "Whether the child reached a good level of development at the end of their reception "
            "year, where the family or the school shared it with their consent.",
            "button": "Record the result",
        },
    )


@require_GET
def review_detail(request, uuid):
    review = selectors.review_get(user=request.user, uuid=uuid)
    audit_view(actor=request.user, obj=review, family=review.family, what="a child development review")
    return render(
        request,
        "development/detail.html",
        {
            "review": review,
            "family": review.family,
            "can_change": services.can_change(request.user, review),
            "amendments": selectors.review_amendments(review),
        },
    )


def _changeable(request, uuid) -> DevelopmentReview:
    review = selectors.review_get(user=request.user, uuid=uuid)
    if not services.can_change(request.user, review):
        raise PermissionDenied("Only whoever recorded it, the family's workers or their manager can do this.")
    return review


@require_http_methods(["GET", "POST"])
def review_amend(request, uuid):
    review = _changeable(request, uuid)
    initial = {"reviewed_on": review.reviewed_on, "source": review.source}
    if review.is_asq:
        form = partial(AsqReviewAmendForm, initial=initial | {name: getattr(review, name) for name in DOMAIN_FIELDS})

        def call(f):
            return services.development_review_amend(
                review=review,
                actor=request.user,
                reason=f.cleaned_data["reason"],
                reviewed_on=f.cleaned_data["reviewed_on"],
                source=f.cleaned_data["source"],
                levels=f.levels(),
            )
    else:
        gld = "yes" if review.good_level_of_development else "no"
        form = partial(EyfsAmendForm, initial=initial | {"good_level_of_development": gld})

        def call(f):
            return services.development_review_amend(
                review=review,
                actor=request.user,
                reason=f.cleaned_data["reason"],
                reviewed_on=f.cleaned_data["reviewed_on"],
                source=f.cleaned_data["source"],
                good_level_of_development=f.cleaned_data["good_level_of_development"],
            )

    back = reverse("development-review-detail", args=[review.uuid])
    return form_post(
        request,
        form,
        call=call,
        success="Corrected. What was there before is kept with your reason.",
        redirect_to=back,
        template="development/form.html",
        context={
            "family": review.family,
            "back_url": back,
            "caption": f"{review.family.reference}: {review.child.full_name}",
            "heading": f"Correct the {'review' if review.is_asq else 'EYFS profile result'}",
            "explanation": f"{review.get_kind_display()} on {review.reviewed_on:%d %B %Y}. Change what was recorded "
            "wrongly: the record as it was stays in its history, with your reason.",
            "button": "Save the correction",
        },
    )


@require_http_methods(["GET", "POST"])
def review_in_error(request, uuid):
    review = _changeable(request, uuid)
    return form_post(
        request,
        InErrorForm,
        call=lambda f: services.development_review_mark_in_error(
            review=review, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success="Marked as recorded in error. It is kept but left out of the record and the returns.",
        redirect_to=lambda result: _list_url(review.family),
        template="development/form.html",
        context={
            "family": review.family,
            "back_url": reverse("development-review-detail", args=[review.uuid]),
            "caption": f"{review.family.reference}: {review.child.full_name}",
            "heading": "Mark this review as recorded in error",
            "explanation": f"{review.get_kind_display()} on {review.reviewed_on:%d %B %Y}. Use this when it was "
            "recorded for the wrong child or family: it is never deleted, but it leaves the record and the returns.",
            "button": "Mark as recorded in error",
        },
    )
