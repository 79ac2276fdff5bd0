# ruff: noqa: S608 - SQL built from model metadata; values are parameters
"""The capture's quick path: a phone's new session in one SQL statement.

Nearly every session is a team member's phone sending a new, valid session.
Through the ORM that costs a dozen round trips to the database and several
times the work of a plain signed-in request (README, B5). On PostgreSQL this
path stores it with one statement that checks what the database must check
(the members are in the team on that day, the household, resident and
service point are in the team's ward and in the sender's scope) and, if all
hold, inserts the session, its audit row, members and lines, and closes the
follow-ups it finishes, as :func:`~assistance.services.session_record` does.

It takes only what it is sure of: a team member's request whose every value
has the plain form the field page sends, and that passes every check. It
declines anything else (returns ``None``) without storing anything: a value
of another form, a check that fails, a UUID already stored, a level-2
activation for a resident (their e-ID level changes through the registry's
own save), a request from an official rather than a team member. The API
then takes the checked path, which words every refusal and answers every
resend. So this path never refuses, and it stores exactly the rows the
checked path would store: ``tests/assistance/test_quick.py`` sends the same
sessions down both and compares rows, audit rows, answers and signals.

The scope's conditions are the scope module's own, compiled from
:func:`accounts.scope.scope` once per scope and process.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.scope import Level, Scope, scope, scope_for
from households.models import Household, Resident
from teams.models import Member, Membership, ServicePoint

from .catalogue import service_catalogue
from .models import AssistanceSession, ServiceType, SessionService
from .replays import replays_forget
from .services import (
    CLOCK_SKEW,
    WALK_IN_FIELDS,
    ServiceLine,
    _content,
    _digest,
    _loaded,
)
from .signals import buckets_changed

OUTCOMES = frozenset(SessionService.Outcome.values)
FOLLOW_UP = SessionService.Outcome.FOLLOW_UP
FAILED = SessionService.Outcome.FAILED
PLACES = frozenset(AssistanceSession.Place.values)
SOURCES = frozenset((AssistanceSession.Source.FIELD, AssistanceSession.Source.API))
GENDERS = frozenset(["", *Resident.Gender.values])
AGE_GROUPS = frozenset(["", *AssistanceSession.AgeGroup.values])
FLAGS = WALK_IN_FIELDS[2:]  # the walk-in's yes/no facts
REFERENCES = ("household", "resident", "service_point")
KNOWN = frozenset(
    [
        "client_uuid",
        "team",
        "members",
        "started_at",
        "place",
        *REFERENCES,
        *WALK_IN_FIELDS,
        "services",
        "duration_minutes",
        "notes",
        "source",
    ]
)
LINE_KEYS = frozenset(["service", "outcome", "reason", "dossier_ref"])


def quick_record(
    request, *, catalogue_version: str | None = None
) -> AssistanceSession | None:
    """Store the request's new session in one statement, or decline (``None``).

    The session comes back as :func:`~assistance.services.session_record`
    returns a new one: its lines (and its member) loaded, as stored.
    ``catalogue_version`` is the service catalogue's, if just read.
    """
    if connection.vendor != "postgresql":
        return None
    where = scope_for(request.user)
    if where.level != Level.TEAM:
        return None
    plain = _plain(request.data, where, catalogue_version)
    if plain is None:
        return None
    client_uuid, source, content = plain
    return _store(client_uuid, source, content, where, request.user.pk)


def _plain(
    data, where: Scope, catalogue_version: str | None = None
) -> tuple[uuid.UUID, str, dict] | None:
    """The request's UUID, source and content (in ``session_record``'s terms)
    if every value has its plain form, else None.

    The plain forms are those the field page sends; what the serializer
    would also accept (numbers as text, "true", naive times...) declines.
    """
    if type(data) is not dict or not data.keys() <= KNOWN:
        return None
    text = _text(data.get("client_uuid"), 36)
    when = _text(data.get("started_at"), 40)
    if text is None or when is None:
        return None
    try:
        client_uuid = uuid.UUID(hex=text)
        started_at = parse_datetime(when)
    except ValueError:
        return None
    if started_at is None or started_at.tzinfo is None:
        return None
    started_at = started_at.astimezone(timezone.get_current_timezone())
    if started_at > timezone.now() + CLOCK_SKEW:
        return None
    team = data.get("team", where.team)
    if type(team) is not int or team != where.team:
        return None
    members = data.get("members")
    if type(members) is not list or not 0 < len(members) <= 50 or not _ids(members):
        return None
    references = {name: data.get(name) for name in REFERENCES}
    if not all(value is None or _ids([value]) for value in references.values()):
        return None
    walk_in = _walk_in(
        data, registered=bool(references["household"] or references["resident"])
    )
    services = _services(
        data.get("services"),
        resident=references["resident"],
        catalogue=service_catalogue(catalogue_version),
    )
    place, source = data.get("place"), data.get("source", AssistanceSession.Source.API)
    duration = data.get("duration_minutes")
    notes = _text(data.get("notes", ""), 2000)
    if (
        walk_in is None
        or services is None
        or not _one_of(place, PLACES)
        or not _one_of(source, SOURCES)
        or not (duration is None or (_ids([duration]) and duration <= 600))
        or notes is None
    ):
        return None
    content = _content(
        team=where.team,
        members=members,
        started_at=started_at,
        place=place,
        services=services,
        duration_minutes=duration,
        notes=notes,
        **references,
        **walk_in,
    )
    return client_uuid, source, content


def _text(value, longest: int) -> str | None:
    """A text as the serializer keeps it (trimmed), if plain and short enough."""
    if type(value) is not str or "\x00" in value:
        return None
    value = value.strip()
    return value if len(value) <= longest else None


def _one_of(value, choices: frozenset) -> bool:
    return type(value) is str and value in choices


def _ids(values) -> bool:
    return all(type(value) is int and 0 < value < 2**31 for value in values)


def _walk_in(data: dict, *, registered: bool) -> dict | None:
    """The walk-in's description, if plain and as the checks want it."""
    walk_in = {name: data.get(name, False) for name in FLAGS}
    walk_in["walk_in_gender"] = data.get("walk_in_gender", "")
    walk_in["walk_in_age_group"] = data.get("walk_in_age_group", "")
    if (
        not all(type(walk_in[name]) is bool for name in FLAGS)
        or not _one_of(walk_in["walk_in_gender"], GENDERS)
        or not _one_of(walk_in["walk_in_age_group"], AGE_GROUPS)
    ):
        return None
    if registered:
        described = any(walk_in.values())
    else:
        described = not (walk_in["walk_in_gender"] and walk_in["walk_in_age_group"])
    return None if described else walk_in


