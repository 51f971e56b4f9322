from django.urls import path

from . import views

urlpatterns = [
    path("", views.advice_log, name="advice-log"),
    path("new/", views.advice_new, name="advice-new"),
    path("<uuid:uuid>/", views.advice_detail, name="advice-detail"),
    path("<uuid:uuid>/referral/", views.advice_link_referral, name="advice-link-referral"),
]
