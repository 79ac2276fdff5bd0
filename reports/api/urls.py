from django.urls import path

from . import views

app_name = "reports-api"
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
    path("stats/", views.StatsListApi.as_view(), name="stats"),
    path("stats/summary/", views.StatsSummaryApi.as_view(), name="stats-summary"),
    path("stats/training/", views.StatsTrainingApi.as_view(), name="stats-training"),
]
