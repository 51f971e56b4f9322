"""The project's URLs plus the API, until ``path("api/", include("ecfs.api.urls"))`` is in ecfs/urls.py."""

from django.urls import include, path

from ecfs.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(str(getattr(pattern, "pattern", "")) == "api/" for pattern in urlpatterns):
    urlpatterns.append(path("api/", include("ecfs.api.urls")))
