from django.urls import path

from . import views

urlpatterns = [
    path("account/messages/", views.preferences, name="message-preferences"),
    path("families/<str:reference>/messages/", views.family_messages, name="family-messages"),
    path("families/<str:reference>/reminders/stop/", views.family_reminders_stop, name="family-reminders-stop"),
    path("reminders/stop/<str:token>/", views.reminders_stop_public, name="reminders-stop-public"),
]
