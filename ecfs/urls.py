from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from . import views
from .accounts import views as account_views

admin.site.site_header = "ECFS Case configuration"
admin.site.site_title = "ECFS Case"

urlpatterns = [
    path("", include("home.urls")),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/code/", account_views.two_factor_verify, name="two-factor-verify"),
    path("account/", views.account, name="account"),
    path("account/two-factor/", account_views.two_factor_setup, name="two-factor-setup"),
    path("account/set-password/<uidb64>/<token>/", account_views.SetPasswordView.as_view(), name="set-password"),
    path(
        "account/two-factor/recovery-codes/", account_views.two_factor_recovery_codes, name="two-factor-recovery-codes"
    ),
    path("", include("families.support.urls")),
    path("", include("notifications.urls")),
    path("families/", include("families.urls")),
    # Documents on the family record: upload on the family, download and correct by the document's uuid.
    path("", include("documents.urls")),
    # Child development evidence (ASQ-3 reviews, EYFS results): listed and added on the family, changed by uuid.
    path("", include("development.urls")),
    # Team around the family meetings and onward referrals: added on the family, then by their uuid.
    path("", include("partnership.urls")),
    path("referrals/", include("referrals.urls")),
    path("fund/", include("support_fund.urls")),
    path("advice/", include("advice.urls")),
    path("groups/", include("venues.urls")),
    path("returns/", include("reporting.urls")),
    path("api/", include("ecfs.api.urls")),
    path("audit/", include("ecfs.audit.urls")),
    path("privacy/", include("privacy.urls")),
    path("community/", include("community.urls")),
    # Workforce: staff in post, vacancies, supervision, mandatory training and DBS checks (not family records).
    path("workforce/", include("workforce.urls")),
    # The Open Referral UK feed: ECFS's courses (venues) and the community groups' own services (community).
    path("directory/", include("community.directory_urls")),
    path("imports/", include("imports.urls")),
    # The public request for support (no sign-in).
    path("request-support/", include("frontdoor.urls")),
    # Families' voice: the public feedback form (no sign-in), and the staff pages (feedback, complaints, digital reach).
    path("feedback/", include("voice.public_urls")),
    path("voice/", include("voice.urls")),
    path("healthz", views.healthz, name="healthz"),
    # One sign-in page for the whole service, the configuration screens included.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
]

handler400 = "ecfs.views.bad_request"
handler404 = "ecfs.views.page_not_found"
handler500 = "ecfs.views.server_error"
