from django.urls import path

from . import views

app_name = "assistance-api"
urlpatterns = [
    path("sessions/", views.SessionListCreateApi.as_view(), name="sessions"),
    path("sessions/batch/", views.SessionBatchApi.as_view(), name="sessions-batch"),
    path("sessions/<int:pk>/", views.SessionDetailApi.as_view(), name="session-detail"),
]
