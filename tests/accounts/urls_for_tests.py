from django.http import HttpResponse
from django.urls import include, path

from accounts.scope import no_area_data, scoped


def forgot_to_scope(request):
    return HttpResponse("every household in the country")


@scoped
def declared(request):
    return HttpResponse("only my ward")


@no_area_data("a fixed text")
def shows_no_area(request):
    return HttpResponse("hello")


urlpatterns = [
    path("forgot/", forgot_to_scope),
    path("declared/", declared),
    path("no-area/", shows_no_area),
    path("", include("config.urls")),
]
