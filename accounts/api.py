"""Who am I: the caller's account or key, role and area scope.

A client checks here which area its account or key reaches before pulling
anything, and the benchmarks use it as the cheapest authenticated request the
platform answers (session or key, no area query), the baseline of the others.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from .api_keys import ApiKeyAuthentication
from .models import ApiKey, Role
from .scope import Level, scope_for, scoped


class ScopeOutput(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=[level.value for level in Level],
        help_text=_("How far the caller sees: none, team, ward, province, national."),
    )
    province = serializers.CharField(
        allow_null=True, help_text=_("Official code of the caller's province.")
    )
    ward = serializers.CharField(
        allow_null=True, help_text=_("Official code of the caller's ward.")
    )
    team = serializers.IntegerField(
        allow_null=True, help_text=_("Id of the caller's team.")
    )


class MeOutput(serializers.Serializer):
    username = serializers.CharField(
        allow_null=True, help_text=_("The account's username; null for an API key.")
    )
    api_key = serializers.CharField(
        allow_null=True,
        help_text=_("The first characters of the API key used; null for an account."),
    )
    role = serializers.ChoiceField(
        choices=Role.choices,
        allow_null=True,
        help_text=_("The account's role; null for an API key."),
    )
    scope = ScopeOutput()


@scoped  # shows the caller only itself
class MeApi(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]

    @extend_schema(
        summary="Who am I",
        description="The signed-in account, or the API key sent, and the area "
        "it may read.",
        tags=["accounts"],
        responses={
            200: MeOutput,
            401: OpenApiResponse(description="No, unknown or switched-off key."),
            403: OpenApiResponse(description="Not signed in."),
        },
    )
    def get(self, request):
        caller = request.user
        current = scope_for(caller)
        is_key = isinstance(caller, ApiKey)
        return Response(
            MeOutput(
                {
                    "username": None if is_key else caller.username,
                    "api_key": caller.prefix if is_key else None,
                    "role": None if is_key else caller.role,
                    "scope": {
                        "level": current.level.value,
                        "province": current.province,
                        "ward": current.ward,
                        "team": current.team,
                    },
                }
            ).data
        )
