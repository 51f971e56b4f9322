"""The advice log API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import AdviceViewSet

router = SimpleRouter()
router.register("advice", AdviceViewSet, basename="api-advice")

urlpatterns = router.urls
