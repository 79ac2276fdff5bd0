from django.http import HttpResponse
from django.urls import include, path

from accounts.scope import scoped


def forgot_to_scope(request):
    return HttpResponse("every household in the country")


@scoped
def declared(request):
    return HttpResponse("only my ward")


urlpatterns = [
    path("forgot/", forgot_to_scope),
    path("declared/", declared),
    path("", include("config.urls")),
]
