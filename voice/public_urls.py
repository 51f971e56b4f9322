"""The public feedback form (no sign-in), under /feedback/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.feedback, name="feedback"),
    path("thank-you/", views.feedback_sent, name="feedback-sent"),
]
