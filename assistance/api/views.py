"""The capture API: sessions created once per UUID, read and edited in scope."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from accounts.scope import Level, scope_for, scoped

from ..models import AssistanceSession, SessionService
from ..quick import quick_record
from ..replays import replay_find, replay_keep
from ..selectors import member_for, session_list
from ..services import (
    ServiceLine,
    SessionConflict,
    session_is_resend,
    session_may_edit,
    session_record,
    session_update,
)
from .filters import SessionFilter
from .serializers import (
    SessionInput,
    SessionOutput,
    SessionResendInput,
    SessionUpdateInput,
    session_shown,
)

WRITE_LEVELS = (Level.NATIONAL, Level.WARD, Level.TEAM)


class SessionPagination(CursorPagination):
    # The primary key is unique and always increasing: a pull never skips.
    ordering = "-id"
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"


def _sessions(user):
    # SessionOutput names the team, household and others by id: joining
    # their rows in only costs time. Each session's lines come in catalogue
    # order (the default order would join the sessions again to sort them).
    lines = SessionService.objects.select_related("service_type").order_by(
        "service_type__position"
    )
    return (
        session_list(user=user)
        .select_related(None)
        .prefetch_related(Prefetch("services", lines), "members")
    )


def _fields(data: dict, user, *, complete: bool) -> dict:
    """Turn validated API input into :func:`session_record` keywords.

    ``complete`` input (a new session, a full replacement) falls back to the
    caller's own team and member where it names none.
    """
    fields = dict(data)
    if complete and "team" not in fields:
        if scope_for(user).level != Level.TEAM:
            raise ApiValidationError({"team": [_("Say which team gave the help.")]})
        fields["team"] = user.team
    if complete and not fields.get("members"):
        member = member_for(user)
        if member is None:
            raise ApiValidationError(
                {"members": [_("Say which members gave the help.")]}
            )
        fields["members"] = [member]
    if "services" in fields:
        fields["services"] = [
            ServiceLine(
                line["service"],
                line["outcome"],
                line.get("reason", ""),
                line.get("dossier_ref", ""),
            )
            for line in fields["services"]
        ]
    return fields


def _resent(request) -> AssistanceSession | None:
    """The stored session if the request resends it with the same content.

    Asked when the checks of a new session refuse the request: a resend
    is answered from the stored row (read again: an official may have
    changed it) even if what it names has changed since it was stored.
    """
    try:
        client_uuid = serializers.UUIDField().run_validation(
            request.data.get("client_uuid")
        )
    except (AttributeError, ApiValidationError):  # not an object, or no UUID
        return None
    try:
        stored = _sessions(request.user).get(client_uuid=client_uuid)
    except AssistanceSession.DoesNotExist:
        return None
    data = SessionResendInput(data=request.data, context={"request": request})
    if not data.is_valid():
        return None
    values = dict(data.validated_data)
    if scope_for(request.user).level == Level.TEAM:
        values.setdefault("team", request.user.team_id)
    try:
        fields = _fields(values, request.user, complete=True)
    except ApiValidationError:
        return None
    return stored if session_is_resend(session=stored, **fields) else None


def _conflict(message: str, session) -> Response:
    body = {"client_uuid": [message]}
    if session is not None:
        body["id"] = session.pk
    return Response(body, status=status.HTTP_409_CONFLICT)


def _refused(error: DjangoValidationError) -> ApiValidationError:
    return ApiValidationError(error.message_dict)


@scoped
class SessionListCreateApi(ListAPIView):
    serializer_class = SessionOutput
    pagination_class = SessionPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = SessionFilter

    def get_queryset(self):
        return _sessions(self.request.user)

    @extend_schema(
        summary="List assistance sessions",
        description="Sessions in the caller's scope, newest first, cursor-paged.",
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Record an assistance session",
        request=SessionInput,
        responses={
            201: SessionOutput,
            200: OpenApiResponse(
                SessionOutput, description="Resent UUID: the stored session."
            ),
            400: OpenApiResponse(description="Each refused field and the reason."),
            409: OpenApiResponse(
                description="The UUID is already stored with other content."
            ),
        },
    )
    def post(self, request):
        if scope_for(request.user).level not in WRITE_LEVELS:
            raise PermissionDenied(_("Your role can read sessions but not log them."))
        kept, catalogue = replay_find(request)
        if kept is not None:
            return Response(kept)
        # A phone's plain new session is stored in one statement; anything
        # else (and every refusal) takes the checked path below.
        session = quick_record(request, catalogue_version=catalogue)
        if session is not None:
            return self._created(request, session)
        data = SessionInput(data=request.data, context={"request": request})
        if not data.is_valid():
            # Most sends are new: a resend is looked for only when a check
            # fails (what it names may have changed since it was stored).
            # One that passes them meets its stored twin in session_record.
            stored = _resent(request)
            if stored is not None:
                return Response(
                    SessionOutput(stored, context={"request": request}).data
                )
            raise ApiValidationError(data.errors)
        fields = _fields(data.validated_data, request.user, complete=True)
        try:
            session, created = session_record(recorded_by=request.user, **fields)
        except DjangoValidationError as error:
            raise _refused(error) from error
        except SessionConflict as conflict:
            return _conflict(
                _(
                    "Session %(uuid)s is already stored with other content; to "
                    "change it, edit the stored session."
                )
                % {"uuid": conflict.session.client_uuid},
                _sessions(request.user).filter(pk=conflict.session.pk).first(),
            )
        # A new session is in the sender's scope and comes back loaded as
        # stored; one stored by another request is read again.
        visible = (
            session
            if created
            else _sessions(request.user).filter(pk=session.pk).first()
        )
        if visible is None:
            # Stored, then moved out of the sender's scope by an official: the
            # resend is answered for good, without showing the session.
            return _conflict(
                _("Session %(uuid)s is already stored and now belongs to another team.")
                % {"uuid": session.client_uuid},
                None,
            )
        if created:
            return self._created(request, session)
        return Response(SessionOutput(visible, context={"request": request}).data)

    def _created(self, request, session) -> Response:
        answer = session_shown(session, request)
        replay_keep(client_uuid=session.client_uuid, request=request, answer=answer)
        return Response(answer, status=status.HTTP_201_CREATED)


@scoped
class SessionDetailApi(GenericAPIView):
    serializer_class = SessionOutput

    def get_queryset(self):
        return _sessions(self.request.user)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(summary="Read an assistance session")
    def get(self, request, pk):
        session = self.get_object()
        return Response(SessionOutput(session, context={"request": request}).data)

    @extend_schema(
        summary="Change an assistance session",
        request=SessionUpdateInput,
        responses={200: SessionOutput, 400: OpenApiResponse(), 403: OpenApiResponse()},
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Change part of an assistance session",
        request=SessionUpdateInput,
        responses={200: SessionOutput, 400: OpenApiResponse(), 403: OpenApiResponse()},
    )
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, *, partial):
        # The edit starts from the stored content, related rows and all.
        session = get_object_or_404(session_list(user=request.user), pk=pk)
        if not session_may_edit(request.user, session):
            raise PermissionDenied(
                _("Only its author can change a session, and only for 24 hours.")
            )
        data = SessionUpdateInput(
            data=request.data, partial=partial, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        changes.setdefault("team", session.team)
        changes = _fields(changes, request.user, complete=not partial)
        try:
            session_update(session=session, **changes)
        except DjangoValidationError as error:
            raise _refused(error) from error
        session = self.get_queryset().get(pk=session.pk)
        return Response(SessionOutput(session, context={"request": request}).data)
