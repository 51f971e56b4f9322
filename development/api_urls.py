"""The child development API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import DevelopmentReviewViewSet

router = SimpleRouter()
router.register("development-reviews", DevelopmentReviewViewSet, basename="api-development-review")

urlpatterns = router.urls
