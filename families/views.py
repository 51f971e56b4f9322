from functools import partial
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ecfs.audit.services import audit_view
from ecfs.history import amendments_of
from ecfs.roles import Role, has_role
from ecfs.view_helpers import form_post

from . import selectors, services
from .access import manages_family
from .forms import (
    CharacteristicsForm,
    EarlyEducationForm,
    PersonAmendForm,
    PersonForm,
    ProfessionalForm,
    ReasonForm,
    RestrictionForm,
    WorkerChoiceForm,
)
from .models import Person
from .names import household_prefetch
from .services import protection
from .support import selectors as support_selectors

FAMILY_PAGE_SIZE = 50


def family_list(request):
    """Workers see their caseload; managers see their bases' families."""
    today = timezone.localdate()
    context = {"today": today}
    if has_role(request.user, Role.WORKER):
        context["caseload"] = support_selectors.caseload(user=request.user, today=today, names=True)
        context["showing_ended"] = request.GET.get("show") == "ended"
        if context["showing_ended"]:
            context["ended"] = support_selectors.support_ended(user=request.user)
        context["showing_registered"] = request.GET.get("show") == "registered"
        if context["showing_registered"]:
            registered = selectors.registered_by_my_team(user=request.user)
            context["page"] = Paginator(registered, FAMILY_PAGE_SIZE).get_page(request.GET.get("page"))
    if has_role(request.user, Role.MANAGER):
        families = (
            selectors.family_list(user=request.user)
            .filter(status="open")
            .select_related("base", "locality")
            .prefetch_related(household_prefetch())
            .order_by("reference")
        )
        query = request.GET.get("q", "").strip()
        if query:
            families = families.filter(reference__icontains=query) | families.filter(postcode__iexact=query)
        context["query"] = query
        context["pagination_query"] = urlencode({"q": query}) if query else ""
        context["bases_page"] = Paginator(families, FAMILY_PAGE_SIZE).get_page(request.GET.get("page"))
    if "caseload" not in context and "bases_page" not in context:
        raise PermissionDenied("Your role does not work with families.")
    return render(request, "families/list.html", context)


EARLY_EDUCATION_UNTIL_AGE = 5  # the family record shows early education for children under 5


def early_education_status(person: Person, today) -> str | None:
    """What the family record says about a child's funded early education; None for anyone else."""
    if person.kind != Person.Kind.CHILD or not person.date_of_birth:
        return None
    if person.date_of_birth + relativedelta(years=EARLY_EDUCATION_UNTIL_AGE) <= today:
        return None
    if person.funded_education_started_on:
        status = f"Funded place since {person.funded_education_started_on:%-d %b %Y}"
        return f"{status} at {person.funded_education_setting}" if person.funded_education_setting else status
    if person.funded_education_eligible:
        return "Eligible for a 2-year-old place"
    return "Not recorded"


def _page_number(value) -> int:
    """A page number from the query string: a bad or missing one is the first page."""
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def family_detail(request, reference):
    family = selectors.family_detail(
        user=request.user,
        reference=reference,
        contacts_page=_page_number(request.GET.get("contacts_page")),
        timeline_page=_page_number(request.GET.get("timeline_page")),
    )
    today = timezone.localdate()
    for person in family.member_list:
        person.early_education = early_education_status(person, today)
    audit_view(actor=request.user, obj=family, family=family, what="the family record")
    is_manager = manages_family(request.user, family)
    return render(
        request,
        "families/detail.html",
        {
            "family": family,
            "is_manager": is_manager,
            "open_allocations": [a for a in family.allocation_list if a.ended_at is None],
            # The allocated workers and the base's managers correct the household (no query: allocations are read).
            "can_correct": is_manager
            or any(a.worker_id == request.user.pk and a.ended_at is None for a in family.allocation_list),
            "access_log": selectors.family_access_log(family=family) if is_manager else None,
        },
    )


def _form_page(request, family, form, template, success_message, save, **context):
    """A form on one family: back to the family's page when it saves."""
    return form_post(
        request,
        form,
        call=save,
        success=success_message,
        redirect_to=redirect("family-detail", reference=family.reference),
        template=template,
        context={"family": family, **context},
    )


