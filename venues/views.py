"""Group programmes: the catalogue, courses, sessions, enrolment, registers and parents' measures."""

from dataclasses import asdict
from datetime import datetime
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bases.models import Locality, StaffProfile
from ecfs.errors import ApplicationError
from ecfs.roles import Role
from ecfs.view_helpers import add_service_error, form_post, require_role
from families.models import RegistrationRoute
from families.names import hide_restricted, household_names, household_prefetch
from families.registration_forms import area_of
from families.registration_views import registration_flow
from families.selectors import family_get, family_list

from . import selectors, services
from .forms import (
    CourseForm,
    EnrolForm,
    FacilitatorsForm,
    FamilyLookupForm,
    ParentMeasureForm,
    RegisterForm,
    SessionCancelForm,
    SessionMoveForm,
)

FRONT_LINE = (Role.WORKER, Role.MANAGER)


def _save(form, save, *, fields: dict[str, str] | None = None) -> bool:
    """Call the service; show its refusal on the form (``fields``: the form's name for a field the service names
    otherwise). True when it saved."""
    try:
        save(form.cleaned_data)
    except (ValidationError, ApplicationError) as error:
        if fields and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError({fields.get(name, name): messages for name, messages in error.error_dict.items()})
        add_service_error(form, error)
        return False
    return True


@require_GET
def group_list(request):
    require_role(request.user, *FRONT_LINE)
    courses = list(selectors.course_list_for_page(user=request.user))
    return render(request, "venues/group_list.html", {"courses": courses})


@require_GET
def programme_list(request):
    return render(request, "venues/programme_list.html", {"programmes": selectors.programme_list()})


