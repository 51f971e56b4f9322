from django.urls import path

from . import limits, views

urlpatterns = [
    path("", views.fund_home, name="fund-home"),
    path("apply/<str:reference>/", views.apply, name="fund-apply"),
    path("applications/<uuid:uuid>/", views.application_detail, name="fund-application"),
    path("applications/<uuid:uuid>/decision/", views.decide, name="fund-decide"),
    path("applications/<uuid:uuid>/payment/", views.pay, name="fund-pay"),
    path("applications/<uuid:uuid>/cancel/", views.cancel, name="fund-cancel"),
    path("applications/<uuid:uuid>/submit/", views.submit, name="fund-submit"),
    path("applications/<uuid:uuid>/correct/", views.correct, name="fund-correct"),
    path("dashboard/", views.dashboard, name="fund-dashboard"),
    path("dashboard.csv", views.export_csv, name="fund-export"),
    path("budgets/", views.budgets, name="fund-budgets"),
    path("limits/", limits.fund_limits, name="fund-limits"),
    path("budgets/<uuid:uuid>/adjust/", views.budget_adjust, name="fund-budget-adjust"),
]
