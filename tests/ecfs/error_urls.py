"""The project's URLs plus one view that fails, for the error-page test."""

from django.urls import path

from ecfs.urls import handler500  # noqa: F401  (the project's 500 handler)
from ecfs.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("could not save jo.bloggs@example.org at NR30 1AB, phone 07700 900123")


urlpatterns = [*project_urlpatterns, path("broken/", broken)]
