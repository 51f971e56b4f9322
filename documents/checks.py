"""A local documents root inside a served directory would publish families' files: refuse to start."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from .storage import DOCUMENTS_STORAGE_ALIAS


@register()
def documents_root_is_private(app_configs=None, **kwargs):
    options = settings.STORAGES.get(DOCUMENTS_STORAGE_ALIAS, {}).get("OPTIONS", {})
    location = options.get("location")
    if not location:
        return []
    root = Path(location).resolve()
    served = [Path(path).resolve() for path in (settings.MEDIA_ROOT, settings.STATIC_ROOT) if path]
    for entry in getattr(settings, "STATICFILES_DIRS", ()):
        served.append(Path(entry[1] if isinstance(entry, tuple | list) else entry).resolve())
    clashes = [path for path in served if root == path or path in root.parents or root in path.parents]
    if clashes:
        return [
            Error(
                f"DOCUMENTS_ROOT ({root}) overlaps a served directory ({clashes[0]})",
                hint="Keep documents outside MEDIA_ROOT, STATIC_ROOT and the static directories.",
                id="documents.E001",
            )
        ]
    return []