@require_http_methods(["GET", "POST"])
def family_edit(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    form = partial(CharacteristicsForm, instance=family)
    if request.method == "POST":
        # ModelForm validation writes onto the instance; re-read so the service compares against the database.
        family = selectors.family_get(user=request.user, reference=reference)
    return _form_page(
        request,
        family,
        form,
        "families/edit.html",
        "Household details saved.",
        lambda f: services.family_update_characteristics(family=family, actor=request.user, **f.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
def member_add(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    form = PersonForm
    return _form_page(
        request,
        family,
        form,
        "families/member_form.html",
        "Family member added.",
        lambda f: services.family_member_add(family=family, actor=request.user, **f.cleaned_data),
    )


@require_http_methods(["GET", "POST"])
def person_amend(request, reference, uuid):
    """Correct a family member's details with a reason; earlier versions stay in the record's history."""
    family = selectors.family_get(user=request.user, reference=reference)
    person = get_object_or_404(family.members, uuid=uuid)
    if not services.can_correct_family(request.user, family):
        raise PermissionDenied("Only the family's allocated workers and its base's team managers correct it.")
    initial = {field: getattr(person, field) for field in services.PERSON_AMENDABLE}
    return _form_page(
        request,
        family,
        partial(PersonAmendForm, initial=initial),
        "families/person_amend.html",
        f"{person.first_name}'s details corrected.",
        lambda f: services.person_amend(person=person, actor=request.user, **f.cleaned_data),
        person=person,
        amendments=amendments_of(person, services.PERSON_AMENDABLE),
    )


@require_http_methods(["GET", "POST"])
def person_early_education(request, reference, uuid):
    """A child's funded early education: eligible for a 2-year-old place, the place taken up and where."""
    family = selectors.family_get(user=request.user, reference=reference)
    child = get_object_or_404(family.members, uuid=uuid, kind=Person.Kind.CHILD)
    initial = {
        "funded_education_eligible": child.funded_education_eligible,
        "funded_education_started_on": child.funded_education_started_on,
        "funded_education_setting": child.funded_education_setting,
    }
    return _form_page(
        request,
        family,
        partial(EarlyEducationForm, initial=initial),
        "families/early_education_form.html",
        f"Early education saved for {child.full_name}.",
        lambda f: services.child_early_education_record(
            person=child,
            eligible_2yo=f.cleaned_data["funded_education_eligible"],
            started_on=f.cleaned_data["funded_education_started_on"],
            setting=f.cleaned_data["funded_education_setting"],
            actor=request.user,
        ),
        child=child,
    )


@require_http_methods(["GET", "POST"])
def professional_add(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    form = ProfessionalForm
    return _form_page(
        request,
        family,
        form,
        "families/professional_form.html",
        "Professional added to the team around the family.",
        lambda f: services.professional_add(family=family, actor=request.user, **f.cleaned_data),
    )


def _manager_family(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    if not (manages_family(request.user, family)):
        raise PermissionDenied("Only the family's team manager can change who works with them.")
    return family


@require_http_methods(["GET", "POST"])
def family_reallocate(request, reference):
    family = _manager_family(request, reference)
    workers = list(selectors.worker_caseloads(manager=request.user))
    form = partial(WorkerChoiceForm, workers=workers, reason_required=True)
    return _form_page(
        request,
        family,
        form,
        "families/worker_form.html",
        lambda allocation: f"Family reallocated: {allocation.worker.get_full_name()} is now the lead worker.",
        lambda f: services.family_reallocate(
            family=family, worker=f.cleaned_data["worker"], reason=f.cleaned_data["reason"], actor=request.user
        ),
    )


@require_http_methods(["GET", "POST"])
def family_add_co_worker(request, reference):
    family = _manager_family(request, reference)
    workers = list(selectors.worker_caseloads(manager=request.user))
    form = partial(WorkerChoiceForm, workers=workers)
    return _form_page(
        request,
        family,
        form,
        "families/worker_form.html",
        lambda allocation: f"{allocation.worker.get_full_name()} added as a co-worker.",
        lambda f: services.family_add_co_worker(
            family=family, worker=f.cleaned_data["worker"], reason=f.cleaned_data["reason"], actor=request.user
        ),
    )


@require_http_methods(["GET", "POST"])
def family_restrict(request, reference):
    family = _manager_family(request, reference)
    candidates = sorted(protection.restriction_candidates(family), key=lambda u: (u.last_name, u.first_name))
    initial = {"named": [str(pk) for pk in family.restricted_to.values_list("pk", flat=True)]}
    form = partial(RestrictionForm, candidates=candidates, initial=initial)
    return _form_page(
        request,
        family,
        form,
        "families/restriction_form.html",
        "The family's record is restricted to the people named.",
        lambda f: protection.family_restrict(
            family=family, actor=request.user, named=f.cleaned_data["named"], reason=f.cleaned_data["reason"]
        ),
    )


def _reason_page(request, family, *, title, hint, button, success_message, save):
    def form(**kwargs):
        built = ReasonForm(**kwargs)
        built.fields["reason"].help_text = hint
        return built

    return _form_page(
        request, family, form, "families/reason_form.html", success_message, save, title=title, button=button
    )


@require_http_methods(["GET", "POST"])
def family_unrestrict(request, reference):
    family = _manager_family(request, reference)
    return _reason_page(
        request,
        family,
        title="Lift the restriction",
        hint="Everyone who works with the family's base will be able to find it again.",
        button="Lift the restriction",
        success_message="The restriction is lifted.",
        save=lambda f: protection.family_unrestrict(family=family, actor=request.user, reason=f.cleaned_data["reason"]),
    )


@require_http_methods(["GET", "POST"])
def family_address_withheld(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    withhold = not family.address_withheld
    return _reason_page(
        request,
        family,
        title="Withhold the address" if withhold else "Stop withholding the address",
        hint=(
            "For example, a parent hiding from a perpetrator. The address will show only to the allocated workers "
            "and the team manager, and never in a PDF, an export or a partner's API response."
            if withhold
            else "Say why the address no longer needs to be withheld."
        ),
        button="Withhold the address" if withhold else "Stop withholding",
        success_message="The address is withheld." if withhold else "The address is no longer withheld.",
        save=lambda f: protection.address_withhold(
            family=family, actor=request.user, withheld=withhold, reason=f.cleaned_data["reason"]
        ),
    )


@require_http_methods(["GET", "POST"])
def family_legal_hold(request, reference):
    family = _manager_family(request, reference)
    place = not family.legal_hold
    return _reason_page(
        request,
        family,
        title="Place a legal hold" if place else "Release the legal hold",
        hint=(
            "A legal hold stops the retention job anonymising the family's records, for example during a court case "
            "or a complaint."
            if place
            else "The family's records will be anonymised when their retention date has passed."
        ),
        button="Place the legal hold" if place else "Release the legal hold",
        success_message="Legal hold placed." if place else "Legal hold released.",
        save=lambda f: (protection.legal_hold_place if place else protection.legal_hold_release)(
            family=family, actor=request.user, reason=f.cleaned_data["reason"]
        ),
    )
