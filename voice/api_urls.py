"""The complaints log API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import ComplaintViewSet

router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="api-complaints")

urlpatterns = router.urls
