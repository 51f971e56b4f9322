from django.urls import path

from . import views

urlpatterns = [
    path("families/<str:reference>/documents/new/", views.document_add, name="document-add"),
    path("documents/<uuid:uuid>/download/", views.document_download, name="document-download"),
    path("documents/<uuid:uuid>/in-error/", views.document_in_error, name="document-in-error"),
]
