"""The referrals API's routes (staff, and partner systems), included by ``ecfs.api.urls`` under /api/."""

from rest_framework.routers import SimpleRouter

from .api import PartnerReferralViewSet, ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("partner/referrals", PartnerReferralViewSet, basename="api-partner-referral")

urlpatterns = router.urls
