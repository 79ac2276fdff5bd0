"""The workshop capture API: a workshop stored once per UUID, read in scope."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView

from accounts.models import Role
from accounts.scope import Level, scope_for, scoped
from core.capture import CaptureAnswers, capture_response
from core.pagination import PullPagination, parameters_check

from ..selectors import workshop_list
from ..services import workshop_record
from .serializers import WorkshopInput, WorkshopOutput

CONFLICT = gettext_lazy(
    "Workshop %(uuid)s is already stored with other content; to "
    "change it, ask a ward official."
)
MOVED = gettext_lazy(
    "Workshop %(uuid)s is already stored and now belongs to another team."
)


def _may_log(user) -> bool:
    """Team leaders log their team's workshops; ward officials any team's."""
    level = scope_for(user).level
    if level == Level.TEAM:
        return user.role == Role.TEAM_LEADER
    return level in (Level.NATIONAL, Level.WARD)


@scoped
class WorkshopListCreateApi(ListAPIView):
    serializer_class = WorkshopOutput
    pagination_class = PullPagination

    def get_queryset(self):
        return workshop_list(user=self.request.user)

    @extend_schema(
        summary="List workshops",
        description="Workshops in the caller's scope, newest first, cursor-paged.",
    )
    def get(self, request, *args, **kwargs):
        parameters_check(request)
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Record a workshop",
        description=(
            "Team leaders log their own team's workshops; ward officials name a "
            "team of their ward."
        ),
        request=WorkshopInput,
        responses={
            201: WorkshopOutput,
            200: OpenApiResponse(
                WorkshopOutput, description="Resent UUID: the stored workshop."
            ),
            400: OpenApiResponse(description="Each refused field and the reason."),
            403: OpenApiResponse(description="The caller's role cannot log workshops."),
            409: OpenApiResponse(
                description="The UUID is already stored with other content."
            ),
        },
    )
    def post(self, request):
        if not _may_log(request.user):
            raise PermissionDenied(
                _("Only team leaders and ward officials log workshops.")
            )
        data = WorkshopInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "team" not in fields:
            if scope_for(request.user).level != Level.TEAM:
                raise ApiValidationError({"team": [_("Say which team ran it.")]})
            fields["team"] = request.user.team
        answers = CaptureAnswers(
            show=lambda workshop, created: (
                WorkshopOutput(workshop, context={"request": request}).data
            ),
            visible=lambda pk: self.get_queryset().filter(pk=pk).first(),
            conflict=CONFLICT,
            moved=MOVED,
        )
        return capture_response(
            lambda: workshop_record(recorded_by=request.user, **fields), answers
        )
