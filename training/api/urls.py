from django.urls import path

from . import views

app_name = "training-api"
urlpatterns = [
    path("workshops/", views.WorkshopListCreateApi.as_view(), name="workshops"),
    path(
        "workshops/<int:pk>/",
        views.WorkshopDetailApi.as_view(),
        name="workshop-detail",
    ),
]
