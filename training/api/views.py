"""The workshop capture API: a workshop stored once per UUID, read and changed
in scope, pulled like sessions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from accounts.models import Role
from accounts.scope import Level, scope, scope_for, scoped
from core.api_errors import PreconditionFailed
from core.capture import (
    CaptureAnswers,
    api_errors,
    capture_response,
    if_match,
    tagged,
)
from core.pagination import (
    PullPagination,
    parameters_check,
    pull_list,
    pull_list_schema,
)

from ..models import WorkshopTombstone
from ..selectors import workshop_list
from ..services import (
    WorkshopChanged,
    workshop_record,
    workshop_update,
    workshop_version,
)
from .filters import WorkshopFilter
from .serializers import (
    WorkshopInput,
    WorkshopListItem,
    WorkshopOutput,
    WorkshopUpdateInput,
)

CONFLICT = gettext_lazy(
    "Workshop %(uuid)s is already stored with other content; to "
    "change it, ask a ward official."
)
MOVED = gettext_lazy(
    "Workshop %(uuid)s is already stored and now belongs to another team."
)
STALE = gettext_lazy(
    "The workshop was changed since you read it: read it again, then send your change."
)


def _may_log(user) -> bool:
    """Team leaders log their team's workshops; ward officials any team's."""
    level = scope_for(user).level
    if level == Level.TEAM:
        return user.role == Role.TEAM_LEADER
    return level in (Level.NATIONAL, Level.WARD)


def _may_change(user) -> bool:
    """As in the admin: ward officials (and national staff) correct workshops."""
    return scope_for(user).level in (Level.NATIONAL, Level.WARD)


@scoped
class WorkshopListCreateApi(ListAPIView):
    serializer_class = WorkshopListItem
    pagination_class = PullPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = WorkshopFilter

    def get_queryset(self):
        return workshop_list(user=self.request.user)

    @pull_list_schema(
        summary="List workshops",
        rows="workshops",
        component="WorkshopListEntry",
        item=WorkshopListItem,
    )
    def get(self, request, *args, **kwargs):
        parameters_check(request, WorkshopFilter.base_filters)
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return pull_list(self, scope(WorkshopTombstone.objects.all(), request.user))

    @extend_schema(
        summary="Record a workshop",
        description=(
            "Team leaders log their own team's workshops; ward officials name a "
            "team of their ward. A new workshop's address is in Location."
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
                description=(
                    "The UUID is already stored with other content, or the "
                    "month is approved and locked (code month_locked)."
                )
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
            where=lambda workshop: reverse(
                "training-api:workshop-detail", args=[workshop.pk]
            ),
        )
        return capture_response(
            lambda: workshop_record(recorded_by=request.user, **fields), answers
        )


@scoped
class WorkshopDetailApi(GenericAPIView):
    serializer_class = WorkshopOutput

    def get_queryset(self):
        return workshop_list(user=self.request.user)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _shown(self, workshop) -> Response:
        shown = WorkshopOutput(workshop, context={"request": self.request}).data
        return tagged(Response(shown))

    @extend_schema(
        summary="Read a workshop",
        description="The answer's ETag is the workshop's version, for If-Match.",
    )
    def get(self, request, pk):
        return self._shown(self.get_object())

    @extend_schema(
        summary="Change part of a workshop",
        description=(
            "Ward officials correct their ward's workshops; only the fields "
            "sent change. With If-Match (the ETag read), a change made on an "
            "older version is refused with 412."
        ),
        request=WorkshopUpdateInput,
        responses={
            200: WorkshopOutput,
            400: OpenApiResponse(description="Each refused field and the reason."),
            403: OpenApiResponse(description="The caller's role cannot change it."),
            412: OpenApiResponse(description="Changed since the version read."),
        },
    )
    def patch(self, request, pk):
        workshop = self.get_object()
        if not _may_change(request.user):
            raise PermissionDenied(
                _("Only ward officials change workshops; ask one to correct it.")
            )
        data = WorkshopUpdateInput(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        try:
            workshop = workshop_update(
                workshop=workshop,
                expected_versions=if_match(request),
                **data.validated_data,
            )
        except DjangoValidationError as error:
            raise ApiValidationError(api_errors(error)) from error
        except WorkshopChanged as changed:
            # The current version comes along, to read the workshop again with.
            etag = '"%s"' % workshop_version(changed.workshop)
            raise PreconditionFailed(STALE, headers={"ETag": etag}) from changed
        return self._shown(self.get_queryset().get(pk=workshop.pk))