def _services(lines, *, resident, catalogue: dict) -> list[ServiceLine] | None:
    """The session's lines, if plain and as the checks want them."""
    if type(lines) is not list or not lines:
        return None
    result, seen = [], set()
    for line in lines:
        if type(line) is not dict or not line.keys() <= LINE_KEYS:
            return None
        service = (
            catalogue.get(line.get("service"))
            if type(line.get("service")) is str
            else None
        )
        outcome = line.get("outcome")
        reason = _text(line.get("reason", ""), 255)
        dossier_ref = _text(line.get("dossier_ref", ""), 50)
        if (
            service is None
            or service.pk in seen
            or not _one_of(outcome, OUTCOMES)
            or reason is None
            or dossier_ref is None
            or (outcome == FAILED and not reason)
            or (dossier_ref and not service.is_filing)
            # A resident's level-2 e-ID goes through the registry's own save.
            or (resident and service.code == ServiceType.LEVEL2_ACTIVATION)
        ):
            return None
        seen.add(service.pk)
        result.append(ServiceLine(service, outcome, reason, dossier_ref))
    return result


def _store(
    client_uuid: uuid.UUID, source: str, content: dict, where: Scope, user_id: int
) -> AssistanceSession | None:
    lines = content["services"]
    started_at: datetime = content["started_at"]
    day = timezone.localdate(started_at)
    values = {
        "client_uuid": client_uuid,
        "team": where.team,
        "members": list(dict.fromkeys(content["members"])),
        "day": day,
        "started_at": started_at,
        "place": content["place"],
        "household": content["household"],
        "resident": content["resident"],
        "service_point": content["service_point"],
        "duration_minutes": content["duration_minutes"],
        "notes": content["notes"],
        "source": source,
        "user": user_id,
        "digest": _digest(content),
        "types": [line.service_type.pk for line in lines],
        "outcomes": [line.outcome for line in lines],
        "reasons": [line.reason if line.outcome == FAILED else "" for line in lines],
        "dossiers": [line.dossier_ref for line in lines],
        "finished": [
            line.service_type.pk for line in lines if line.outcome != FOLLOW_UP
        ],
        **{name: content[name] for name in WALK_IN_FIELDS},
    }
    values["member_count"] = len(values["members"])
    rows = _run(where, values)
    stored = [row for row in rows if row[0] == "s"]
    if not stored:
        return None  # a check failed, or the UUID is stored: the checked path says
    # Rows of (kind, id, household, ward, day, time, time, UUID): the session,
    # its lines, and the earlier follow-ups it closed.
    _kind, pk, household_id, ward_id, _day, created_at, updated_at, _uuid = stored[0]
    session = AssistanceSession(
        pk=pk,
        client_uuid=client_uuid,
        ward_id=ward_id,
        team_id=where.team,
        started_at=started_at,
        started_on=day,
        place=content["place"],
        service_point_id=content["service_point"],
        household_id=household_id,
        resident_id=content["resident"],
        duration_minutes=content["duration_minutes"],
        notes=content["notes"],
        source=source,
        recorded_by_id=user_id,
        created_at=created_at,
        updated_at=updated_at,
        content_digest=values["digest"],
        **{name: content[name] for name in WALK_IN_FIELDS},
    )
    closed_at = {row[1]: row[5] for row in rows if row[0] == "l"}
    kept = sorted(lines, key=lambda line: line.service_type.position)
    session._prefetched_objects_cache = {
        "services": _loaded(
            session.services,
            [
                SessionService(
                    session=session,
                    service_type=line.service_type,
                    outcome=line.outcome,
                    reason=line.reason if line.outcome == FAILED else "",
                    dossier_ref=line.dossier_ref,
                    closed_at=closed_at[line.service_type.pk],
                )
                for line in kept
            ],
        ),
    }
    if len(values["members"]) == 1:
        # Several members come in the database's order of names, which only
        # the database knows: the answer reads them, as the checked path's does.
        loaded = _loaded(session.members, [Member(pk=values["members"][0])])
        session._prefetched_objects_cache["members"] = loaded
    closing = [row[3:5] for row in rows if row[0] == "c"]
    if closing:
        replays_forget({row[7] for row in rows if row[0] == "c"})
    buckets = {(ward_id, day), *closing}
    transaction.on_commit(
        lambda: buckets_changed.send(sender=AssistanceSession, buckets=buckets)
    )
    return session


