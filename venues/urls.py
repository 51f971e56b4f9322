from django.urls import path

from . import views

urlpatterns = [
    path("", views.group_list, name="group-list"),
    path("programmes/", views.programme_list, name="group-programme-list"),
    path("courses/new/", views.course_new, name="group-course-new"),
    path("courses/<uuid:uuid>/", views.course_detail, name="group-course-detail"),
    path("courses/<uuid:uuid>/enrol/", views.course_enrol, name="group-course-enrol"),
    path("courses/<uuid:uuid>/enrol/families/", views.course_enrol_families, name="group-course-enrol-families"),
    path("courses/<uuid:uuid>/facilitators/", views.course_facilitators, name="group-course-facilitators"),
    path("sessions/<uuid:uuid>/", views.session_detail, name="group-session-detail"),
    path("sessions/<uuid:uuid>/register/", views.session_register, name="group-session-register"),
    path(
        "sessions/<uuid:uuid>/register/families/",
        views.session_register_families,
        name="group-session-register-families",
    ),
    path("sessions/<uuid:uuid>/register/mark/", views.session_register_mark, name="group-session-register-mark"),
    path(
        "sessions/<uuid:uuid>/register/new-family/", views.session_register_family, name="group-session-register-family"
    ),
    path("enrolments/<uuid:uuid>/measures/", views.enrolment_measures, name="group-enrolment-measures"),
]
