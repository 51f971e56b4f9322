"""Mounted at the root: each role's landing page, and the county pages (districts, bases, venues)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("county/", views.county, name="county"),
    path("venues/", views.venue_list, name="venue-list"),
]
