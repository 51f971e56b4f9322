from django.urls import path

from . import views

urlpatterns = [
    path("", views.triage_queue, name="triage-queue"),
    path("new/", views.referral_new, name="referral-new"),
    path("<uuid:uuid>/", views.referral_detail, name="referral-detail"),
    path("<uuid:uuid>/decision/", views.referral_decide, name="referral-decide"),
    path("<uuid:uuid>/allocate/", views.referral_allocate, name="referral-allocate"),
    path("<uuid:uuid>/first-contact/", views.referral_first_contact, name="referral-first-contact"),
    path("<uuid:uuid>/correct/", views.referral_correct, name="referral-correct"),
]
