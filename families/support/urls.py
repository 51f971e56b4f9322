from django.urls import path

from . import correction_views, views

urlpatterns = [
    path("families/<str:reference>/assessment/", views.assessment, name="family-assessment"),
    path("families/<str:reference>/plans/new/", views.plan_new, name="plan-new"),
    path("families/<str:reference>/contacts/new/", views.contact_new, name="contact-new"),
    path("families/<str:reference>/progress/new/", views.parent_progress, name="parent-progress"),
    path("families/<str:reference>/visits/new/", views.visit_new, name="visit-new"),
    path("visits/<uuid:uuid>/cancel/", views.visit_cancel, name="visit-cancel"),
    path("plans/<uuid:uuid>/", views.plan_detail, name="plan-detail"),
    path("plans/<uuid:uuid>/family-copy.pdf", views.plan_family_copy, name="plan-family-copy"),
    path("plans/<uuid:uuid>/start-scores/", views.plan_start_scores, name="plan-start-scores"),
    path("plans/<uuid:uuid>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<uuid:uuid>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<uuid:uuid>/return/", views.plan_return, name="plan-return"),
    path("plans/<uuid:uuid>/review/", views.plan_review, name="plan-review"),
    path("plans/<uuid:uuid>/close/", views.plan_close, name="plan-close"),
    path("plans/<uuid:uuid>/actions/new/", views.plan_action_add, name="plan-action-add"),
    path("plans/<uuid:uuid>/actions/<uuid:action_uuid>/done/", views.plan_action_done, name="plan-action-done"),
    path("plans/<uuid:uuid>/actions/<uuid:action_uuid>/", views.plan_action_change, name="plan-action-change"),
    path("plans/<uuid:uuid>/actions/<uuid:action_uuid>/reopen/", views.plan_action_reopen, name="plan-action-reopen"),
    path("plans/<uuid:uuid>/actions/<uuid:action_uuid>/due-date/", views.plan_action_redate, name="plan-action-redate"),
    path(
        "plans/<uuid:uuid>/actions/<uuid:action_uuid>/owner/",
        views.plan_action_reassign,
        name="plan-action-reassign",
    ),
    path("plans/<uuid:uuid>/follow-up/", views.follow_up, name="plan-follow-up"),
    # Corrections and records marked recorded in error (#17 item 3)
    path("assessments/<uuid:uuid>/", correction_views.assessment_detail, name="assessment-detail"),
    path("assessments/<uuid:uuid>/correct/", correction_views.assessment_amend, name="assessment-amend"),
    path(
        "assessments/<uuid:uuid>/recorded-in-error/",
        correction_views.assessment_in_error,
        name="assessment-in-error",
    ),
    path("plans/<uuid:uuid>/goals/<int:pk>/correct/", correction_views.goal_amend, name="plan-goal-amend"),
    path(
        "plans/<uuid:uuid>/actions/<uuid:action_uuid>/wording/",
        correction_views.action_amend,
        name="plan-action-amend",
    ),
    path("plans/<uuid:uuid>/reviews/<int:pk>/correct/", correction_views.review_amend, name="plan-review-amend"),
    path("plans/<uuid:uuid>/scores/<int:pk>/correct/", correction_views.scores_amend, name="plan-scores-amend"),
    path(
        "plans/<uuid:uuid>/scores/<int:pk>/recorded-in-error/",
        correction_views.scores_in_error,
        name="plan-scores-in-error",
    ),
    path("plans/<uuid:uuid>/follow-up/correct/", correction_views.follow_up_amend, name="plan-follow-up-amend"),
    path(
        "plans/<uuid:uuid>/follow-up/recorded-in-error/",
        correction_views.follow_up_in_error,
        name="plan-follow-up-in-error",
    ),
    path("contacts/<uuid:uuid>/", views.contact_detail, name="contact-detail"),
    path("contacts/<uuid:uuid>/correct/", views.contact_amend, name="contact-amend"),
    path("contacts/<uuid:uuid>/recorded-in-error/", views.contact_in_error, name="contact-in-error"),
    path("contacts/<uuid:uuid>/safeguarding/", views.contact_safeguarding, name="contact-safeguarding"),
    path("my-week/", views.my_week, name="my-week"),
]
