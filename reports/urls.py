from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ward/<str:code>/", views.ward_dashboard, name="ward"),
    path("province/<str:code>/", views.province_dashboard, name="province"),
    path("national/", views.national_dashboard, name="national"),
]
