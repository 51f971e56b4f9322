"""The community groups register's and the community grants' API routes, included by ``ecfs.api.urls``."""

from rest_framework.routers import SimpleRouter

from .api import CommunityGroupViewSet, GrantViewSet

router = SimpleRouter()
router.register("community-groups", CommunityGroupViewSet, basename="api-community-group")
router.register("community-grants", GrantViewSet, basename="api-community-grant")

urlpatterns = router.urls
