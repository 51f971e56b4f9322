from django.urls import path

from . import views

urlpatterns = [
    path("", views.family_list, name="family-list"),
    path("<str:reference>/", views.family_detail, name="family-detail"),
    path("<str:reference>/household/", views.family_edit, name="family-edit"),
    path("<str:reference>/members/new/", views.member_add, name="family-member-add"),
    path("<str:reference>/professionals/new/", views.professional_add, name="family-professional-add"),
    path("<str:reference>/reallocate/", views.family_reallocate, name="family-reallocate"),
    path("<str:reference>/co-worker/", views.family_add_co_worker, name="family-co-worker"),
]
