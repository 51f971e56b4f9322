"""The imports pages: service admins upload a previous provider's CSV; team managers decide on possible duplicates."""

from functools import partial

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ecfs.errors import ApplicationError
from ecfs.roles import Role
from ecfs.view_helpers import add_service_error, form_post, require_role
from families.selectors import family_list

from . import selectors, services
from .forms import MAX_UPLOAD_BYTES, TOO_LARGE, ReviewDecisionForm, UploadForm
from .models import ImportBatch, ImportReview
from .parsing import MAX_CHILDREN, MAX_PARENTS

# Room for the multipart envelope and the other fields around a file at the limit.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 64 * 1024


def _too_large(request) -> bool:
    """Refuse an oversized upload from its declared length, before Django reads it into a temporary file."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


@require_http_methods(["GET", "POST"])
def import_home(request):
    """Upload a file (check only, or import), see the row-by-row report, and the rows waiting for review."""
    require_role(request.user, Role.ADMIN)
    report = None
    if request.method == "POST" and _too_large(request):
        form = UploadForm()
        form.is_bound = True  # so the error summary shows
        form.cleaned_data = {}
        form.add_error("file", TOO_LARGE)
    else:
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and not form.errors and form.is_valid():
        upload = form.cleaned_data["file"]
        # Read in memory (or Django's temporary upload file, deleted after the request): never stored.
        data = b"".join(upload.chunks())
        try:
            report = services.open_cases_import(
                data=data,
                file_name=upload.name,
                actor=request.user,
                channel=ImportBatch.Channel.UPLOAD,
                dry_run="check" in request.POST,
            )
        except ApplicationError as error:
            add_service_error(form, error)
    failed = request.method == "POST" and (bool(form.errors) or (report is not None and not report.ok))
    return render(
        request,
        "imports/home.html",
        {
            "form": form,
            "report": report,
            "reviews": selectors.pending_reviews(),
            "batches": selectors.recent_batches(),
        },
        status=400 if failed else 200,
    )


def review_list(request):
    require_role(request.user, Role.MANAGER)
    reviews = selectors.review_list(user=request.user).filter(status=ImportReview.Status.PENDING)
    return render(request, "imports/review_list.html", {"reviews": reviews.order_by("created_at", "pk")})


def _row_people(row: dict) -> list[dict]:
    people = []
    for prefix, label, date_column in (
        *((f"parent{n}", "Parent or carer", f"parent{n}_dob") for n in range(1, MAX_PARENTS + 1)),
        *((f"child{n}", "Child", f"child{n}_dob") for n in range(1, MAX_CHILDREN + 1)),
        ("unborn1", "Unborn child", "unborn1_due_date"),
    ):
        first, last = (row.get(f"{prefix}_first_name") or "").strip(), (row.get(f"{prefix}_last_name") or "").strip()
        when = (row.get(date_column) or "").strip()
        if first or last or when:
            people.append({"label": label, "name": f"{first} {last}".strip(), "date": when})
    return people


@require_http_methods(["GET", "POST"])
def review_detail(request, uuid):
    require_role(request.user, Role.MANAGER)
    review = selectors.review_get(user=request.user, uuid=uuid)
    candidates = list(review.candidates.select_related("base").order_by("reference"))
    visible = set(family_list(user=request.user).filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True))
    for candidate in candidates:
        candidate.visible = candidate.pk in visible
        # A restricted record the manager is not named on: never its reference, and it cannot be chosen.
        candidate.hidden = candidate.restricted and not candidate.visible
        candidate.matched_on = ", ".join(review.matched_on.get(candidate.reference, []))
    linkable = [c for c in candidates if not c.hidden]

    def decide(form):
        if not review.is_pending:
            raise ApplicationError("This row has already been decided.")
        family = next((c for c in linkable if c.reference == form.cleaned_data.get("family")), None)
        return services.import_review_decide(
            review=review,
            decision=form.cleaned_data["decision"],
            notes=form.cleaned_data["notes"],
            family=family if form.cleaned_data["decision"] == ImportReview.Status.SAME_FAMILY else None,
            actor=request.user,
        )

    return form_post(
        request,
        partial(ReviewDecisionForm, references=[c.reference for c in linkable]),
        call=decide,
        success=f"Decision recorded for {review.previous_provider} {review.previous_id}.",
        redirect_to=lambda record: redirect("family-detail", reference=record.family.reference),
        template="imports/review.html",
        context={"review": review, "people": _row_people(review.row), "candidates": candidates},
    )
