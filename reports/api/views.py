"""The statistics API: indicators of an area, read from the summary tables.

Open to officials signed in with a session (ward, province, national) and to
machine clients with an API key (``accounts.api``); everything is filtered
through the caller's scope, and an area outside it is a 404. Each answer
carries an ETag built from the area's stamps, so an unchanged pull is a 304
that computes nothing.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseBase
from django.utils import translation
from django.utils.http import http_date, parse_etags
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.api import INVALID, JSON, REFUSALS, StatisticsAccess
from accounts.scope import scope, scope_for, scoped
from assistance.models import Campaign
from core.pagination import parameters_check
from core.replica import replica_reads

from ..approvals import Approvals
from ..coverage import coverage
from ..indicators import Area, headline, registry
from ..kept import Body, kept
from ..versions import ALL, TRAINING, figures_as_of
from .params import (
    MAX_DAYS,
    CoverageQuery,
    StatsQuery,
    SummaryQuery,
    TrainingQuery,
    area_resolve,
    cursor_make,
    cursor_refused,
    group_check,
    question_digest,
)
from .renderers import CSVRenderer, XLSXRenderer
from .serializers import (
    CoverageOutput,
    CoverageRowOutput,
    StatsOutput,
    StatsRowOutput,
    SummaryOutput,
    TrainingOutput,
    WorkshopRowOutput,
)
from .statistics import (
    row_key,
    stats_etag,
    stats_page,
    stats_series,
    workshop_rows,
)

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
        enum=["json", "csv", "xlsx"],
        description=(
            "csv: one row per period (and group), UTF-8 with a byte order mark; "
            "also Accept: text/csv. xlsx: the same rows as an Excel workbook."
        ),
    ),
]
NOT_MODIFIED = OpenApiResponse(description="Unchanged since the ETag given.")


# The rules the server holds a question to that JSON Schema cannot state.
RULES = (
    "\n\nRules (a question that breaks one is a 400 naming the parameter): "
    "`level=national` takes no `code`; a province's `code` has 2 digits, a "
    "ward's 5; an area outside the caller's scope is a 404. `date_from` is "
    "not after `date_to`, the period is at most 366 days, and each day lies "
    "between 2000-01-01 and 2100-12-31. `group=hamlet` needs `level=ward`; "
    "`group=ward` needs `level=province` or `ward`. A parameter is given at "
    "most once and never empty; an unknown one is refused."
)


def stats_schema(*, summary: str, description: str, query, output):
    """The schema of a statistics endpoint: its question and its answer."""
    return extend_schema(
        summary=summary,
        description=description + RULES,
        tags=["statistics"],
        parameters=[query, *CONDITIONAL],
        responses={
            (200, JSON): output,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSXRenderer.media_type): OpenApiTypes.BINARY,
            304: NOT_MODIFIED,
            **INVALID,
            **REFUSALS,
        },
    )


@dataclass(frozen=True)
class Page:
    """The page of rows a JSON pull of /stats/ asks for."""

    question: str
    after: tuple | None
    size: int
    request: object

    def next(self, last: dict) -> str:
        cursor = cursor_make(self.question, row_key(last))
        return replace_query_param(self.request.build_absolute_uri(), "cursor", cursor)


class StatsApi(StatisticsAccess, APIView):
    """Parameters, then the area in scope, then the ETag, then the answer.

    An endpoint declares its parameters (``query_class``), the ones that make
    its question (``question``: they name the ETag, and ``figures`` takes them),
    its answer's shape and the figures; the answer is computed only when the
    client's copy is not current.
    """

    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]
    query_class: type[SummaryQuery]
    output_class: type[Serializer]
    kind: str  # names the answer in its ETag
    filename: str  # the CSV file's name starts with it
    question: tuple[str, ...]
    reads = ALL  # which figures name the ETag (reports.versions)

    def resolve(self, who, params: dict) -> tuple[Area, dict]:
        """The area asked for, in the caller's scope, and the question's values."""
        return area_resolve(who, params.get("level"), params.get("code")), params

    def check(self, area: Area, params: dict) -> None:
        """Refuse (400) a question this area cannot answer."""

    def figures(self, area: Area, *question) -> dict:
        raise NotImplementedError

    def paging(self, request, area: Area, params: dict) -> tuple:
        """Read the page asked for; return what names it in the ETag."""
        return ()

    @replica_reads
    def get(self, request):
        parameters_check(request, self.query_class().fields, extra={"format"})
        query = self.query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        area, params = self.resolve(scope_for(request.user), query.validated_data)
        self.check(area, params)
        asked = {name: params[name] for name in self.question}
        question = tuple(asked.values())
        etag = stats_etag(
            area,
            self.kind,
            request.accepted_renderer.format,
            *question,
            *self.paging(request, area, params),
            figures=self.reads,
        )
        as_of = figures_as_of(area, self.reads)

        def compute():
            figures = self.figures(area, *question)
            answer = {"area": area, "as_of": as_of, **asked, **figures}
            return self.output_class(answer).data

        filename = "%s-%s-%s-%s" % (
            self.filename,
            area.code or area.level,
            params["date_from"],
            params["date_to"],
        )
        return _conditional(request, etag, filename, compute, as_of)


@scoped
@stats_schema(
    summary="Indicators per period",
    description=(
        "Activity indicators of one area per day, week or month, optionally "
        "split by service category, service, hamlet, ward or province, from "
        "the summary tables. Without a group every period has a row; with "
        "one, only the groups with figures do. An indicator the group cannot "
        "split is null (services have no hamlet; sessions have no category)."
    ),
    query=StatsQuery,
    output=StatsOutput,
)
class StatsListApi(StatsApi):
    query_class = StatsQuery
    output_class = StatsOutput
    kind = "series"
    filename = "statistics"
    question = ("date_from", "date_to", "interval", "group")
    csv_header = list(StatsRowOutput().fields)

    page: Page | None = None  # JSON is paged; CSV and Excel are whole files

    def check(self, area, params):
        group_check(area, params["group"])

    def paging(self, request, area, params):
        if request.accepted_renderer.format != "json":
            return ()
        question = question_digest(area, *(params[name] for name in self.question))
        after = params.get("cursor")
        if after is not None and after[0] != question:
            raise ValidationError({"cursor": cursor_refused().detail})
        self.page = Page(question, after and after[1:], params["page_size"], request)
        # The page's address too: its body holds the next page's.
        return (self.page.size, after, request.build_absolute_uri(request.path))

    def figures(self, area, *question):
        if self.page is None:
            return {"results": stats_series(area, *question), "next": None}
        rows, more = stats_page(
            area, *question, after=self.page.after, size=self.page.size
        )
        return {"results": rows, "next": self.page.next(rows[-1]) if more else None}


@scoped
@stats_schema(
    summary="All indicators of one area",
    description=(
        "The activity of the period, the activity of the period just before "
        "(`previous`), and the registry's figures and shares now."
    ),
    query=SummaryQuery,
    output=SummaryOutput,
)
class StatsSummaryApi(StatsApi):
    query_class = SummaryQuery
    output_class = SummaryOutput
    kind = "summary"
    filename = "summary"
    question = ("date_from", "date_to")

    def figures(self, area, start, end):
        approvals = Approvals(area, start, end)
        approved = approvals.approved(start, end, area.level, area.code)
        return {**headline(area, start, end), "approved": approved}


@scoped
@stats_schema(
    summary="Training and workshops of one area",
    description=(
        "The members' training this calendar year (now: members trained, "
        "their share of current members, courses completed) and the "
        "workshops the teams held for residents in the period, in one row "
        "or split by topic (service category) or audience. Only groups with "
        "workshops have a row. CSV holds the rows."
    ),
    query=TrainingQuery,
    output=TrainingOutput,
)
class StatsTrainingApi(StatsApi):
    query_class = TrainingQuery
    output_class = TrainingOutput
    kind = "training"
    filename = "training"
    question = ("date_from", "date_to", "group")
    csv_header = list(WorkshopRowOutput().fields)
    # The workshops' rows and the registry: a new session leaves its ETag.
    reads = TRAINING

    def figures(self, area, *question):
        # The registry's training figures; the output keeps those it names.
        return {**registry(area), "results": workshop_rows(area, *question)}


@scoped
@stats_schema(
    summary="Households reached and not reached",
    description=(
        "Door-to-door coverage of one area over a period or a campaign: the "
        "households of the register now, those with at least one session of "
        "their ward in the period (reached) and the rest, the same for the "
        "priority households, the households with a digital focal person and "
        "the residents with level-2 e-ID, in one row or one per hamlet, ward "
        "or province (only groups with figures have a row). Each share comes "
        "with its numerator and denominator, and is null when the denominator "
        "is 0. All rows come in one page (at most a province's wards). The "
        "register's figures are recomputed every quarter of an hour; "
        "sessions count within seconds. `campaign` takes no `level`, `code`, "
        "`date_from` or `date_to`: it brings its own, and its days are at "
        "most 366."
    ),
    query=CoverageQuery,
    output=CoverageOutput,
)
class StatsCoverageApi(StatsApi):
    query_class = CoverageQuery
    output_class = CoverageOutput
    kind = "coverage"
    filename = "coverage"
    question = ("campaign", "date_from", "date_to", "group")
    csv_header = list(CoverageRowOutput().fields)

    def resolve(self, who, params):
        campaign_id = params.get("campaign")
        if campaign_id is None:
            return super().resolve(who, {**params, "campaign": None})
        campaign = scope(Campaign.objects.filter(pk=campaign_id), who).first()
        if campaign is None:
            raise NotFound(gettext("No campaign with this id within what you may see."))
        if (campaign.ends_on - campaign.starts_on).days + 1 > MAX_DAYS:
            raise ValidationError(
                {
                    "campaign": [
                        gettext("The period is longer than %(days)d days.")
                        % {"days": MAX_DAYS}
                    ]
                }
            )
        level, code = (
            ("ward", campaign.ward_id)
            if campaign.ward_id
            else ("province", campaign.province_id)
        )
        area = area_resolve(who, level, code)
        return area, {
            **params,
            "date_from": campaign.starts_on,
            "date_to": campaign.ends_on,
        }

    def check(self, area, params):
        group_check(area, params["group"])

    def figures(self, area, campaign, start, end, group):
        return {"results": coverage(area, start, end, group)}


def _matched(request, etag: str) -> str | None:
    """The client's tag that names this answer, as the client holds it.

    A compressed answer carries the weak form (``W/"…"``, as GZipMiddleware
    makes it): the 304 sends back the form that matched, so the client's
    copy keeps the tag it came with.
    """
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return etag
    for tag in parse_etags(header):
        if tag.removeprefix("W/") == etag:
            return tag
    return None


def json_conditional(request, data, kind: str) -> Response:
    """``data`` with an ETag made of it (and the language it is in), or a
    304 when the client already holds it."""
    digest = hashlib.sha256(
        json.dumps(
            [translation.get_language(), data], cls=DjangoJSONEncoder, sort_keys=True
        ).encode()
    ).hexdigest()[:32]
    etag = '"%s-%s"' % (kind, digest)
    matched = _matched(request, etag)
    if matched:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": matched})
    return Response(data, headers={"ETag": etag})


# The conditional-request headers of an answer made by json_conditional.
ETAG_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="The ETag of an answer kept; an unchanged answer is 304.",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Changes when the answer changes.",
    ),
]


def _conditional(
    request, etag: str, filename: str, compute, as_of=None
) -> HttpResponseBase:
    """Answer 304 when the client's copy is current; ``compute`` only if not."""
    matched = _matched(request, etag)
    if matched:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": matched})
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
    if as_of is not None:
        headers["Last-Modified"] = http_date(as_of.timestamp())
    if renderer.format in ("csv", "xlsx"):
        headers["Content-Disposition"] = 'attachment; filename="%s.%s"' % (
            filename,
            renderer.format,
        )
    return kept(key, render).response(request, **headers)
