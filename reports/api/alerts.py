"""``GET /api/v1/alerts/``: what in an area needs an official's attention now.

Open to officials (ward, province, national) and API keys, like the
statistics; team accounts are refused. The area defaults to the caller's own
and is resolved within their scope (outside it, a 404). The alerts come from
the registry and the summary tables, kept under the version of the area's
figures for five minutes at most (``reports.alerts.alerts_kept``); the
answer carries an ETag of its content: an unchanged answer is a 304 with no
body.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.api import INVALID, JSON, REFUSALS, StatisticsAccess
from accounts.scope import Level, scope_for, scoped
from core.pagination import parameters_check
from core.serializers import FieldsBuiltOnce

from ..alerts import KINDS, alerts_kept
from .params import LEVELS, AreaCodeField, area_check, area_resolve
from .serializers import AreaOutput
from .views import ETAG_PARAMETERS, NOT_MODIFIED, json_conditional


class AlertsQuery(FieldsBuiltOnce, serializers.Serializer):
    level = serializers.ChoiceField(
        choices=LEVELS,
        required=False,
        help_text=_(
            "Whose alerts; defaults to the caller's own area. national takes "
            "no code; province a 2-digit code; ward a 5-digit one."
        ),
    )
    code = AreaCodeField()
    kind = serializers.ChoiceField(
        choices=list(KINDS),
        required=False,
        help_text=_("Only the alerts of this kind; all kinds without it."),
    )

    def validate(self, attrs):
        area_check(attrs)
        return attrs


class AlertSubjectOutput(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=["team", "member", "hamlet", "ward"],
        help_text=_("What the alert is about: a team, a member, a hamlet or a ward."),
    )
    code = serializers.CharField(
        help_text=_("The team's, member's or hamlet's id, or the ward's official code.")
    )
    name = serializers.CharField(
        help_text=_("The team's, member's, hamlet's or ward's name.")
    )


class AlertWardOutput(serializers.Serializer):
    code = serializers.CharField(help_text=_("Official code of the ward."))
    name = serializers.CharField(help_text=_("The ward's name."))


class AlertOutput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=list(KINDS),
        help_text=_(
            "team_quiet: an active team with no session for 14 days; "
            "member_silent: a current member who took part in sessions before "
            "and in none for 30 days; workload_high: a member whose sessions "
            "in 30 days are at least twice their team's median and ten more; "
            "follow_ups_old: a ward's follow-ups open for more than 14 days; "
            "hamlet_behind: a hamlet with at least 5 households whose share "
            "reached since a running campaign started is under 80 percent of the "
            "share the campaign's households target expects by now."
        ),
    )
    title = serializers.CharField(help_text=_("The kind, in words for people."))
    area = AlertSubjectOutput(help_text=_("What the alert is about."))
    ward = AlertWardOutput(help_text=_("The ward it is in."))
    since = serializers.DateField(
        allow_null=True,
        help_text=_(
            "team_quiet and member_silent: the last day with a session (null "
            "for a team that never logged one); workload_high: the first day "
            "counted; follow_ups_old: the day the oldest one was opened; "
            "hamlet_behind: the campaign's first day."
        ),
    )
    count = serializers.IntegerField(
        help_text=_(
            "team_quiet and member_silent: days without a session; "
            "workload_high: the member's sessions in 30 days; follow_ups_old: "
            "the follow-ups open for more than 14 days; hamlet_behind: the "
            "households still to reach to get back on the campaign's pace."
        )
    )
    median = serializers.IntegerField(
        allow_null=True,
        source="reference",
        help_text=_("workload_high: the team's median; null for other kinds."),
    )
    message = serializers.CharField(help_text=_("The alert in one sentence."))
    url = serializers.CharField(
        help_text=_("Path of the list behind the alert, on this site.")
    )


class AlertsOutput(serializers.Serializer):
    area = AreaOutput()
    today = serializers.DateField(help_text=_("The day the alerts hold for."))
    results = AlertOutput(many=True)


@scoped
@extend_schema(
    summary="Alerts of one area",
    description=(
        "What needs an official's attention now: teams with no session for "
        "14 days, members silent for 30 days, members working far above "
        "their team's median, follow-ups open for more than 14 days, and "
        "hamlets behind the pace of a running campaign's households target. "
        "An alert clears by itself once its cause is fixed. Open to ward, "
        "province and national officials and to API keys; the area is the "
        "caller's own unless `level` and `code` name one within their scope "
        "(outside it, a 404). A parameter is given at most once and never "
        "empty; an unknown one is refused."
    ),
    tags=["alerts"],
    parameters=[
        AlertsQuery,
        *ETAG_PARAMETERS,
    ],
    responses={
        (200, JSON): AlertsOutput,
        304: NOT_MODIFIED,
        **INVALID,
        **REFUSALS,
    },
)
class AlertListApi(StatisticsAccess, APIView):
    def get(self, request):
        parameters_check(request, AlertsQuery().fields, extra=set())
        query = AlertsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        who = scope_for(request.user)
        area = area_resolve(who, params.get("level"), params.get("code"))
        today = timezone.localdate()
        alerts = alerts_kept(
            area, today, kind=params.get("kind"), ward_level=who.level == Level.WARD
        )
        data = AlertsOutput({"area": area, "today": today, "results": alerts}).data
        return json_conditional(request, data, "alerts")
