"""The capture API: sessions created once per UUID, read and edited in scope."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
)
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

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
from teams.models import Member

from ..models import SessionService, SessionTombstone
from ..replays import replay_find, replay_keep
from ..selectors import member_for, session_list
from ..services import (
    ServiceLine,
    SessionChanged,
    session_may_edit,
    session_record,
    session_update,
    session_version,
)
from .filters import SessionFilter
from .serializers import (
    SessionBatchInput,
    SessionBatchOutput,
    SessionInput,
    SessionListItem,
    SessionOutput,
    SessionUpdateInput,
    session_shown,
)

WRITE_LEVELS = (Level.NATIONAL, Level.WARD, Level.TEAM)
STALE = gettext_lazy(
    "The session was changed since you read it: read it again, then send your change."
)


# What a client sends and gets, as the schema shows it.
HOUSEHOLD_VISIT = {
    "client_uuid": "3f6c2a8e-0b7d-4c1e-9a55-6d2f1b8e4c10",
    "started_at": "2026-11-24T09:30:00+07:00",
    "place": "home",
    "household": 125,
    "resident": 431,
    "services": [
        {"service": "vneid_level2", "outcome": "done"},
        {
            "service": "birth_registration",
            "outcome": "follow_up",
            "dossier_ref": "G22.01-241124-0042",
        },
    ],
    "duration_minutes": 20,
    "notes": "Bà cần con mang giấy khai sinh của cháu đến bổ sung.",
}
WALK_IN = {
    "client_uuid": "9b21d4f0-77aa-4e3b-8c1d-2f5e6a7b8c90",
    "started_at": "2026-11-24T14:05:00+07:00",
    "place": "centre",
    "service_point": 3,
    "walk_in_gender": "female",
    "walk_in_age_group": "60_plus",
    "walk_in_elderly_alone": True,
    "services": [{"service": "bill_qr", "outcome": "done"}],
    "duration_minutes": 10,
}
STORED = {
    "id": 5120,
    "client_uuid": HOUSEHOLD_VISIT["client_uuid"],
    "deleted": False,
    "ward": "00004",
    "team": 1,
    "members": [6],
    "started_at": "2026-11-24T09:30:00+07:00",
    "started_on": "2026-11-24",
    "place": "home",
    "service_point": None,
    "household": 125,
    "resident": 431,
    "walk_in_gender": None,
    "walk_in_age_group": None,
    "walk_in_elderly_alone": False,
    "walk_in_disability": False,
    "walk_in_poor": False,
    "walk_in_ethnic_minority": False,
    "walk_in_no_smartphone": False,
    "services": [
        {
            "service": "vneid_level2",
            "service_name": "Kích hoạt định danh điện tử mức 2",
            "outcome": "done",
            "reason": "",
            "dossier_ref": "",
            "closed_at": None,
        }
    ],
    "duration_minutes": 20,
    "notes": "",
    "source": "api",
    "created_at": "2026-11-24T09:31:12+07:00",
    "updated_at": "2026-11-24T09:31:12+07:00",
    "may_edit": True,
}
SESSION_EXAMPLES = [
    OpenApiExample("A household visit", value=HOUSEHOLD_VISIT, request_only=True),
    OpenApiExample("A walk-in at a service point", value=WALK_IN, request_only=True),
    OpenApiExample("The stored session", value=STORED, response_only=True),
]
CHANGE_EXAMPLES = [
    OpenApiExample(
        "Correct the duration and the notes",
        value={"duration_minutes": 25, "notes": "Đã hẹn quay lại thứ Sáu."},
        request_only=True,
    ),
    OpenApiExample("The stored session", value=STORED, response_only=True),
]


CONFLICT = gettext_lazy(
    "Session %(uuid)s is already stored with other content; to "
    "change it, edit the stored session."
)
MOVED = gettext_lazy(
    "Session %(uuid)s is already stored and now belongs to another team."
)


def _sessions(user):
    # SessionOutput names the team, household and others by id: joining
    # their rows in only costs time. Each session's lines come in catalogue
    # order (the default order would join the sessions again to sort them),
    # its members by id, as the answer to a new session shows them.
    lines = SessionService.objects.select_related("service_type").order_by(
        "service_type__position"
    )
    members = Member.objects.order_by("pk").only("pk")
    return (
        session_list(user=user)
        .select_related(None)
        .prefetch_related(Prefetch("services", lines), Prefetch("members", members))
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
        fields["team"] = user.team_id
    if complete and not fields.get("members"):
        member = member_for(user)
        if member is None:
            raise ApiValidationError(
                {"members": [_("Say which members gave the help.")]}
            )
        fields["members"] = [member.pk]
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


def _answers(request, sent) -> CaptureAnswers:
    def show(session, created: bool) -> dict:
        if not created:
            return SessionOutput(session, context={"request": request}).data
        answer = session_shown(session, request)
        replay_keep(
            client_uuid=session.client_uuid, request=request, sent=sent, answer=answer
        )
        return answer

    return CaptureAnswers(
        show=show,
        visible=lambda pk: _sessions(request.user).filter(pk=pk).first(),
        conflict=CONFLICT,
        moved=MOVED,
        where=lambda session: reverse(
            "assistance-api:session-detail", args=[session.pk]
        ),
    )


def _may_log(user) -> None:
    if scope_for(user).level not in WRITE_LEVELS:
        raise PermissionDenied(_("Your role can read sessions but not log them."))


def _session_capture(request, sent) -> Response:
    """Capture one session ``sent``, alone or as an item of a batch.

    Answers 201 (new), 200 (resent) or 409 (the UUID holds other content);
    raises the refusal (400) for the view to answer.
    """
    kept, catalogue = replay_find(request, sent)
    if kept is not None:
        return tagged(Response(kept))
    data = SessionInput(
        data=sent,
        context={"request": request, "catalogue_version": catalogue},
    )
    data.is_valid(raise_exception=True)
    fields = _fields(data.validated_data, request.user, complete=True)
    return capture_response(
        lambda: session_record(
            recorded_by=request.user, visible_to=request.user, **fields
        ),
        _answers(request, sent),
    )


@scoped
class SessionListCreateApi(ListAPIView):
    serializer_class = SessionListItem
    pagination_class = PullPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = SessionFilter

    def get_queryset(self):
        return _sessions(self.request.user)

    @pull_list_schema(
        summary="List assistance sessions",
        rows="sessions",
        component="SessionListEntry",
        item=SessionListItem,
    )
    def get(self, request, *args, **kwargs):
        parameters_check(request, SessionFilter.base_filters)
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return pull_list(self, scope(SessionTombstone.objects.all(), request.user))

    @extend_schema(
        summary="Record an assistance session",
        request=SessionInput,
        examples=SESSION_EXAMPLES,
        responses={
            201: SessionOutput,
            200: OpenApiResponse(
                SessionOutput, description="Resent UUID: the stored session."
            ),
            400: OpenApiResponse(description="Each refused field and the reason."),
            409: OpenApiResponse(
                description=(
                    "The UUID is already stored with other content, or the "
                    "month is approved and locked (code month_locked)."
                )
            ),
        },
    )
    def post(self, request):
        _may_log(request.user)
        return _session_capture(request, request.data)


@scoped
class SessionBatchApi(GenericAPIView):
    serializer_class = SessionBatchInput

    @extend_schema(
        summary="Record several assistance sessions at once",
        description=(
            "A phone's offline queue in one request: 1 to 100 sessions, each "
            "answered as a single POST of it would be (201, 200, 400, 403 or "
            "409, with the same body), in the order sent. Each is stored in "
            "its own transaction: a refused one never undoes or holds back "
            "another. A UUID sent twice is stored once, as two POSTs would."
        ),
        request=SessionBatchInput,
        examples=[
            OpenApiExample(
                "A queue of two",
                value={"sessions": [HOUSEHOLD_VISIT, WALK_IN]},
                request_only=True,
            ),
            OpenApiExample(
                "One stored, one resent",
                value={
                    "results": [
                        {
                            "client_uuid": HOUSEHOLD_VISIT["client_uuid"],
                            "status": 201,
                            "body": STORED,
                            "location": "/api/v1/sessions/5120/",
                        },
                        {
                            "client_uuid": WALK_IN["client_uuid"],
                            "status": 200,
                            "body": {**STORED, "id": 5119, **WALK_IN},
                        },
                    ]
                },
                response_only=True,
            ),
        ],
        responses={
            200: SessionBatchOutput,
            400: OpenApiResponse(description="The sessions are not a list of 1-100."),
            403: OpenApiResponse(description="The caller's role may not log sessions."),
        },
    )
    def post(self, request):
        _may_log(request.user)
        batch = SessionBatchInput(data=request.data)
        batch.is_valid(raise_exception=True)
        results = [self._answer(sent) for sent in batch.validated_data["sessions"]]
        return Response(SessionBatchOutput({"results": results}).data)

    def _answer(self, sent) -> dict:
        """One item's answer, as a single POST of it would be answered."""
        try:
            response = _session_capture(self.request, sent)
        except APIException as refusal:
            handler = self.get_exception_handler()
            response = handler(refusal, self.get_exception_handler_context())
        sent_uuid = sent.get("client_uuid") if isinstance(sent, dict) else None
        result = {
            "client_uuid": sent_uuid if isinstance(sent_uuid, str) else None,
            "status": response.status_code,
            "body": response.data,
        }
        if response.has_header("Location"):
            result["location"] = response["Location"]
        return result


