"""Documents are never kept where the web server or WhiteNoise would serve them (the system check)."""

from documents.checks import documents_root_is_private


def _local(settings, location):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
    }


def test_a_documents_root_inside_media_root_stops_start_up(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    _local(settings, tmp_path / "media" / "documents")
    [error] = documents_root_is_private()
    assert error.id == "documents.E001"
    assert "overlaps a served directory" in error.msg


def test_a_documents_root_of_its_own_passes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    _local(settings, tmp_path / "private" / "documents")
    assert documents_root_is_private() == []


def test_object_storage_has_no_local_root_to_check(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "ecfs-documents"}},
    }
    assert documents_root_is_private() == []
