"""The families API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import FamilyViewSet, PersonViewSet

router = SimpleRouter()
router.register("families", FamilyViewSet, basename="api-family")
router.register("people", PersonViewSet, basename="api-person")

urlpatterns = router.urls