def _run(where: Scope, values: dict) -> list[tuple]:
    """Execute the statement, prepared once per database connection.

    Planning it cost more than running it (1.6 against 0.8 ms): it is
    prepared on each connection the first time, with a generic plan (the
    connection's ``plan_cache_mode``; Django prepares nothing else), and
    each capture only executes it.
    """
    if values["resident"] is not None:
        who = "resident"
    elif values["household"] is not None:
        who = "household"
    else:
        who = None
    _sql, names, scoped = _template(where, who)
    name, prepare = _prepared(where, who)
    params = []
    for each in names:
        params.extend(scoped[each] if each in scoped else [values[each]])
    with connection.cursor() as cursor:
        raw = connection.connection
        held = getattr(connection, "_quick_prepared", None)
        if held is None or held[0] is not raw:  # a new connection
            held = connection._quick_prepared = (raw, set())
        if name not in held[1]:
            cursor.execute(prepare)
            held[1].add(name)
        cursor.execute(
            "EXECUTE %s (%s)" % (name, ", ".join(["%s"] * len(params))), params
        )
        return cursor.fetchall()


# The types of the statement's parameters, as PREPARE needs them; the scope's
# own are left for PostgreSQL to infer from where they stand ("unknown").
TYPES = {
    "client_uuid": "uuid",
    "team": "integer",
    "members": "integer[]",
    "member_count": "integer",
    "day": "date",
    "started_at": "timestamptz",
    "place": "text",
    "household": "integer",
    "resident": "integer",
    "service_point": "integer",
    "duration_minutes": "integer",
    "notes": "text",
    "source": "text",
    "user": "integer",
    "digest": "text",
    "types": "integer[]",
    "outcomes": "text[]",
    "reasons": "text[]",
    "dossiers": "text[]",
    "finished": "integer[]",
    "walk_in_gender": "text",
    "walk_in_age_group": "text",
    **dict.fromkeys(FLAGS, "boolean"),
}


