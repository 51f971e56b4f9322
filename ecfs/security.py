"""Small security helpers used by settings."""


def axes_username(request, credentials) -> str:
    """Lock out by the email address as typed in any case, so ``Jo@x`` and ``jo@x`` share one count."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return raw.strip().lower()
