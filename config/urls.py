from django.contrib import admin
from django.urls import include, path

from accounts.views import home
from config.health import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("field/", include("assistance.urls")),
    path("dashboard/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
