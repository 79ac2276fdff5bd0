from django.urls import path

from . import alerts, monthly, views

app_name = "reports-api"
urlpatterns = [
    path("stats/", views.StatsListApi.as_view(), name="stats"),
    path("stats/summary/", views.StatsSummaryApi.as_view(), name="stats-summary"),
    path("stats/coverage/", views.StatsCoverageApi.as_view(), name="stats-coverage"),
    path("stats/training/", views.StatsTrainingApi.as_view(), name="stats-training"),
    path("alerts/", alerts.AlertListApi.as_view(), name="alerts"),
    path(
        "reports/monthly/",
        monthly.MonthlyReportListApi.as_view(),
        name="monthly-reports",
    ),
]
