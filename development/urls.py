from django.urls import path

from . import views

urlpatterns = [
    path("families/<str:reference>/development/", views.development_list, name="development-list"),
    path(
        "families/<str:reference>/children/<uuid:person>/development/new/",
        views.review_add,
        name="development-review-add",
    ),
    path("families/<str:reference>/children/<uuid:person>/eyfs/new/", views.eyfs_add, name="development-eyfs-add"),
    path("development/<uuid:uuid>/", views.review_detail, name="development-review-detail"),
    path("development/<uuid:uuid>/correct/", views.review_amend, name="development-review-amend"),
    path("development/<uuid:uuid>/in-error/", views.review_in_error, name="development-review-in-error"),
]
