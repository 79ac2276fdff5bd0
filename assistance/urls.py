from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("", views.field_home, name="field_home"),
    path("log/", views.session_log, name="log"),
    path("find/", views.find, name="find"),
    path("households/new/", views.household_new, name="household_new"),
    path("households.json", views.households_index, name="households_index"),
    path("sessions/", views.recent, name="recent"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
