"""The group courses and sessions API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import CourseViewSet, SessionViewSet

router = SimpleRouter()
router.register("group-courses", CourseViewSet, basename="api-course")
router.register("group-sessions", SessionViewSet, basename="api-session")

urlpatterns = router.urls
