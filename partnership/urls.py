from django.urls import path

from . import views

urlpatterns = [
    path("families/<str:reference>/taf-meetings/new/", views.meeting_add, name="taf-meeting-add"),
    path("taf-meetings/<uuid:uuid>/", views.meeting_detail, name="taf-meeting-detail"),
    path("taf-meetings/<uuid:uuid>/correct/", views.meeting_correct, name="taf-meeting-correct"),
    path(
        "taf-meetings/<uuid:uuid>/actions/<uuid:action_uuid>/done/",
        views.meeting_action_done,
        name="taf-meeting-action-done",
    ),
    path("families/<str:reference>/onward-referrals/new/", views.onward_referral_add, name="onward-referral-add"),
    path("onward-referrals/<uuid:uuid>/", views.onward_referral_detail, name="onward-referral-detail"),
    path("onward-referrals/<uuid:uuid>/outcome/", views.onward_referral_outcome, name="onward-referral-outcome"),
]
