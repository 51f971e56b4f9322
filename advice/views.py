"""The advice log's pages: record advice (one page), the team's log with filters, one entry."""

from functools import partial

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from ecfs.audit.services import audit_view
from ecfs.roles import Role
from ecfs.view_helpers import form_post, require_role
from families.selectors import family_list

from . import selectors, services
from .forms import AdviceForm, LinkReferralForm, LogFilterForm

PAGE_SIZE = 25


def _front_line(request) -> None:
    require_role(request.user, Role.WORKER, Role.MANAGER)


def _query_of(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def advice_log(request):
    _front_line(request)
    bound = any(name != "page" for name in request.GET)
    form = LogFilterForm(request.GET if bound else None)
    if bound and not form.is_valid():
        entries = selectors.advice_list(user=request.user).none()
    else:
        data = form.cleaned_data if bound else {}
        entries = selectors.advice_log(
            user=request.user,
            filters=selectors.LogFilters(
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                channel=data.get("channel") or "",
                topic=data.get("topic"),
            ),
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "advice/log.html",
        {"form": form, "page": page, "query": _query_of(request), "invalid": bool(bound and form.errors)},
    )


@require_http_methods(["GET", "POST"])
def advice_new(request):
    _front_line(request)
    family = None
    if request.GET.get("family"):
        family = family_list(user=request.user).filter(reference=request.GET["family"]).first()
    return form_post(
        request,
        partial(AdviceForm, user=request.user, family=family),
        call=lambda form: services.advice_record(actor=request.user, **form.service_kwargs()),
        success="Advice recorded.",
        redirect_to="advice-new",
        template="advice/new.html",
    )


def advice_detail(request, uuid):
    _front_line(request)
    entry = selectors.advice_get(user=request.user, uuid=uuid)
    if entry.family_id and entry.family_visible:
        audit_view(actor=request.user, obj=entry, family=entry.family, what="an advice entry")
    return render(
        request,
        "advice/detail.html",
        {"entry": entry, "form": LinkReferralForm(user=request.user)},
    )


@require_POST
def advice_link_referral(request, uuid):
    _front_line(request)
    entry = selectors.advice_get(user=request.user, uuid=uuid)
    return form_post(
        request,
        partial(LinkReferralForm, user=request.user),
        call=lambda form: services.advice_link_referral(entry=entry, referral=form.referral, actor=request.user),
        success="The referral is linked.",
        redirect_to=lambda linked: linked.get_absolute_url(),
        template="advice/detail.html",
        context={"entry": entry},
    )
