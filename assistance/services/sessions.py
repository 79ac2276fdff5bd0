"""Recording and changing assistance sessions: the one write path for the
field pages, the API and the admin."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from functools import cache
from uuid import UUID

from django.db import connections, models, transaction
from django.utils import timezone

from accounts.scope import Level, scope_for
from areas.locks import month_lock_check
from core.capture import capture, version_of

from ..models import AssistanceSession, SessionService
from .checks import (
    WALK_IN_FIELDS,
    References,
    ServiceLine,
    reference_id,
    session_check,
    started_check,
)
from .follow_ups import session_lines_follow

# The rows a session names; each may be given as an instance or a bare id.
REFERENCES = ("team", "household", "resident", "service_point")


def session_record(
    *,
    client_uuid: UUID,
    team,
    members: list,
    started_at: datetime,
    place: str,
    services: list[ServiceLine],
    source: str,
    recorded_by=None,
    household=None,
    resident=None,
    service_point=None,
    duration_minutes: int | None = None,
    notes: str = "",
    visible_to=None,
    **walk_in,
) -> tuple[AssistanceSession, bool]:
    """Store a session once per ``client_uuid``; return it and whether it is new.

    The rows it names may be instances or bare ids; with ``visible_to`` (the
    sending user) only rows in that user's scope exist. A resend with the
    same content returns the stored session; with other content it raises
    :class:`core.capture.CaptureConflict`. A new session comes back with
    ``member_ids`` and ``service_rows`` as stored, for its answer.
    """
    started_check(started_at)
    content = session_fields(
        team=team,
        members=members,
        started_at=started_at,
        place=place,
        services=services,
        household=household,
        resident=resident,
        service_point=service_point,
        duration_minutes=duration_minutes,
        notes=notes,
        **walk_in,
    )
    digest = content_digest(content)

    def store() -> AssistanceSession:
        references = session_check(**content, visible_to=visible_to)
        session = AssistanceSession(
            client_uuid=client_uuid,
            source=source,
            recorded_by=recorded_by,
            content_digest=digest,
        )
        _insert(session, content, references)
        return session

    return capture(
        AssistanceSession,
        client_uuid=client_uuid,
        store=store,
        same=lambda stored: stored.content_digest == digest,
    )


class SessionChanged(Exception):
    """The session is no longer at the version the edit was made on."""

    def __init__(self, session: AssistanceSession):
        super().__init__(session_version(session))
        self.session = session


def session_version(session: AssistanceSession) -> str:
    """Which saved state of the session this is: its id and last change."""
    return version_of(session.pk, session.updated_at)


def session_update(
    *,
    session: AssistanceSession,
    visible_to=None,
    expected_versions: Collection[str] | None = None,
    **changes,
) -> AssistanceSession:
    """Apply an explicit edit; the same checks as a new session.

    The row is locked and read again first: two edits at the same moment are
    applied one after the other, the second on top of the first, so neither
    is lost. With ``expected_versions`` (a client's ``If-Match``) an edit
    made on another version raises :class:`SessionChanged` instead.
    """
    with transaction.atomic():
        # Locked first, then read again: what another edit saved meanwhile.
        rows = AssistanceSession.objects.select_for_update().filter(pk=session.pk)
        list(rows.values_list("pk", flat=True))
        session.refresh_from_db()
        if expected_versions is not None and (
            session_version(session) not in expected_versions
        ):
            raise SessionChanged(session)
        # A session dated in an approved month stays there, as it is.
        month_lock_check(ward_id=session.ward_id, day=session.started_on)
        content = session_content(session)
        content.update(changes)
        content = session_fields(**content)
        references = session_check(**content, visible_to=visible_to)
        _save(session, content, references)
    return session


def session_content(session: AssistanceSession) -> dict:
    """The editable content of a stored session, in :func:`session_record` terms."""
    return {
        "team": session.team,
        "members": list(session.members.all()),
        "started_at": session.started_at,
        "place": session.place,
        "services": [
            ServiceLine(line.service_type, line.outcome, line.reason, line.dossier_ref)
            for line in session.services.select_related("service_type")
        ],
        "household": session.household,
        "resident": session.resident,
        "service_point": session.service_point,
        "duration_minutes": session.duration_minutes,
        "notes": session.notes,
        **{name: getattr(session, name) for name in WALK_IN_FIELDS},
    }


def session_may_edit(user, session: AssistanceSession) -> bool:
    """Authors edit for a day; ward officials (and national staff) any time."""
    level = scope_for(user).level
    if level in (Level.NATIONAL, Level.WARD):
        return True
    if level == Level.TEAM:
        return (
            session.recorded_by_id == user.pk
            and timezone.now() - session.created_at < timedelta(hours=24)
        )
    return False


def session_fields(
    *,
    team,
    members: list,
    started_at: datetime,
    place: str,
    services: list[ServiceLine],
    household=None,
    resident=None,
    service_point=None,
    duration_minutes: int | None = None,
    notes: str = "",
    **walk_in,
) -> dict:
    """The content of a session, as checked, stored and fingerprinted."""
    return {
        "team": team,
        "members": members,
        "started_at": started_at,
        "place": place,
        "services": services,
        "household": household,
        "resident": resident,
        "service_point": service_point,
        "duration_minutes": duration_minutes,
        "notes": (notes or "").strip(),
        **{name: walk_in.get(name, _walk_in_default(name)) for name in WALK_IN_FIELDS},
    }


def content_digest(content: dict) -> str:
    """A stable fingerprint of what was submitted, for telling replays apart.

    ``demo.scale_sessions`` writes the same JSON for the sessions it seeds.
    """
    started = content["started_at"].astimezone(UTC).replace(microsecond=0)
    canonical = {
        "team": reference_id(content["team"]),
        "members": sorted(reference_id(member) for member in content["members"]),
        "started_at": started.isoformat(),
        "services": sorted(
            [
                line.service_type.pk,
                line.outcome,
                line.reason.strip(),
                line.dossier_ref.strip(),
            ]
            for line in content["services"]
        ),
        **{
            name: reference_id(value)
            for name, value in content.items()
            if name not in ("team", "members", "started_at", "services")
        },
    }
    encoded = json.dumps(canonical, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _walk_in_default(name: str):
    return "" if name in ("walk_in_gender", "walk_in_age_group") else False


def _fill(session: AssistanceSession, content: dict, refs: References) -> None:
    for name, value in content.items():
        if name in ("members", "services"):
            continue
        if name in REFERENCES and not isinstance(value, models.Model):
            name = name + "_id"
        setattr(session, name, value)
    session.derive(
        team_ward_id=refs.team_ward_id,
        resident_household_id=refs.resident_household_id,
    )


def _line(row: SessionService, line: ServiceLine) -> SessionService:
    row.service_type = line.service_type
    row.outcome = line.outcome
    row.reason = line.reason.strip() if line.outcome == "failed" else ""
    row.dossier_ref = line.dossier_ref.strip()
    if line.outcome != SessionService.Outcome.FOLLOW_UP:
        row.closed_at = None
    return row


def _insert(session: AssistanceSession, content: dict, refs: References) -> None:
    """Store a new session: its row, then its members and lines together.

    The session's own save is what the reports follow (its bucket holds the
    members and lines too) and what the audit trail records; the members and
    lines of a new session need no signal of their own.
    """
    _fill(session, content, refs)
    session.save()
    member_ids = list(dict.fromkeys(map(reference_id, content["members"])))
    lines = {line.service_type.pk: line for line in content["services"]}
    rows = [_line(SessionService(session=session), line) for line in lines.values()]
    _members_lines_insert(session, member_ids, rows)
    session_lines_follow(session, rows, open_follow_ups=refs.open_follow_ups)
    _answer_data(session, member_ids, rows)


def _members_lines_insert(
    session: AssistanceSession, member_ids: list, rows: list[SessionService]
) -> None:
    """Insert a new session's members and lines: one statement on PostgreSQL.

    Neither sends a signal (the session's own save stands for them, as in a
    bulk create); the lines come back with their ids.
    """
    through = AssistanceSession.members.through
    using = session._state.db
    connection = connections[using]
    if connection.vendor != "postgresql":
        through.objects.using(using).bulk_create(
            through(assistancesession_id=session.pk, member_id=member_id)
            for member_id in member_ids
        )
        SessionService.objects.using(using).bulk_create(rows)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _members_lines_sql(using),
            [
                session.pk,
                member_ids,
                session.pk,
                [row.service_type_id for row in rows],
                [row.outcome for row in rows],
                [row.reason for row in rows],
                [row.dossier_ref for row in rows],
                [row.closed_at for row in rows],
            ],
        )
        ids = dict(cursor.fetchall())  # by service, one line each
    for row in rows:
        row.pk = ids[row.service_type_id]
        row._state.adding = False
        row._state.db = using


@cache
def _members_lines_sql(using: str) -> str:
    # Built from the models' own tables and columns, once per database.
    connection = connections[using]

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    def columns(model, names):
        fields = [model._meta.get_field(name) for name in names]
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        arrays = ", ".join("%%s::%s[]" % f.cast_db_type(connection) for f in fields[1:])
        return quoted, arrays

    through = AssistanceSession.members.through
    member_columns, member_arrays = columns(through, ["assistancesession", "member"])
    line_columns, line_arrays = columns(
        SessionService,
        ["session", "service_type", "outcome", "reason", "dossier_ref", "closed_at"],
    )
    service = connection.ops.quote_name(
        SessionService._meta.get_field("service_type").column
    )
    # Tables and columns from the models' metadata; values are parameters.
    return (
        "WITH members AS (INSERT INTO %s (%s) SELECT %%s, * FROM unnest(%s)) "  # noqa: S608
        "INSERT INTO %s (%s) SELECT %%s, * FROM unnest(%s) RETURNING %s, %s"
        % (
            table(through),
            member_columns,
            member_arrays,
            table(SessionService),
            line_columns,
            line_arrays,
            service,
            connection.ops.quote_name(SessionService._meta.pk.column),
        )
    )


def _save(session: AssistanceSession, content: dict, refs: References) -> None:
    _fill(session, content, refs)
    session.save()
    member_ids = list(dict.fromkeys(map(reference_id, content["members"])))
    session.members.set(member_ids)
    lines = {line.service_type.pk: line for line in content["services"]}
    stored_lines = SessionService.objects.filter(session=session)
    stored_lines.exclude(service_type__in=lines).delete()
    stored = {line.service_type_id: line for line in stored_lines}
    rows = []
    for type_id, line in lines.items():
        row = _line(stored.get(type_id) or SessionService(session=session), line)
        row.save()
        rows.append(row)
    session_lines_follow(session, rows, open_follow_ups=refs.open_follow_ups)
    _answer_data(session, member_ids, rows)


def _answer_data(session: AssistanceSession, member_ids: list, rows: list) -> None:
    # What the session's answer shows of its members and lines, as stored:
    # members by id, lines in catalogue order (as a read shows them).
    session.member_ids = sorted(member_ids)
    session.service_rows = sorted(rows, key=lambda row: row.service_type.position)
