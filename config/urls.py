from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api import MeApi
from accounts.views import home
from config.errors import UnknownApiPath
from config.health import healthz
from config.metrics import metrics_view
from config.middleware import UNKNOWN_API_PATH

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("field/training/", include("training.urls")),
    path("field/", include("assistance.urls")),
    path("dashboard/", include("reports.urls")),
    path("api/v1/me/", MeApi.as_view(), name="api-me"),
    path("api/v1/", include("assistance.api.urls")),
    path("api/v1/", include("training.api.urls")),
    path("api/v1/", include("households.api.urls")),
    path("api/v1/", include("areas.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"
    ),
    # Last under /api/: whatever no endpoint above serves.
    re_path(r"^api/", UnknownApiPath.as_view(), name=UNKNOWN_API_PATH),
    path("admin/", admin.site.urls),
]

# Under /api/ every error is JSON (config.errors); elsewhere the pages.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
