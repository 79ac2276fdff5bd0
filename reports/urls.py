from django.urls import path

from . import monthly_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ward/<str:code>/", views.ward_dashboard, name="ward"),
    path("province/<str:code>/", views.province_dashboard, name="province"),
    path("national/", views.national_dashboard, name="national"),
    path("monthly/", monthly_views.ward_report, name="monthly"),
    path("monthly/wards/", monthly_views.province_reports, name="monthly_province"),
    path(
        "monthly/province/",
        monthly_views.province_report,
        name="monthly_province_report",
    ),
    path(
        "monthly/<str:code>/<str:month>/",
        monthly_views.review_report,
        name="monthly_review",
    ),
]
