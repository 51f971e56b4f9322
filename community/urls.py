from django.urls import path

from . import views

urlpatterns = [
    path("groups/", views.group_list, name="community-group-list"),
    path("groups/add/", views.group_add, name="community-group-add"),
    path("groups/<uuid:uuid>/", views.group_detail, name="community-group-detail"),
    path("groups/<uuid:uuid>/edit/", views.group_edit, name="community-group-edit"),
    path("groups/<uuid:uuid>/checked/", views.group_checked, name="community-group-checked"),
    path("gaps/", views.gaps, name="community-gaps"),
    path("connect/<str:reference>/", views.connect, name="community-connect"),
    path("connections/<uuid:uuid>/outcome/", views.connection_outcome, name="community-connection-outcome"),
    path("follow-ups/", views.follow_ups, name="community-follow-ups"),
    path("grants/", views.grant_list, name="community-grant-list"),
    path("grants/new/", views.grant_new, name="community-grant-new"),
    path("grants/budget/", views.grant_budget, name="community-grant-budget"),
    path("grants/<uuid:uuid>/", views.grant_detail, name="community-grant-detail"),
    path("grants/<uuid:uuid>/assess/", views.grant_assess, name="community-grant-assess"),
    path("grants/<uuid:uuid>/decision/", views.grant_decide, name="community-grant-decide"),
    path("grants/<uuid:uuid>/payment/", views.grant_pay, name="community-grant-pay"),
    path("grants/<uuid:uuid>/monitoring/", views.grant_monitor, name="community-grant-monitoring"),
    path("grants/<uuid:uuid>/withdraw/", views.grant_withdraw, name="community-grant-withdraw"),
]
