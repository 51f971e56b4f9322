"""The imports pages (mounted at ``imports/``): the upload page for service admins, reviews for managers."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_home, name="import-home"),
    path("reviews/", views.review_list, name="import-review-list"),
    path("reviews/<uuid:uuid>/", views.review_detail, name="import-review"),
]
