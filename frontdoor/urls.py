from django.urls import path, re_path

from . import views

ROUTE = r"(?P<route>professional|family)"

urlpatterns = [
    path("", views.start, name="request-support"),
    path("exit/", views.exit_page, name="request-support-exit"),
    path("professional/consent-needed/", views.consent_needed, name="request-support-consent-needed"),
    re_path(rf"^{ROUTE}/check-your-answers/$", views.check, name="request-support-check"),
    re_path(rf"^{ROUTE}/sent/$", views.sent, name="request-support-sent"),
    re_path(rf"^{ROUTE}/(?P<slug>[a-z-]+)/$", views.question, name="request-support-question"),
]
