from django.urls import path

from . import views

urlpatterns = [
    path("", views.workforce_home, name="workforce-home"),
    path("mine/", views.workforce_mine, name="workforce-mine"),
    path("staff/<int:pk>/", views.member_detail, name="workforce-member"),
    path("staff/<int:pk>/supervision/", views.supervision_new, name="workforce-supervision-new"),
    path("staff/<int:pk>/training/", views.training_new, name="workforce-training-new"),
    path("staff/<int:pk>/dbs/", views.background_check_new, name="workforce-dbs-new"),
    path("vacancies/", views.vacancy_list, name="workforce-vacancies"),
    path("vacancies/new/", views.vacancy_new, name="workforce-vacancy-new"),
    path("vacancies/<uuid:uuid>/filled/", views.vacancy_fill, name="workforce-vacancy-fill"),
]
