from django.urls import include, path

from accounts.scope import no_area_data


@no_area_data("a test view that fails")
def fails(request):
    raise RuntimeError(
        "Household of Nguyễn Văn Bảy, phone 0912 345 678, mail bay@example.vn"
    )


urlpatterns = [path("fails/", fails), path("", include("config.urls"))]
