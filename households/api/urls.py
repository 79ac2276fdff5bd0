from django.urls import path

from . import views

app_name = "households-api"
urlpatterns = [
    path("households/", views.HouseholdCreateApi.as_view(), name="households"),
]
