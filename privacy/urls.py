from django.urls import path

from . import views

urlpatterns = [
    path("subject-access/", views.subject_access_list, name="subject-access-list"),
    path("subject-access/new/", views.subject_access_new, name="subject-access-new"),
    path("subject-access/<uuid:uuid>/", views.subject_access_detail, name="subject-access-detail"),
    path("subject-access/<uuid:uuid>/release/", views.subject_access_release, name="subject-access-release"),
    path("subject-access/<uuid:uuid>/bundle.<str:kind>", views.subject_access_download, name="subject-access-bundle"),
    path(
        "subject-access/<uuid:uuid>/documents/<uuid:document>/",
        views.subject_access_document,
        name="subject-access-document",
    ),
    path("retention/", views.retention, name="privacy-retention"),
]
