"""The statistics API: areas and indicators, read from the summary tables.

Open to officials signed in with a session (ward, province, national) and to
machine clients with an API key; everything is filtered through the caller's
scope, and an area outside it is a 404. Each answer carries an ETag built
from the area's stamps, so an unchanged pull is a 304 that computes nothing.
"""

from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.api_keys import ApiKeyAuthentication
from accounts.models import ADMIN_ROLES, ApiKey
from accounts.scope import Level, scope, scope_for, scoped
from areas.models import Hamlet, Province, Ward

from ..indicators import headline, registry
from ..kept import Body, kept
from .params import StatsQuery, SummaryQuery, TrainingQuery, area_resolve, group_check
from .renderers import CSVRenderer, FormatNegotiation
from .serializers import (
    DetailOutput,
    HamletOutput,
    ProvinceOutput,
    StatsOutput,
    StatsRowOutput,
    SummaryOutput,
    TrainingOutput,
    WardOutput,
    WorkshopRowOutput,
)
from .statistics import stats_etag, stats_series, workshop_rows

JSON = "application/json"
INVALID = {
    (400, JSON): OpenApiResponse(
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        description="Each bad parameter and what is wrong with it.",
    )
}
REFUSALS = {
    (401, JSON): OpenApiResponse(
        DetailOutput, description="No, unknown or switched-off key."
    ),
    (403, JSON): OpenApiResponse(
        DetailOutput, description="The account may not read this."
    ),
    (404, JSON): OpenApiResponse(
        DetailOutput, description="No such area within the caller's scope."
    ),
    (429, JSON): OpenApiResponse(
        DetailOutput, description="Too many requests; see Retry-After."
    ),
}
CONDITIONAL = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="The ETag of an answer kept; unchanged figures answer 304.",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Changes when the figures or the question change.",
    ),
    OpenApiParameter(
        "format",
        str,
        OpenApiParameter.QUERY,
        enum=["json", "csv"],
        description="csv: one row per period (and group); also Accept: text/csv.",
    ),
]
NOT_MODIFIED = OpenApiResponse(description="Unchanged since the ETag given.")


class StatsThrottle(SimpleRateThrottle):
    """One budget per key or account across the statistics API.

    Counted in fixed windows (one cache increment a request) rather than
    DRF's default list of every request's time, which is read and written
    whole on each request: a warehouse allowed thousands a minute would pay
    for that list on every pull. A fixed window may let up to twice the rate
    through across its edge; Retry-After says when the window ends.
    """

    scope = "stats"

    def get_rate(self):
        # Read on each request, so that a changed setting applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        user = request.user
        if isinstance(user, ApiKey):
            ident = "key-%s" % user.pk
        elif user.is_authenticated:
            ident = "user-%s" % user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = "%s:%d" % (key, window)
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window's first request
            # Its counter outlives the window by a little, never less.
            if self.cache.add(key, 1, self.duration + 1):
                return True
            count = self.cache.incr(key)  # another request made it first
        return count <= self.num_requests

    def wait(self):
        return max(self.window_ends - self.now, 0)


class StatisticsReader(BasePermission):
    message = _("Statistics are open to officials and to API keys.")

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated or scope_for(user).level == Level.NONE:
            return False
        return isinstance(user, ApiKey) or user.role in ADMIN_ROLES


class AreaPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({self.page_query_param: [error.detail]}) from error


