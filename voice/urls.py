"""Staff pages of families' voice, under /voice/: feedback received, the complaints log, digital reach."""

from django.urls import path

from . import views

urlpatterns = [
    path("feedback/", views.feedback_list, name="voice-feedback-list"),
    path("feedback/<uuid:uuid>/", views.feedback_detail, name="voice-feedback-detail"),
    path("complaints/", views.complaint_list, name="voice-complaint-list"),
    path("complaints/new/", views.complaint_new, name="voice-complaint-new"),
    path("complaints/<uuid:uuid>/", views.complaint_detail, name="voice-complaint-detail"),
    path("complaints/<uuid:uuid>/response/", views.complaint_respond, name="voice-complaint-respond"),
    path("complaints/<uuid:uuid>/correct/", views.complaint_correct, name="voice-complaint-correct"),
    path("digital-reach/", views.digital_reach, name="voice-digital-reach"),
]