# What a change (PUT or PATCH) takes and answers.
CHANGE_SCHEMA = {
    "request": SessionUpdateInput,
    "examples": CHANGE_EXAMPLES,
    "responses": {
        200: SessionOutput,
        400: OpenApiResponse(),
        403: OpenApiResponse(),
        412: OpenApiResponse(description="Changed since the version read."),
    },
}


@scoped
class SessionDetailApi(GenericAPIView):
    serializer_class = SessionOutput

    def get_queryset(self):
        return _sessions(self.request.user)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="Read an assistance session",
        description="The answer's ETag is the session's version, for If-Match.",
    )
    def get(self, request, pk):
        session = self.get_object()
        return tagged(
            Response(SessionOutput(session, context={"request": request}).data)
        )

    @extend_schema(
        summary="Change an assistance session",
        description=(
            "Two changes sent at once are applied one after the other. With "
            "If-Match (the ETag read), a change made on an older version is "
            "refused with 412."
        ),
        **CHANGE_SCHEMA,
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Change part of an assistance session",
        description=(
            "Only the fields sent change; two changes sent at once both "
            "survive. With If-Match, 412 when the session changed since."
        ),
        **CHANGE_SCHEMA,
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
        if not partial:
            changes.setdefault("team", session.team_id)
        changes = _fields(changes, request.user, complete=not partial)
        try:
            session_update(
                session=session,
                visible_to=request.user,
                expected_versions=if_match(request),
                **changes,
            )
        except DjangoValidationError as error:
            raise ApiValidationError(api_errors(error)) from error
        except SessionChanged as changed:
            # The current version comes along, to read the session again with.
            etag = '"%s"' % session_version(changed.session)
            raise PreconditionFailed(STALE, headers={"ETag": etag}) from changed
        session = self.get_queryset().get(pk=session.pk)
        return tagged(
            Response(SessionOutput(session, context={"request": request}).data)
        )
