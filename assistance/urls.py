from django.urls import path

from . import views, views_visits

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
    path("visits/", views_visits.visits, name="visits"),
    path(
        "visits/<int:household>/assign/",
        views_visits.visit_assign,
        name="visit_assign",
    ),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
