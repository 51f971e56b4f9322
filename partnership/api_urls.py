"""The partnership API's routes, included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import OnwardReferralViewSet, TafMeetingViewSet

router = SimpleRouter()
router.register("taf-meetings", TafMeetingViewSet, basename="api-taf-meeting")
router.register("onward-referrals", OnwardReferralViewSet, basename="api-onward-referral")

urlpatterns = router.urls
