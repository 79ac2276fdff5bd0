"""The areas API: provinces, their wards and the wards' hamlets, in scope.

Machine clients list here the codes they then ask the statistics for; the
access (keys, sessions, budget) is the statistics API's, from accounts.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination

from accounts.api import INVALID, REFUSALS, StatisticsAccess
from accounts.scope import scope, scoped
from core.pagination import PageSize, parameters_check

from ..models import Hamlet, Province, Ward
from .serializers import HamletOutput, ProvinceOutput, WardOutput


class AreaPagination(PageSize, PageNumberPagination):
    """Pages by number. A page that is not a whole number from 1 is a 400
    naming ``page``; a page past the last is a 404, as a missing page is."""

    page_size = 100

    def get_page_number(self, request, paginator):
        given = request.query_params.get(self.page_query_param, "1")
        if given in self.last_page_strings:
            return given
        if not given.isdigit() or int(given) < 1:
            raise ValidationError(
                {self.page_query_param: [gettext("Give a whole number from 1.")]}
            )
        return given


class AreaListApi(StatisticsAccess, ListAPIView):
    pagination_class = AreaPagination

    def list(self, request, *args, **kwargs):
        parameters_check(request, {AreaPagination.page_query_param})
        return super().list(request, *args, **kwargs)


def _code(pattern: str, description: str, example: str, value: str):
    """The path's official code, as the schema documents it."""
    return OpenApiParameter(
        "code",
        str,
        OpenApiParameter.PATH,
        pattern=pattern,
        description=description,
        examples=[OpenApiExample(example, value=value)],
    )


@scoped
@extend_schema(
    summary="List provinces",
    description="The provinces the caller may read: all for national "
    "clients, their own for everyone else.",
    tags=["areas"],
    responses={200: ProvinceOutput(many=True), **INVALID, **REFUSALS},
)
@extend_schema_view(get=extend_schema(operation_id="listProvinces"))
class ProvinceListApi(AreaListApi):
    serializer_class = ProvinceOutput

    def get_queryset(self):
        return scope(Province.objects.order_by("code"), self.request.user)


@scoped
@extend_schema(
    summary="List the wards of a province",
    description="Communes, wards and special zones of the province; a ward's "
    "officials and keys see their own ward only.",
    tags=["areas"],
    parameters=[_code(r"^[0-9]{2}$", "The province's official code.", "Hà Nội", "01")],
    responses={200: WardOutput(many=True), **INVALID, **REFUSALS},
)
@extend_schema_view(get=extend_schema(operation_id="listWardsOfProvince"))
class WardListApi(AreaListApi):
    serializer_class = WardOutput

    def get_queryset(self):
        who = self.request.user
        province = get_object_or_404(
            scope(Province.objects.all(), who), pk=self.kwargs["code"]
        )
        return scope(Ward.objects.filter(province=province), who).order_by("code")


@scoped
@extend_schema(
    summary="List the hamlets of a ward",
    description="Hamlets, villages and residential groups of the ward, "
    "inactive ones included.",
    tags=["areas"],
    parameters=[
        _code(r"^[0-9]{5}$", "The ward's official code.", "Phường Ba Đình", "00004")
    ],
    responses={200: HamletOutput(many=True), **INVALID, **REFUSALS},
)
@extend_schema_view(get=extend_schema(operation_id="listHamletsOfWard"))
class HamletListApi(AreaListApi):
    serializer_class = HamletOutput

    def get_queryset(self):
        who = self.request.user
        ward = get_object_or_404(scope(Ward.objects.all(), who), pk=self.kwargs["code"])
        return scope(Hamlet.objects.filter(ward=ward), who).order_by("name", "pk")
