from django.urls import path

from . import monthly, views

app_name = "reports-api"
urlpatterns = [
    path("stats/", views.StatsListApi.as_view(), name="stats"),
    path("stats/summary/", views.StatsSummaryApi.as_view(), name="stats-summary"),
    path("stats/training/", views.StatsTrainingApi.as_view(), name="stats-training"),
    path(
        "reports/monthly/",
        monthly.MonthlyReportListApi.as_view(),
        name="monthly-reports",
    ),
]
