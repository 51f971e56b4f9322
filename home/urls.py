"""Mounted at the root: each role's landing page, and the county pages (districts, bases, venues)."""

from django.urls import path

from venues import assessment

from . import staff, views

urlpatterns = [
    path("", views.home, name="home"),
    path("county/", views.county, name="county"),
    path("venues/", views.venue_list, name="venue-list"),
    path("venues/accessibility/", assessment.venue_admin_list, name="venue-admin-list"),
    path("venues/<int:pk>/accessibility/", assessment.venue_assessment, name="venue-assessment"),
    path("staff/", staff.staff_list, name="staff-list"),
    path("staff/add/", staff.staff_add, name="staff-add"),
    path("staff/<int:pk>/", staff.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/added/", staff.staff_added, name="staff-added"),
    path("staff/<int:pk>/set-password-link/", staff.staff_set_password_link, name="staff-set-password-link"),
    path("staff/<int:pk>/deactivate/", staff.staff_deactivate, name="staff-deactivate"),
    path("staff/<int:pk>/two-factor-reset/", staff.staff_two_factor_reset, name="staff-two-factor-reset"),
]
