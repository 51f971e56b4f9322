"""Where documents are kept: the ``documents`` entry of ``STORAGES``, never the public media storage.

The model's file field asks ``documents_storage`` (a callable, so migrations do not record the backend);
the storage itself is resolved lazily and again whenever a test changes ``STORAGES``.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

DOCUMENTS_STORAGE_ALIAS = "documents"


class _DocumentStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[DOCUMENTS_STORAGE_ALIAS]


document_storage = _DocumentStorage()


def documents_storage():
    return document_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        document_storage._wrapped = empty
