"""The service admin's staff pages: who works here, add a member of staff on one page, deactivate one,
reset their two-factor authentication. Django's admin stays for superusers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from bases import services as base_services
from bases.models import Team
from ecfs.accounts import services as account_services
from ecfs.roles import Role, primary_role
from ecfs.view_helpers import form_post, require_role
from families.models import Allocation

from .forms import StaffAddForm, StaffDeactivateForm

LINK_SESSION_KEY = "staff_set_password_link"


def _staff():
    User = get_user_model()
    return (
        User.objects.filter(is_superuser=False)
        .select_related("staff_profile__team__base")
        .prefetch_related("groups")
        .annotate(
            two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .order_by("-is_active", "last_name", "first_name")
    )


def _member(pk):
    return get_object_or_404(_staff().prefetch_related(Prefetch("managed_teams", Team.objects.all())), pk=pk)


def _rows(users):
    by_label = {role.label: role for role in Role}
    for user in users:
        user._ecfs_roles = {by_label[group.name] for group in user.groups.all() if group.name in by_label}
        user.role = primary_role(user)
        profile = getattr(user, "staff_profile", None)
        user.team = profile.team if profile else None
        yield user


@require_GET
def staff_list(request):
    require_role(request.user, Role.ADMIN)
    return render(request, "staff/list.html", {"staff": list(_rows(_staff()))})


@require_http_methods(["GET", "POST"])
def staff_add(request):
    require_role(request.user, Role.ADMIN)

    def add(form):
        user = base_services.staff_add(actor=request.user, **form.cleaned_data)
        request.session[LINK_SESSION_KEY] = {
            "user": user.pk,
            "link": base_services.set_password_link(actor=request.user, user=user, request=request),
        }
        return user

    return form_post(
        request,
        StaffAddForm,
        call=add,
        success=lambda user: f"{user.get_full_name()} added.",
        redirect_to=lambda user: redirect("staff-added", user.pk),
        template="staff/add.html",
    )


@require_GET
def staff_added(request, pk):
    """The set-password link, shown once: it is taken out of the session as the page shows it."""
    require_role(request.user, Role.ADMIN)
    member = _member(pk)
    held = request.session.get(LINK_SESSION_KEY) or {}
    link = None
    if held.get("user") == member.pk:
        link = held["link"]
        del request.session[LINK_SESSION_KEY]
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    return render(
        request,
        "staff/added.html",
        {"member": next(_rows([member])), "link": link, "valid_for": f"{days} day{'s' if days != 1 else ''}"},
    )


@require_POST
def staff_set_password_link(request, pk):
    """A new set-password link (the first was lost, or expired); the earlier ones keep working until used."""
    require_role(request.user, Role.ADMIN)
    member = _member(pk)
    if not member.is_active:
        messages.error(request, f"{member.get_full_name()} is deactivated: they cannot sign in.")
        return redirect("staff-detail", member.pk)
    request.session[LINK_SESSION_KEY] = {
        "user": member.pk,
        "link": base_services.set_password_link(actor=request.user, user=member, request=request),
    }
    return redirect("staff-added", member.pk)


def _open_allocations(member):
    return list(
        Allocation.objects.filter(worker=member, ended_at__isnull=True)
        .select_related("family")
        .order_by("family__reference")
    )


@require_GET
def staff_detail(request, pk):
    require_role(request.user, Role.ADMIN)
    member = _member(pk)
    return render(
        request,
        "staff/detail.html",
        {"member": next(_rows([member])), "allocations": _open_allocations(member)},
    )


@require_http_methods(["GET", "POST"])
def staff_deactivate(request, pk):
    require_role(request.user, Role.ADMIN)
    member = _member(pk)
    return form_post(
        request,
        StaffDeactivateForm,
        call=lambda form: base_services.staff_deactivate(
            actor=request.user, user=member, reason=form.cleaned_data["reason"]
        ),
        success=f"{member.get_full_name()} is deactivated and can no longer sign in.",
        redirect_to=lambda user: redirect("staff-detail", user.pk),
        template="staff/deactivate.html",
        context=lambda: {"member": next(_rows([member])), "allocations": _open_allocations(member)},
    )


@require_POST
def staff_two_factor_reset(request, pk):
    require_role(request.user, Role.ADMIN)
    member = _member(pk)
    removed = account_services.two_factor_reset(user=member, actor=request.user)
    if removed:
        messages.success(
            request,
            f"Two-factor authentication reset for {member.get_full_name()}. "
            "They set up a new authenticator app the next time they sign in.",
        )
    else:
        messages.success(request, f"{member.get_full_name()} had no authenticator app to remove.")
    return redirect("staff-detail", member.pk)
