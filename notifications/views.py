"""Your message preferences, a family's messages and stopping its reminders (staff, and the family's own
link in a reminder)."""

from django.contrib import messages as banners
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecfs.audit.services import audit_view
from ecfs.roles import Role
from ecfs.view_helpers import form_post, require_role
from families.access import is_allocated, manages_family
from families.selectors import family_get

from . import selectors, services
from .forms import PreferencesForm


@require_http_methods(["GET", "POST"])
def preferences(request):
    require_role(request.user, Role.MANAGER, Role.WORKER)
    current = selectors.preferences_of(user=request.user)
    return form_post(
        request,
        lambda **kwargs: PreferencesForm(current=current, **kwargs),
        call=lambda form: services.preferences_set(user=request.user, choices=form.cleaned_data),
        success="Your message preferences are saved.",
        redirect_to="message-preferences",
        template="notifications/preferences.html",
    )


def _may_stop_reminders(user, family) -> bool:
    return manages_family(user, family) or is_allocated(user, family)


@require_GET
def family_messages(request, reference):
    family = family_get(user=request.user, reference=reference)
    audit_view(actor=request.user, obj=family, family=family, what="the family's messages")
    return render(
        request,
        "notifications/family_messages.html",
        {
            "family": family,
            "messages_sent": selectors.family_messages(family=family),
            "may_stop_reminders": family.reminders_wanted and _may_stop_reminders(request.user, family),
        },
    )


@require_POST
def family_reminders_stop(request, reference):
    family = family_get(user=request.user, reference=reference)
    if not _may_stop_reminders(request.user, family):
        raise PermissionDenied("Only the family's workers and its base's team managers can stop its reminders.")
    if services.reminders_stop(family=family, actor=request.user, how="by a member of staff"):
        banners.success(request, "Reminders stopped. The family will not be sent any more.")
    return redirect("family-messages", reference=family.reference)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def reminders_stop_public(request, token):
    """The link in a reminder. GET asks (mail scanners open links); POST stops them. Nothing about the family
    is shown: whoever holds the link learns nothing from it."""
    family = services.family_from_stop_token(token)
    if family is None:
        return render(request, "notifications/stop_reminders.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.reminders_stop(family=family, actor=None, how="through the link in a reminder")
        return render(request, "notifications/stop_reminders.html", {"stopped": True})
    return render(request, "notifications/stop_reminders.html", {})
