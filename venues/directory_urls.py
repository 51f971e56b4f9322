"""The public community directory feed (mounted at ``directory/``): see docs/directory-feed.md."""

from django.urls import path

from . import directory

urlpatterns = [
    path("services/", directory.service_list, name="directory-services"),
    path("services/<str:id>/", directory.service_detail, name="directory-service"),
    path("locations/", directory.location_list, name="directory-locations"),
    path("sessions/", directory.session_list, name="directory-sessions"),
]
