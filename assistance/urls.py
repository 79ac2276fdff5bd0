from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("", views.field_home, name="field_home"),
]
