"""The wards' monthly reports, as the provincial data warehouse pulls them.

``level=province`` lists every ward of the province, with its report's status
and, once approved, its approved figures (the province adds up those and
sees which wards are missing); ``level=ward`` gives one ward's report with
its figures, approved or provisional. Scoped like the statistics; the ETag
names the answer's content, so an unchanged pull is a 304.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.api import INVALID, JSON, REFUSALS, StatisticsAccess
from accounts.scope import scope, scope_for, scoped
from areas.models import Ward
from core.pagination import parameters_check
from core.serializers import FieldsBuiltOnce

from ..models import MonthlyReport
from ..monthly import monthly_figures, report_is_late
from .params import AreaCodeField, area_resolve
from .views import ETAG_PARAMETERS, NOT_MODIFIED, json_conditional

Status = MonthlyReport.Status
NOT_STARTED = "not_started"


class MonthlyQuery(FieldsBuiltOnce, serializers.Serializer):
    level = serializers.ChoiceField(
        choices=("province", "ward"),
        required=False,
        help_text=_(
            "province: every ward's report; ward: one ward's. Defaults to the "
            "caller's own area."
        ),
    )
    code = AreaCodeField()
    month = serializers.RegexField(
        r"^20[0-9]{2}-(0[1-9]|1[0-2])\Z",
        required=False,
        help_text=_("The month reported, as 2026-11; defaults to last month."),
    )


class WardRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MonthlyReportOutput(serializers.Serializer):
    ward = WardRef()
    status = serializers.ChoiceField(
        choices=[NOT_STARTED, *Status.values],
        help_text=_("not_started when the ward has not begun its report."),
    )
    late = serializers.BooleanField(
        help_text=_("Not submitted by the 5th of the next month.")
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    approved = serializers.BooleanField(
        help_text=_("Whether the figures are the approved snapshot.")
    )
    figures = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "The report's figures: headline, teams, hamlets, services, "
            "workshops, campaigns. At province level only approved ones; at "
            "ward level the live, provisional ones until approval."
        ),
    )


class MonthlyListOutput(serializers.Serializer):
    level = serializers.CharField()
    code = serializers.CharField()
    month = serializers.CharField()
    reports = MonthlyReportOutput(many=True)


def _month(value: str | None) -> datetime.date:
    if value:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1)
    today = timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _row(ward: Ward, report, month, today, *, live: bool) -> dict:
    approved = report is not None and report.status == Status.APPROVED
    if approved:
        figures = report.snapshot
    elif live:
        figures = monthly_figures(ward=ward, month=month)
    else:
        figures = None
    return {
        "ward": {"code": ward.pk, "name": ward.name},
        "status": report.status if report else NOT_STARTED,
        "late": report_is_late(report, month, today),
        "submitted_at": report.submitted_at if report else None,
        "approved_at": report.approved_at if approved else None,
        "approved": approved,
        "figures": figures,
    }


@scoped
class MonthlyReportListApi(StatisticsAccess, APIView):
    @extend_schema(
        summary="Wards' monthly reports",
        description=(
            "Each ward's report of a month with its status (not_started, "
            "draft, submitted, returned, approved), when it was submitted "
            "and approved, and its figures. An area outside the caller's "
            "scope is a 404; `level=province` needs province or national "
            "access."
        ),
        tags=["reports"],
        parameters=[
            MonthlyQuery,
            *ETAG_PARAMETERS,
        ],
        responses={
            (200, JSON): MonthlyListOutput,
            304: NOT_MODIFIED,
            **INVALID,
            **REFUSALS,
        },
    )
    def get(self, request):
        parameters_check(request, MonthlyQuery().fields, extra=set())
        query = MonthlyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        who = scope_for(request.user)
        level = params.get("level")
        if level is None and who.is_national:
            raise serializers.ValidationError(
                {"level": [gettext("Say which province or ward: level and code.")]}
            )
        area = area_resolve(who, level, params.get("code"))
        month = _month(params.get("month"))
        wards = _in_area(scope(Ward.objects.all(), request.user), area).order_by("pk")
        reports = {
            report.ward_id: report
            for report in scope(MonthlyReport.objects.all(), request.user).filter(
                month=month, ward__in=wards
            )
        }
        today = timezone.localdate()
        answer = {
            "level": area.level,
            "code": area.code,
            "month": month.strftime("%Y-%m"),
            "reports": [
                _row(
                    ward,
                    reports.get(ward.pk),
                    month,
                    today,
                    live=area.level == "ward",
                )
                for ward in wards
            ],
        }
        return json_conditional(request, MonthlyListOutput(answer).data, "monthly")


def _in_area(wards, area):
    if area.level == "province":
        return wards.filter(province_id=area.code)
    return wards.filter(pk=area.code)