@lru_cache(maxsize=256)
def _prepared(where: Scope, who: str | None) -> tuple[str, str]:
    """The prepared statement's name and the SQL that prepares it.

    Scopes of one level share it: their areas are parameters.
    """
    sql, names, scoped = _template(where, who)
    types = []
    for name in names:
        types.extend(
            ["unknown"] * len(scoped[name]) if name in scoped else [TYPES[name]]
        )
    numbers = iter(range(1, len(types) + 1))
    text = re.sub("%s", lambda _match: "$%d" % next(numbers), sql)
    name = "assistance_quick_" + hashlib.sha256(text.encode()).hexdigest()[:16]
    prepare = "PREPARE %s (%s) AS %s; SET plan_cache_mode = force_generic_plan" % (
        name,
        ", ".join(types),
        text,
    )
    return name, prepare


@lru_cache(maxsize=256)
def _template(
    where: Scope, who: str | None
) -> tuple[str, tuple[str, ...], dict[str, tuple]]:
    """The statement for one scope and whom the session helped (``"resident"``,
    ``"household"`` or ``None`` for a walk-in): SQL, its parameters' names in
    order, and the scope's own parameters for each of its conditions."""
    scoped_sql, scoped = {}, {}
    for name, model in (
        ("scoped_members", Member),
        ("scoped_households", Household),
        ("scoped_residents", Resident),
        ("scoped_points", ServicePoint),
    ):
        query = scope(model.objects.order_by().values("pk"), where).query
        sql, params = query.get_compiler(connection=connection).as_sql()
        scoped_sql[name], scoped[name] = sql, tuple(params)
    names: list[str] = []

    def p(name):  # a parameter, by name; the scope's are subqueries
        names.append(name)
        return scoped_sql.get(name, "%s")

    session = AssistanceSession._meta
    history = AssistanceSession.history.model._meta
    members_table = AssistanceSession.members.through._meta.db_table
    lines_table = SessionService._meta.db_table
    membership = Membership._meta.db_table
    team_table = session.get_field("team").related_model._meta.db_table
    q = connection.ops.quote_name
    # Every column of the session, as the INSERT fills it: from the checked
    # row "ok", the clock, or a parameter; the audit row copies them from the
    # new row.
    parameter_of = {
        "client_uuid": "client_uuid",
        "started_at": "started_at",
        "started_on": "day",
        "place": "place",
        "service_point_id": "service_point",
        "resident_id": "resident",
        "duration_minutes": "duration_minutes",
        "notes": "notes",
        "source": "source",
        "recorded_by_id": "user",
        "content_digest": "digest",
        **{field: field for field in WALK_IN_FIELDS},
    }
    fixed = {
        "ward_id": "ok.ward_id",
        "team_id": "ok.id",
        "created_at": "now()",
        "updated_at": "now()",
    }
    # Below: the resident's household if none is named.
    session_columns = {*parameter_of, *fixed, "household_id"}
    columns = [
        field.column for field in session.concrete_fields if not field.primary_key
    ]
    if set(columns) != session_columns:
        raise ImproperlyConfigured(
            "The quick capture does not fill the session's columns %s."
            % sorted(set(columns) ^ session_columns)
        )
    history_values = []
    for field in history.concrete_fields:
        column = field.column
        if column == "history_id":
            continue
        elif column == "history_type":
            history_values.append("'+'")
        elif column == "history_date":
            history_values.append("s.created_at")
        elif column == "history_change_reason":
            history_values.append("NULL")
        elif column == "history_user_id":
            history_values.append("s.recorded_by_id")
        elif column == "id" or column in session_columns:
            history_values.append("s.%s" % q(column))
        else:
            raise ImproperlyConfigured(
                "The quick capture cannot fill %s.%s." % (history.db_table, column)
            )
    history_columns = [
        q(field.column)
        for field in history.concrete_fields
        if field.column != "history_id"
    ]

    # The parameters' order follows the text: each p() call in reading order.
    ok = (
        "ok AS (SELECT t.id, t.ward_id FROM {team} t WHERE t.id = {team_id}"
        " AND {count} = (SELECT count(DISTINCT ms.member_id) FROM {membership} ms"
        " WHERE ms.team_id = t.id AND ms.member_id = ANY({members}::integer[])"
        " AND ms.joined_on <= {day}"
        " AND (ms.left_on IS NULL OR ms.left_on >= {day2})"
        " AND ms.member_id IN ({scoped_members}))"
        " AND ({household} IS NULL OR EXISTS (SELECT 1 FROM {households} h"
        " WHERE h.id = {household2} AND h.ward_id = t.ward_id"
        " AND h.id IN ({scoped_households})))"
        " AND ({resident} IS NULL OR EXISTS (SELECT 1 FROM {residents} r"
        " WHERE r.id = {resident2} AND CASE WHEN {household3} IS NULL"
        " THEN r.ward_id = t.ward_id ELSE r.household_id = {household4} END"
        " AND r.id IN ({scoped_residents})))"
        " AND ({point} IS NULL OR EXISTS (SELECT 1 FROM {points} sp"
        " WHERE sp.id = {point2} AND sp.ward_id = t.ward_id"
        " AND sp.id IN ({scoped_points}))))"
    )
    ok = ok.format(
        team=q(team_table),
        team_id=p("team"),
        membership=q(membership),
        count=p("member_count"),
        members=p("members"),
        day=p("day"),
        day2=p("day"),
        scoped_members=p("scoped_members"),
        household=p("household"),
        households=q(Household._meta.db_table),
        household2=p("household"),
        scoped_households=p("scoped_households"),
        resident=p("resident"),
        residents=q(Resident._meta.db_table),
        resident2=p("resident"),
        household3=p("household"),
        household4=p("household"),
        scoped_residents=p("scoped_residents"),
        point=p("service_point"),
        points=q(ServicePoint._meta.db_table),
        point2=p("service_point"),
        scoped_points=p("scoped_points"),
    )
    insert_values = []
    for column in columns:
        if column == "household_id":
            household, resident = p("household"), p("resident")
            expression = (
                "COALESCE(%s::integer, (SELECT household_id FROM %s WHERE id = %s))"
                % (household, q(Resident._meta.db_table), resident)
            )
        elif column in parameter_of:
            expression = p(parameter_of[column])
        else:
            expression = fixed[column]
        insert_values.append(expression)
    inserted = (
        "s AS (INSERT INTO {session} ({columns}) SELECT {values} FROM ok"
        " ON CONFLICT (client_uuid) DO NOTHING RETURNING *)".format(
            session=q(session.db_table),
            columns=", ".join(q(column) for column in columns),
            values=", ".join(insert_values),
        )
    )
    audit = "h AS (INSERT INTO {history} ({columns}) SELECT {values} FROM s)".format(
        history=q(history.db_table),
        columns=", ".join(history_columns),
        values=", ".join(history_values),
    )
    member = (
        "m AS (INSERT INTO {table} (assistancesession_id, member_id)"
        " SELECT s.id, x FROM s, unnest({members}::integer[]) AS x)".format(
            table=q(members_table), members=p("members")
        )
    )
    if who is None:  # a walk-in: no follow-ups to close
        given_closed = "NULL"
    else:
        # The follow-ups go by the person if named, else by the household. A
        # follow-up given here is closed at once if the same people's later
        # session already finished the service (phones log offline).
        given_closed = (
            "CASE WHEN x.outcome = 'follow_up' AND EXISTS (SELECT 1 FROM {lines} o"
            " JOIN {session} e ON e.id = o.session_id WHERE e.{who} = {id}"
            " AND o.service_type_id = x.type AND o.outcome <> 'follow_up'"
            " AND e.started_at >= {started_at}) THEN now() END"
        ).format(
            lines=q(lines_table),
            session=q(session.db_table),
            who=q(who + "_id"),
            id=p(who),
            started_at=p("started_at"),
        )
    lines = (
        "l AS (INSERT INTO {lines} (session_id, service_type_id, outcome, reason,"
        " dossier_ref, closed_at)"
        " SELECT s.id, x.type, x.outcome, x.reason, x.dossier, {given_closed}"
        " FROM s, unnest({types}::integer[], {outcomes}::text[],"
        " {reasons}::text[], {dossiers}::text[]) AS x(type, outcome, reason,"
        " dossier) RETURNING service_type_id, closed_at)"
    ).format(
        lines=q(lines_table),
        given_closed=given_closed,  # its parameters come first, as in the text
        types=p("types"),
        outcomes=p("outcomes"),
        reasons=p("reasons"),
        dossiers=p("dossiers"),
    )
    if who is None:
        closed = "c AS (SELECT NULL::varchar AS ward_id, NULL::date AS started_on,"
        closed += " NULL::uuid AS client_uuid WHERE false)"
    else:
        # The same people's earlier open follow-ups of the services finished here.
        closed = (
            "c AS (UPDATE {lines} o SET closed_at = now() FROM {session} e"
            " WHERE e.id = o.session_id AND e.{who} = {id}"
            " AND o.service_type_id = ANY({finished}::integer[])"
            " AND o.outcome = 'follow_up' AND o.closed_at IS NULL"
            " AND e.started_at <= {started_at} AND EXISTS (SELECT 1 FROM s)"
            " RETURNING e.ward_id, e.started_on, e.client_uuid)"
        ).format(
            lines=q(lines_table),
            session=q(session.db_table),
            who=q(who + "_id"),
            id=p(who),
            finished=p("finished"),
            started_at=p("started_at"),
        )
    answer = (
        "SELECT 's', s.id, s.household_id, s.ward_id, s.started_on, s.created_at,"
        " s.updated_at, NULL::uuid FROM s"
        " UNION ALL SELECT 'l', l.service_type_id, NULL, NULL, NULL, l.closed_at,"
        " NULL, NULL FROM l"
        " UNION ALL SELECT 'c', NULL, NULL, c.ward_id, c.started_on, NULL, NULL,"
        " c.client_uuid FROM c"
    )
    sql = "WITH %s, %s, %s, %s, %s, %s %s" % (
        ok,
        inserted,
        audit,
        member,
        lines,
        closed,
        answer,
    )
    return sql, tuple(names), scoped
