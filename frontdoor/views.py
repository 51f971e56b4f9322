"""The public request for support (``/request-support/``): no sign-in, GOV.UK question pages, one thing each.

Answers stay in the session until *Send* (``journey``); *Send* makes the referral (``services``). Every POST is
CSRF-checked and rate limited per address (django-ratelimit, in the shared cache); a form with its honeypot
filled in is refused without saving anything.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from ecfs.errors import ApplicationError

from . import journey
from . import questions as q
from .services import support_request_submit

logger = logging.getLogger(__name__)
SENT_KEY = "request_for_support_sent"


def _rate(setting: str):
    return lambda group, request: getattr(settings, setting)


def public(view):
    """Open to anyone, never cached (answers about a family must not linger in a shared browser), and every
    POST counted against the address's limit."""
    view = ratelimit(key="ip", rate=_rate("FRONTDOOR_RATE_LIMIT"), method="POST", block=False)(view)
    return login_not_required(never_cache(view))


def rate_limited(request, route: str | None = None):
    response = render(
        request,
        "frontdoor/rate_limited.html",
        {"route": route, "exit_url": reverse("request-support-exit") if route == q.FAMILY else None},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


def honeypot_refused(request, route: str):
    logger.warning("request for support refused: honeypot filled (%s route)", route)
    return render(request, "frontdoor/refused.html", _chrome(route), status=400)


def _chrome(route: str | None) -> dict:
    return {
        "route": route,
        "route_title": journey.ROUTE_TITLES.get(route, "Ask for support"),
        "exit_url": reverse("request-support-exit") if route == q.FAMILY else None,
    }


def _route(route: str) -> str:
    if route not in q.ROUTES:
        raise Http404("No such route.")
    return route


@public
@require_http_methods(["GET", "POST"])
def start(request):
    """Who is asking: a professional referring a family, or a parent or carer asking for help."""
    error = None
    if request.method == "POST":
        if getattr(request, "limited", False):
            return rate_limited(request)
        if (request.POST.get("website") or "").strip():
            return honeypot_refused(request, None)
        route = request.POST.get("route", "")
        if route in q.ROUTES:
            return redirect("request-support-question", route=route, slug=journey.first_page(route).slug)
        error = "Select whether you are a professional or a parent or carer"
    return render(request, "frontdoor/start.html", {**_chrome(None), "error": error}, status=400 if error else 200)


@public
@require_http_methods(["GET", "POST"])
def question(request, route, slug):
    route = _route(route)
    page = journey.page(route, slug)
    if page is None:
        raise Http404("No such question.")
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        if getattr(request, "limited", False):
            return rate_limited(request, route)
        form = journey.form_for(route, page, request.POST)
        if form.caught_in_honeypot:
            return honeypot_refused(request, route)
        if form.is_valid():
            journey.keep(request.session, route, slug, request.POST)
            if isinstance(form, q.ConsentForm) and form.cleaned_data["consent"] != "yes":
                return redirect("request-support-consent-needed")
            following = journey.next_slug(route, slug)
            if changing or following is None:
                return redirect("request-support-check", route=route)
            return redirect("request-support-question", route=route, slug=following)
        status = 400
    else:
        kept = journey.stored(request.session, route).get(slug)
        form = journey.form_for(route, page, kept) if kept else journey.form_for(route, page)
        if kept:
            form.is_valid()
            form._errors = {}  # the answers as typed, shown again; errors show only after a POST
        status = 200
    return render(
        request,
        "frontdoor/question.html",
        {
            **_chrome(route),
            "form": form,
            "page": page,
            "back_url": _back(route, slug, changing),
            "changing": changing,
        },
        status=status,
    )


def _back(route: str, slug: str, changing: bool) -> str:
    if changing:
        return reverse("request-support-check", kwargs={"route": route})
    slugs = [p.slug for p in journey.ROUTE_PAGES[route]]
    index = slugs.index(slug)
    if index == 0:
        return reverse("request-support")
    return reverse("request-support-question", kwargs={"route": route, "slug": slugs[index - 1]})


@public
@require_GET
def consent_needed(request):
    return render(request, "frontdoor/consent_needed.html", _chrome(q.PROFESSIONAL))


@public
@ratelimit(key="ip", rate=_rate("FRONTDOOR_SEND_RATE_LIMIT"), method="POST", block=False, group="frontdoor-send")
@require_http_methods(["GET", "POST"])
def check(request, route):
    """*Check your answers*, with a Change link for each page; *Send* makes the referral."""
    route = _route(route)
    if request.method == "POST" and getattr(request, "limited", False):
        return rate_limited(request, route)
    if request.method == "POST" and (request.POST.get("website") or "").strip():
        return honeypot_refused(request, route)
    try:
        answered = journey.answered_forms(request.session, route)
    except journey.Incomplete as gap:
        if request.method == "POST" and request.session.get(SENT_KEY) and not journey.stored(request.session, route):
            return redirect("request-support-sent", route=route)  # Send pressed again after it went
        return redirect("request-support-question", route=route, slug=gap.slug)
    except journey.ConsentMissing:
        return redirect("request-support-consent-needed")
    problem = None
    if request.method == "POST":
        try:
            referral = support_request_submit(
                route=route,
                send_key=journey.send_key(request.session, route),
                **journey.referral_fields(route, answered),
            )
        except (ValidationError, ApplicationError) as error:
            problem = _problem(error)
        else:
            journey.forget(request.session, route)
            request.session[SENT_KEY] = referral.reference
            return redirect("request-support-sent", route=route)
    sections = [
        {
            "title": page.section,
            "rows": form.summary(),
            "change_url": reverse("request-support-question", kwargs={"route": route, "slug": page.slug}) + "?change=1",
        }
        for page, form in answered
    ]
    return render(
        request,
        "frontdoor/check.html",
        {**_chrome(route), "sections": sections, "problem": problem},
        status=400 if problem else 200,
    )


NO_TEAM_YET = (
    "We cannot take requests online for this area yet, so nothing was sent. Check the nearest town you chose, "
    "or contact your local Early Childhood and Family Service directly. If a child is in danger now, call 999."
)


def _problem(error) -> str:
    """A refusal from the intake rules that the pages did not catch, said plainly. The one refusal that is not
    about an answer (no team covers the place yet) is said for the public, not in the words staff are told."""
    if isinstance(error, ApplicationError):
        logger.warning("request for support refused by intake: %s", error.message)
        return NO_TEAM_YET
    return " ".join(error.messages)


@public
@require_GET
def sent(request, route):
    """The confirmation: the reference and nothing else about the family."""
    route = _route(route)
    reference = request.session.get(SENT_KEY)
    if not reference:
        return redirect("request-support")
    return render(request, "frontdoor/sent.html", {**_chrome(route), "reference": reference})


@login_not_required
@never_cache
@require_GET
def exit_page(request):
    """*Exit this page*: forget every answer in this browser and leave for a neutral website."""
    journey.forget(request.session)
    request.session.pop(SENT_KEY, None)
    return redirect(settings.FRONTDOOR_EXIT_URL)
