"""The support plans and contacts API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import ContactViewSet, PlanViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="api-plan")
router.register("contacts", ContactViewSet, basename="api-contact")

urlpatterns = router.urls