@require_http_methods(["GET", "POST"])
def course_new(request):
    require_role(request.user, *FRONT_LINE)
    teams = list(selectors.runnable_teams(user=request.user))
    staff = [
        profile.user
        for profile in StaffProfile.objects.filter(team__in=teams, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    ]
    return form_post(
        request,
        partial(
            CourseForm,
            programmes=list(selectors.programme_list(active_only=True)),
            teams=teams,
            venues=list(selectors.group_venue_list()),
            staff=staff,
        ),
        call=lambda form: services.course_create(actor=request.user, **form.cleaned_data),
        success=lambda course: f"Course set up with {course.programme.sessions_count} sessions.",
        redirect_to=lambda course: redirect("group-course-detail", course.uuid),
        template="venues/course_form.html",
    )


@require_http_methods(["GET", "POST"])
def course_facilitators(request, uuid):
    course = selectors.course_get(user=request.user, uuid=uuid)
    if not selectors.takes_register(user=request.user, course=course):
        raise PermissionDenied(services.TAKES_REGISTER_ONLY)
    staff = [
        profile.user
        for profile in StaffProfile.objects.filter(team=course.team, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    ]
    return form_post(
        request,
        partial(
            FacilitatorsForm,
            staff=staff,
            initial={"facilitators": [str(pk) for pk in course.facilitators.values_list("pk", flat=True)]},
        ),
        call=lambda form: services.course_facilitators_set(course=course, actor=request.user, **form.cleaned_data),
        success="Facilitators changed.",
        redirect_to=redirect("group-course-detail", course.uuid),
        template="venues/facilitators.html",
        context={"course": course},
    )


@require_GET
def course_detail(request, uuid):
    course = selectors.course_detail(user=request.user, uuid=uuid)
    return render(request, "venues/course_detail.html", {"course": course})


@require_http_methods(["GET", "POST"])
def course_enrol(request, uuid):
    course = selectors.course_get(user=request.user, uuid=uuid)
    if course.is_universal:
        return render(request, "venues/enrol_universal.html", {"course": course})
    typed = (request.POST.get("family") or request.GET.get("family") or "").strip()
    lookup = FamilyLookupForm({"family": typed} if typed else None)
    family, form, matches = None, None, []
    if lookup.is_valid():
        family, matches = _enrol_lookup(request.user, lookup)
    if family is not None:
        form = EnrolForm(request.POST if request.method == "POST" else None, members=family.member_list)
        if (
            request.method == "POST"
            and form.is_valid()
            and _save(
                form,
                lambda data: services.enrolment_create(course=course, person=data["person"], actor=request.user),
            )
        ):
            messages.success(request, f"{form.cleaned_data['person'].full_name} enrolled.")
            return redirect("group-course-detail", course.uuid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "venues/enrol.html",
        {
            "course": course,
            "lookup": lookup,
            "family": family,
            "form": form,
            "matches": matches if family is None else [],
            "searched": bool(typed),
            "families_url": reverse("group-course-enrol-families", args=[course.uuid]),
        },
        status=status,
    )


def _enrol_lookup(user, lookup: FamilyLookupForm):
    """The family picked (its reference typed or chosen), else the open families matching a search: one match
    is the family."""
    typed = lookup.cleaned_data["family"]
    reference = selectors.reference_in(typed)
    if reference:
        family = selectors.enrollable_family_get(user=user, reference=reference)
        if family is None:
            lookup.add_error("family", f"No open family you work with has the reference {reference}")
        return family, []
    matches = selectors.enrollable_family_matches(user=user, query=typed)
    if not matches:
        lookup.add_error("family", f"No open family you work with matches “{typed}”")
    if len(matches) == 1:
        return selectors.enrollable_family_get(user=user, reference=matches[0].reference), matches
    return None, matches


@require_GET
def course_enrol_families(request, uuid):
    """Search-as-you-type for the enrol page: the open families the user may see that match ``q``, as JSON."""
    course = selectors.course_get(user=request.user, uuid=uuid)
    if course.is_universal:
        raise Http404("Universal courses take no enrolments")
    query = request.GET.get("q", "").strip()[:100]
    matches = selectors.enrollable_family_matches(user=request.user, query=query)
    return JsonResponse({"results": [asdict(match) for match in matches]})


@require_http_methods(["GET", "POST"])
def session_detail(request, uuid):
    session = selectors.session_get(user=request.user, uuid=uuid)
    venues = list(selectors.group_venue_list())
    action = request.POST.get("action") if request.method == "POST" else None
    local = timezone.localtime(session.starts_at)
    move = SessionMoveForm(
        request.POST if action == "move" else None,
        venues=venues,
        initial={"date": local.date(), "start_time": local.time(), "venue": str(session.venue_id)},
        prefix="move",
    )
    cancel = SessionCancelForm(request.POST if action == "cancel" else None, prefix="cancel")
    if (
        action == "move"
        and move.is_valid()
        and _save(
            move,
            lambda d: services.session_move(
                session=session,
                actor=request.user,
                starts_at=timezone.make_aware(datetime.combine(d["date"], d["start_time"])),
                venue=d["venue"],
            ),
            fields={"starts_at": "date"},
        )
    ):
        messages.success(request, f"Session {session.number} moved.")
        return redirect("group-course-detail", session.course.uuid)
    if (
        action == "cancel"
        and cancel.is_valid()
        and _save(cancel, lambda d: services.session_cancel(session=session, actor=request.user, reason=d["reason"]))
    ):
        messages.success(request, f"Session {session.number} cancelled.")
        return redirect("group-course-detail", session.course.uuid)
    status = 400 if action else 200
    return render(
        request, "venues/session_detail.html", {"session": session, "move": move, "cancel": cancel}, status=status
    )


def _families_lookup(user):
    def lookup(references):
        if not references:
            return {}
        families = family_list(user=user).filter(reference__in=references)
        return {family.reference: family for family in families}

    return lookup


def _offered_families(user, references) -> list[tuple[str, str]]:
    """(reference, label) of the known families to list on a register: the user's own, with who is in them;
    anything else typed or posted is listed as it was given, and the form refuses it."""
    references = list(dict.fromkeys(r for r in references if r))
    if not references:
        return []
    families = {
        family.reference: family
        for family in family_list(user=user).filter(reference__in=references).prefetch_related(household_prefetch())
    }
    hide_restricted(user, list(families.values()))
    offered = []
    for reference in references:
        family = families.get(reference)
        label = f"{household_names(family) or reference} ({reference})" if family is not None else reference
        offered.append((reference, label))
    return offered


def _find_context(request) -> dict:
    """The register page's *Find a known family* (a GET form beside the register): what was typed, the open
    families the user may see that match (a reference or a pick from the suggestions is one), or why none."""
    typed = request.GET.get("find", "").strip()[:100]
    if "find" not in request.GET:
        return {"find": "", "find_matches": [], "find_problem": ""}
    if not typed:
        return {"find": "", "find_matches": [], "find_problem": "Enter a name, date of birth, postcode or reference"}
    reference = selectors.reference_in(typed)
    if reference:
        matches = [
            m
            for m in selectors.enrollable_family_matches(user=request.user, query=reference)
            if m.reference == reference
        ]
        problem = "" if matches else f"No open family you work with has the reference {reference}"
    else:
        matches = selectors.enrollable_family_matches(user=request.user, query=typed)
        problem = "" if matches else f"No open family you work with matches “{typed}”"
    return {"find": typed, "find_matches": matches, "find_problem": problem}


@require_http_methods(["GET", "POST"])
def session_register(request, uuid):
    session = selectors.session_get(user=request.user, uuid=uuid)
    course = session.course
    if not selectors.takes_register(user=request.user, course=course):
        raise PermissionDenied(services.TAKES_REGISTER_ONLY)
    lines = selectors.register_lines(session=session, user=request.user)
    too_early = timezone.localdate(session.starts_at) > timezone.localdate()
    taken = session.register_taken_at is not None
    can_amend = selectors.can_amend_register(user=request.user, session=session)
    if taken and not can_amend and request.method == "POST":
        raise PermissionDenied(services.REGISTER_AMENDERS_ONLY)
    named = (
        [f.reference for f in selectors.walk_in_families(session=session, user=request.user)]
        if course.is_universal
        else []
    )
    initial = {
        "attended": [str(line.enrolment.uuid) for line in lines if line.attended],
        "walk_in_adults": session.walk_in_adults,
        "walk_in_children": session.walk_in_children,
        "walk_in_families": named,
    }
    posted = []
    if request.method == "POST" and course.is_universal:
        posted = [r for v in request.POST.getlist("walk_in_families") for r in v.replace(",", " ").upper().split()]
    context = {
        "session": session,
        "course": course,
        "lines": lines,
        "too_early": too_early,
        "can_amend": can_amend,
        "families_url": reverse("group-session-register-families", args=[session.uuid]),
        "amendments": selectors.register_amendments(session=session, user=request.user) if taken else [],
    }
    form_for = partial(
        RegisterForm,
        lines=lines,
        universal=course.is_universal,
        families_lookup=_families_lookup(request.user),
        amending=taken,
    )

    # A family found on the page after the register was saved is added to the correction, ticked (``?add=``).
    added = []
    if taken and can_amend and course.is_universal and request.method != "POST":
        wanted = [r.strip().upper() for r in request.GET.getlist("add")[:20]]
        added = list(
            family_list(user=request.user)
            .filter(reference__in=[r for r in wanted if r not in named])
            .order_by("reference")
            .values_list("reference", flat=True)
        )
        initial["walk_in_families"] = named + added
    if course.is_universal and not too_early and not session.is_cancelled and (not taken or can_amend):
        context.update(_find_context(request))

    def take(form):
        data = form.cleaned_data
        return services.register_take(
            session=session,
            actor=request.user,
            attended=set(data.get("attended", [])),
            walk_in_adults=data.get("walk_in_adults", 0),
            walk_in_children=data.get("walk_in_children", 0),
            walk_in_families=data.get("walk_in_families", []),
            reason=data.get("reason", ""),
        )

    return form_post(
        request,
        partial(form_for, initial=initial, offered=_offered_families(request.user, named + added + posted)),
        call=take,
        success=f"Register {'corrected' if taken else 'saved'} for session {session.number}.",
        redirect_to=redirect(
            *(("group-session-register", session.uuid) if taken else ("group-course-detail", course.uuid))
        ),
        template="venues/register.html",
        context=context,
    )


@require_GET
def session_register_families(request, uuid):
    """Search-as-you-type for a universal session's register: the open families the user may see matching ``q``."""
    session = selectors.session_get(user=request.user, uuid=uuid)
    if not session.course.is_universal:
        raise Http404("Only universal sessions name walk-in families")
    if not selectors.takes_register(user=request.user, course=session.course):
        raise PermissionDenied(services.TAKES_REGISTER_ONLY)
    query = request.GET.get("q", "").strip()[:100]
    matches = selectors.enrollable_family_matches(user=request.user, query=query)
    return JsonResponse({"results": [asdict(match) for match in matches]})


@require_POST
def session_register_mark(request, uuid):
    """Mark a known family present (chosen under *Find a known family*). Before the register is saved the mark is
    kept at once; after, the family is added, ticked, to the correction form (saved with a reason)."""
    session = selectors.session_get(user=request.user, uuid=uuid)
    if not session.course.is_universal:
        raise Http404("Only universal sessions name walk-in families")
    if not selectors.takes_register(user=request.user, course=session.course):
        raise PermissionDenied(services.TAKES_REGISTER_ONLY)
    url = reverse("group-session-register", args=[session.uuid])
    reference = request.POST.get("family", "").strip().upper()[:20]
    if not reference:
        messages.error(request, "Choose the family to mark present")
        return redirect(url)
    family = family_get(user=request.user, reference=reference)
    if session.register_taken_at is not None:
        if not selectors.can_amend_register(user=request.user, session=session):
            raise PermissionDenied(services.REGISTER_AMENDERS_ONLY)
        messages.success(request, f"{family.reference} added below: save the correction to mark them present.")
        return redirect(f"{url}?{urlencode({'add': family.reference})}")
    try:
        services.session_family_attend(session=session, family=family, actor=request.user)
    except (ValidationError, ApplicationError) as error:
        messages.error(request, error.message if isinstance(error, ApplicationError) else " ".join(error.messages))
        return redirect(url)
    messages.success(request, f"{family.reference} marked present.")
    return redirect(url)


@require_http_methods(["GET", "POST"])
def session_register_family(request, uuid):
    """Register a family met at a universal session, from its register: the duplicate check first; a new family
    (or a known one chosen from the matches) is marked present while the register is open."""
    session = selectors.session_get(user=request.user, uuid=uuid)
    course = session.course
    if not course.is_universal:
        raise Http404("Families are registered at universal sessions")
    if not selectors.takes_register(user=request.user, course=course):
        raise PermissionDenied(services.TAKES_REGISTER_ONLY)
    back = redirect("group-session-register", session.uuid)

    def registered(result):
        family, marked = result
        messages.success(
            request,
            f"{family.reference} registered"
            + (" and marked present." if marked else ": correct the register to mark them present."),
        )
        return back

    def use_known(family):
        if session.register_taken_at is not None:
            messages.success(request, f"{family.reference} is already known: correct the register to mark them.")
            return back
        services.session_family_attend(session=session, family=family, actor=request.user)
        messages.success(request, f"{family.reference} is already known to the service: marked present.")
        return back

    return registration_flow(
        request,
        registered_via=RegistrationRoute.UNIVERSAL_SESSION,
        initial={"area": _session_area(session)},
        template="venues/register_family.html",
        context={"session": session, "course": course},
        register=partial(services.session_family_register, session=session),
        registered=registered,
        use_known=use_known,
    )


def _session_area(session) -> str:
    """Where families at this session mostly live: the town of the course's base, else the venue's district."""
    locality = Locality.objects.filter(base_id=session.course.team.base_id, is_other=False).order_by("name").first()
    return area_of(locality, session.venue.district)


@require_http_methods(["GET", "POST"])
def enrolment_measures(request, uuid):
    enrolment = selectors.enrolment_get(user=request.user, uuid=uuid)
    if not selectors.takes_register(user=request.user, course=enrolment.course):
        raise PermissionDenied(services.TAKES_REGISTER_ONLY)
    selectors.label_enrolled(user=request.user, items=[enrolment], names_visible=True)
    measures = list(enrolment.measures.order_by("stage").select_related("recorded_by"))
    return form_post(
        request,
        ParentMeasureForm,
        call=lambda form: services.parent_measure_record(enrolment=enrolment, actor=request.user, **form.cleaned_data),
        success=f"Measures saved for {enrolment.shown_name}.",
        redirect_to=redirect("group-course-detail", enrolment.course.uuid),
        template="venues/measures.html",
        context={
            "enrolment": enrolment,
            "course": enrolment.course,
            "measures": measures,
            "can_measure": enrolment.course.is_targeted and enrolment.person.kind in services.MEASURED_KINDS,
        },
    )
