from django.urls import path

from . import registration_views, search_views, views

urlpatterns = [
    path("", views.family_list, name="family-list"),
    path("search/", search_views.family_search_page, name="family-search"),
    path("register/", registration_views.family_register_page, name="family-register"),
    path("<str:reference>/", views.family_detail, name="family-detail"),
    path("<str:reference>/household/", views.family_edit, name="family-edit"),
    path("<str:reference>/members/new/", views.member_add, name="family-member-add"),
    path(
        "<str:reference>/members/<uuid:uuid>/early-education/",
        views.person_early_education,
        name="person-early-education",
    ),
    path("<str:reference>/members/<uuid:uuid>/correct/", views.person_amend, name="person-amend"),
    path("<str:reference>/professionals/new/", views.professional_add, name="family-professional-add"),
    path("<str:reference>/reallocate/", views.family_reallocate, name="family-reallocate"),
    path("<str:reference>/co-worker/", views.family_add_co_worker, name="family-co-worker"),
    path("<str:reference>/restriction/", views.family_restrict, name="family-restrict"),
    path("<str:reference>/restriction/lift/", views.family_unrestrict, name="family-unrestrict"),
    path("<str:reference>/address/withheld/", views.family_address_withheld, name="family-address-withheld"),
    path("<str:reference>/legal-hold/", views.family_legal_hold, name="family-legal-hold"),
]
