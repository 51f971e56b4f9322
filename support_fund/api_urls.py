"""The family support fund API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import ApplicationViewSet

router = SimpleRouter()
router.register("fund-applications", ApplicationViewSet, basename="api-fund-application")

urlpatterns = router.urls
