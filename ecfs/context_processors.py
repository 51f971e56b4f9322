"""The service header: who is signed in, in which role, and where they can go."""

from django.urls import reverse

from .roles import Role, has_role, primary_role


def _nav_for(user) -> list[tuple[str, str]]:
    items = [("Home", reverse("home"))]
    if has_role(user, Role.MANAGER):
        items.append(("Triage queue", reverse("triage-queue")))
        items.append(("Families", reverse("family-list")))
    elif has_role(user, Role.WORKER):
        items.append(("My families", reverse("family-list")))
    if has_role(user, Role.MANAGER) or has_role(user, Role.WORKER):
        items.append(("My week", reverse("my-week")))
        items.append(("Advice log", reverse("advice-log")))
        items.append(("Groups", reverse("group-list")))
        items.append(("Fund", reverse("fund-home")))
        items.append(("Record a referral", reverse("referral-new")))
    if any(has_role(user, role) for role in (Role.MANAGER, Role.ADMIN, Role.COMMISSIONER)):
        items.append(("Returns", reverse("return-list")))
        items.append(("Dashboard", reverse("county-dashboard")))
    items += [("County", reverse("county")), ("Venues", reverse("venue-list"))]
    # The community groups register is for every member of staff (no family in it); grants are inside it.
    items.append(("Community groups", reverse("community-group-list")))
    # Workforce (supervision, training, DBS checks): the admin and managers see staff; a worker their own record.
    if has_role(user, Role.ADMIN) or has_role(user, Role.MANAGER):
        items.append(("Workforce", reverse("workforce-home")))
    elif has_role(user, Role.WORKER):
        items.append(("My supervision and training", reverse("workforce-mine")))
    if has_role(user, Role.ADMIN):
        items.append(("Fund budgets", reverse("fund-budgets")))
        items.append(("Imports", reverse("import-home")))
        items.append(("Audit", reverse("audit-search")))
        items.append(("Subject access", reverse("subject-access-list")))
        items.append(("Retention", reverse("privacy-retention")))
    if has_role(user, Role.ADMIN) and user.is_staff:
        items.append(("Configuration", reverse("admin:index")))
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = primary_role(user)
    path = request.path
    nav_items = []
    for label, url in _nav_for(user):
        active = path == url if url == "/" else path.startswith(url)
        nav_items.append({"label": label, "url": url, "active": active})
    return {
        "role_label": role.label if role else "No role assigned",
        "nav_items": nav_items,
        # The header's "Find a family" (families/search.py): the roles that see families.
        "can_search_families": has_role(user, Role.MANAGER) or has_role(user, Role.WORKER),
    }
