from django.urls import path

from . import views

urlpatterns = [
    path("", views.return_list, name="return-list"),
    path("requests/<uuid:uuid>/", views.return_progress, name="return-progress"),
    path("<uuid:uuid>/", views.return_detail, name="return-detail"),
    path("<uuid:uuid>/submit/", views.return_submit, name="return-submit"),
    path("<uuid:uuid>/return.pdf", views.return_download, {"fmt": "pdf"}, name="return-pdf"),
    path("<uuid:uuid>/return.csv", views.return_download, {"fmt": "csv"}, name="return-csv"),
    path(
        "<uuid:uuid>/definitions.csv",
        views.return_download,
        {"fmt": "definitions"},
        name="return-definitions-csv",
    ),
    path("dashboard/", views.county_dashboard, name="county-dashboard"),
]
