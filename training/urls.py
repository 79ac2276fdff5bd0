from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.field_training, name="field_training"),
    path("workshop/", views.workshop_log, name="workshop_log"),
]