class StatisticsAccess:
    """Who may call, how often, and how answers are shaped: the whole API."""

    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [StatisticsReader]
    throttle_classes = [StatsThrottle]
    content_negotiation_class = FormatNegotiation
    renderer_classes = [JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            # Errors are read by people and scripts alike: always JSON.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Cookie", "X-Api-Key"])
        patch_cache_control(response, private=True, no_cache=True)
        return response


def _unchanged(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    return etag in {tag.removeprefix("W/") for tag in parse_etags(header)}


def _conditional(request, etag: str, filename: str, compute) -> HttpResponseBase:
    """Answer 304 when the client's copy is current; ``compute`` only if not."""
    if _unchanged(request, etag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    # The tag names the figures and the question exactly, so an answer kept
    # under it is never stale: the next change to the figures changes the tag.
    # It is kept rendered and compressed: a repeated pull costs no serialising
    # and no compressing, and pulls arriving together compute it once.
    renderer = request.accepted_renderer
    media_type = request.accepted_media_type
    content_type = renderer.media_type
    if renderer.charset:
        content_type += "; charset=%s" % renderer.charset

    def render():
        context = {"request": request, "view": request.parser_context.get("view")}
        return Body.of(renderer.render(compute(), media_type, context), content_type)

    key = "stats-body:%s:%s" % (etag.strip('"'), media_type)
    headers = {"ETag": etag}
    if renderer.format == "csv":
        headers["Content-Disposition"] = 'attachment; filename="%s.csv"' % filename
    return kept(key, render).response(request, **headers)


@scoped
class ProvinceListApi(StatisticsAccess, ListAPIView):
    serializer_class = ProvinceOutput
    pagination_class = AreaPagination

    def get_queryset(self):
        return scope(Province.objects.order_by("code"), self.request.user)

    @extend_schema(
        summary="List provinces",
        description="The provinces the caller may read: all for national "
        "clients, their own for everyone else.",
        tags=["areas"],
        responses={200: ProvinceOutput(many=True), **INVALID, **REFUSALS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@scoped
class WardListApi(StatisticsAccess, ListAPIView):
    serializer_class = WardOutput
    pagination_class = AreaPagination

    def get_queryset(self):
        who = self.request.user
        province = get_object_or_404(
            scope(Province.objects.all(), who), pk=self.kwargs["code"]
        )
        return scope(Ward.objects.filter(province=province), who).order_by("code")

    @extend_schema(
        summary="List the wards of a province",
        description="Communes, wards and special zones of the province; a ward's "
        "officials and keys see their own ward only.",
        tags=["areas"],
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                pattern=r"^[0-9]{2}$",
                description="The province's official code.",
                examples=[OpenApiExample("Hà Nội", value="01")],
            )
        ],
        responses={200: WardOutput(many=True), **INVALID, **REFUSALS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@scoped
class HamletListApi(StatisticsAccess, ListAPIView):
    serializer_class = HamletOutput
    pagination_class = AreaPagination

    def get_queryset(self):
        who = self.request.user
        ward = get_object_or_404(scope(Ward.objects.all(), who), pk=self.kwargs["code"])
        return scope(Hamlet.objects.filter(ward=ward), who).order_by("name", "pk")

    @extend_schema(
        summary="List the hamlets of a ward",
        description="Hamlets, villages and residential groups of the ward, "
        "inactive ones included.",
        tags=["areas"],
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                pattern=r"^[0-9]{5}$",
                description="The ward's official code.",
                examples=[OpenApiExample("Phường Ba Đình", value="00004")],
            )
        ],
        responses={200: HamletOutput(many=True), **INVALID, **REFUSALS},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@scoped
class StatsListApi(StatisticsAccess, APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    csv_header = list(StatsRowOutput().fields)

    @extend_schema(
        summary="Indicators per period",
        description=(
            "Activity indicators of one area per day, week or month, optionally "
            "split by service category, service, hamlet, ward or province, from "
            "the summary tables. Without a group every period has a row; with "
            "one, only the groups with figures do. An indicator the group cannot "
            "split is null (services have no hamlet; sessions have no category)."
        ),
        tags=["statistics"],
        parameters=[StatsQuery, *CONDITIONAL],
        responses={
            (200, JSON): StatsOutput,
            (200, "text/csv"): OpenApiTypes.STR,
            304: NOT_MODIFIED,
            **INVALID,
            **REFUSALS,
        },
    )
    def get(self, request):
        query = StatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        area = area_resolve(
            scope_for(request.user), params.get("level"), params.get("code")
        )
        group_check(area, params["group"])
        question = (
            params["date_from"],
            params["date_to"],
            params["interval"],
            params["group"],
        )
        etag = stats_etag(area, "series", request.accepted_renderer.format, *question)

        def compute():
            rows = stats_series(area, *question)
            return StatsOutput(
                {
                    "area": area,
                    "date_from": params["date_from"],
                    "date_to": params["date_to"],
                    "interval": params["interval"],
                    "group": params["group"],
                    "results": rows,
                }
            ).data

        filename = _filename("statistics", area, *question[:2])
        return _conditional(request, etag, filename, compute)


@scoped
class StatsSummaryApi(StatisticsAccess, APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        summary="All indicators of one area",
        description=(
            "The activity of the period, the activity of the period just before "
            "(`previous`), and the registry's figures and shares now."
        ),
        tags=["statistics"],
        parameters=[SummaryQuery, *CONDITIONAL],
        responses={
            (200, JSON): SummaryOutput,
            (200, "text/csv"): OpenApiTypes.STR,
            304: NOT_MODIFIED,
            **INVALID,
            **REFUSALS,
        },
    )
    def get(self, request):
        query = SummaryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        area = area_resolve(
            scope_for(request.user), params.get("level"), params.get("code")
        )
        start, end = params["date_from"], params["date_to"]
        etag = stats_etag(area, "summary", request.accepted_renderer.format, start, end)

        def compute():
            figures = headline(area, start, end)
            return SummaryOutput(
                {"area": area, "date_from": start, "date_to": end, **figures}
            ).data

        return _conditional(
            request, etag, _filename("summary", area, start, end), compute
        )


@scoped
class StatsTrainingApi(StatisticsAccess, APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    csv_header = list(WorkshopRowOutput().fields)

    @extend_schema(
        summary="Training and workshops of one area",
        description=(
            "The members' training this calendar year (now: members trained, "
            "their share of current members, courses completed) and the "
            "workshops the teams held for residents in the period, in one row "
            "or split by topic (service category) or audience. Only groups with "
            "workshops have a row. CSV holds the rows."
        ),
        tags=["statistics"],
        parameters=[TrainingQuery, *CONDITIONAL],
        responses={
            (200, JSON): TrainingOutput,
            (200, "text/csv"): OpenApiTypes.STR,
            304: NOT_MODIFIED,
            **INVALID,
            **REFUSALS,
        },
    )
    def get(self, request):
        query = TrainingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        area = area_resolve(
            scope_for(request.user), params.get("level"), params.get("code")
        )
        question = (params["date_from"], params["date_to"], params["group"])
        etag = stats_etag(area, "training", request.accepted_renderer.format, *question)

        def compute():
            figures = registry(area)
            return TrainingOutput(
                {
                    "area": area,
                    "date_from": params["date_from"],
                    "date_to": params["date_to"],
                    "group": params["group"],
                    "members": figures["members"],
                    "members_trained": figures["members_trained"],
                    "members_trained_share": figures["members_trained_share"],
                    "courses_completed": figures["courses_completed"],
                    "results": workshop_rows(area, *question),
                }
            ).data

        filename = _filename("training", area, *question[:2])
        return _conditional(request, etag, filename, compute)


def _filename(kind, area, start, end) -> str:
    return "%s-%s-%s-%s" % (kind, area.code or area.level, start, end)
