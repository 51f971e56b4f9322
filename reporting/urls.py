from django.urls import path

from . import configuration, views

urlpatterns = [
    path("kpi-targets/", configuration.kpi_targets, name="kpi-targets"),
    path("kpi-targets/<str:code>/", configuration.kpi_target_edit, name="kpi-target-edit"),
    path("budget-actuals/", configuration.budget_actuals, name="budget-actuals"),
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
    path("reach/", views.reach_dashboard, name="reach-dashboard"),
]
