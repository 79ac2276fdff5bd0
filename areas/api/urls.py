from django.urls import path

from . import views

app_name = "areas-api"
urlpatterns = [
    path("areas/provinces/", views.ProvinceListApi.as_view(), name="provinces"),
    path(
        "areas/provinces/<str:code>/wards/",
        views.WardListApi.as_view(),
        name="wards",
    ),
    path(
        "areas/wards/<str:code>/hamlets/",
        views.HamletListApi.as_view(),
        name="hamlets",
    ),
]
