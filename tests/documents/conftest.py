import pytest


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    """Each test's documents in a directory of its own (the local default storage, as configured)."""
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root
