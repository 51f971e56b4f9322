"""The API's URLs, mounted at /api/. Names start with ``api-`` (not namespaced, for the permission table)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from families.api import FamilyViewSet, PersonViewSet
from families.support.api import ContactViewSet, PlanViewSet
from referrals.api import PartnerReferralViewSet, ReferralViewSet
from support_fund.api import ApplicationViewSet
from venues.api import CourseViewSet, SessionViewSet

from .views import DocsView, SchemaView

router = SimpleRouter()
router.register("families", FamilyViewSet, basename="api-family")
router.register("people", PersonViewSet, basename="api-person")
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("plans", PlanViewSet, basename="api-plan")
router.register("contacts", ContactViewSet, basename="api-contact")
router.register("group-courses", CourseViewSet, basename="api-course")
router.register("group-sessions", SessionViewSet, basename="api-session")
router.register("fund-applications", ApplicationViewSet, basename="api-fund-application")
router.register("partner/referrals", PartnerReferralViewSet, basename="api-partner-referral")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(), name="api-docs"),
    *router.urls,
]
