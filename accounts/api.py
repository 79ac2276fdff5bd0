"""The read API's access, shared by the areas and statistics endpoints, and
"who am I".

Officials signed in with a session (ward, province, national) and machine
clients with an API key read the areas and the statistics; both APIs take
their authentication, permission, request budget (``accounts.throttling``),
format negotiation and documented errors from here, below the apps that
serve them.

A client checks "who am I" to see which area its account or key reaches
before pulling anything, and the benchmarks use it as the cheapest
authenticated request the platform answers (session or key, no area query),
the baseline of the others.
"""

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .api_keys import ApiKeyAuthentication
from .authentication import SignedInSession
from .models import ADMIN_ROLES, ApiKey, Role
from .scope import Level, scope_for, scoped
from .throttling import StatsThrottle

AUTHENTICATION = [ApiKeyAuthentication, SignedInSession]
JSON = "application/json"


# What the read endpoints' errors mean there; their body is the one error
# shape, which core.schema gives every error answer.
INVALID = {
    400: OpenApiResponse(description="Each bad parameter and what is wrong with it.")
}
REFUSALS = {
    401: OpenApiResponse(description="No, unknown or switched-off key."),
    403: OpenApiResponse(description="The account may not read this."),
    404: OpenApiResponse(description="No such area within the caller's scope."),
    429: OpenApiResponse(description="Too many requests; see Retry-After."),
}


class StatisticsReader(BasePermission):
    message = _("Statistics are open to officials and to API keys.")

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated or scope_for(user).level == Level.NONE:
            return False
        return isinstance(user, ApiKey) or user.role in ADMIN_ROLES


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is a bad parameter (400), not a missing page."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            raise ValidationError(
                {
                    "format": [
                        gettext("Unknown format; use one of: %(formats)s.")
                        % {
                            "formats": ", ".join(
                                renderer.format for renderer in renderers
                            )
                        }
                    ]
                }
            )
        return matching


class StatisticsAccess:
    """Who may call, how often, and how answers are shaped: the read API."""

    authentication_classes = AUTHENTICATION
    permission_classes = [StatisticsReader]
    throttle_classes = [StatsThrottle]
    content_negotiation_class = FormatNegotiation
    renderer_classes = [JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors come out as JSON whatever the format asked (core.api_errors).
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Cookie", "X-Api-Key"])
        patch_cache_control(response, private=True, no_cache=True)
        return response


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
    authentication_classes = AUTHENTICATION

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
