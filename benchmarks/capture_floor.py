"""What a capture costs in one process, and the least a Django create can cost.

B5 compares the capture's p95 under load with /api/v1/me/'s; with the server
saturated, that ratio follows what each request costs. This script times, in
one process with Django's test client (no network, no load, no wrk):

- /api/v1/me/, the baseline;
- a new session through the capture API (the one write path,
  ``assistance.services.session_record``), and its resend;
- the least a new session can cost through the ORM: the two checks that need
  the database (household in the ward, members in the team), the session's
  row with its audit row, its member and line, the follow-up lookup and the
  commit; no HTTP, no sign-in, no parsing, no answer;
- the same work in SQL written by hand, the session, its audit row, member
  and line inserted by one statement (PostgreSQL only).

It runs on a seeded benchmark database and removes the rows it adds itself:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_full \\
        python -m benchmarks.capture_floor
"""

import os
import statistics
import time
import uuid

from benchmarks.common import django_setup

ROUNDS = int(os.environ.get("FLOOR_ROUNDS", "400"))
WARM = 30
MARK = "capture-floor"  # the content digest of the least creates' rows


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def api_times(username: str) -> dict[str, float]:
    from django.test import Client

    from accounts.models import User
    from benchmarks.b5_capture import capture_body

    body, households = capture_body(username)
    households = households.split(",")
    client = Client()
    client.force_login(User.objects.get(username=username))
    times = {"me": [], "create": [], "resend": []}

    def timed(name, call, status):
        started = time.perf_counter()
        answer = call()
        times[name].append(time.perf_counter() - started)
        assert answer.status_code == status, answer.content[:300]

    for round_ in range(WARM + ROUNDS):
        session = body.replace("__UUID__", str(uuid.uuid4())).replace(
            "__HOUSEHOLD__", households[round_ % len(households)]
        )

        def post(session=session):
            return client.post(
                "/api/v1/sessions/", session, content_type="application/json"
            )

        timed("create", post, 201)
        timed("resend", post, 200)
        timed("me", lambda: client.get("/api/v1/me/"), 200)
        if round_ == WARM - 1:
            times = {name: [] for name in times}
    return {name: median_ms(values) for name, values in times.items()}


def member_setting(username: str):
    """The member's account and team, one of its members, the first active
    service and the team's ward's households, as both least creates use them."""
    from accounts.models import User
    from assistance.models import ServiceType
    from households.models import Household
    from teams.models import Membership

    user = User.objects.select_related("team").get(username=username)
    team = user.team
    member = Membership.objects.filter(team=team).values_list("member", flat=True)[0]
    service = ServiceType.objects.filter(is_active=True).order_by("pk")[0]
    households = list(
        Household.objects.filter(ward=team.ward_id).values_list("pk", flat=True)[:500]
    )
    return user, team, member, service, households


def least_create_ms(username: str) -> float:
    from django.db import transaction
    from django.utils import timezone

    from assistance.models import AssistanceSession, SessionService
    from households.models import Household
    from teams.models import Membership

    _user, team, member, service, households = member_setting(username)
    through = AssistanceSession.members.through
    times = []
    for round_ in range(WARM + ROUNDS):
        started = time.perf_counter()
        household = Household.objects.get(
            pk=households[round_ % len(households)], ward=team.ward_id
        )
        Membership.objects.filter(team=team, member__in=[member]).exists()
        with transaction.atomic():
            session = AssistanceSession(
                client_uuid=uuid.uuid4(),
                team=team,
                ward_id=team.ward_id,
                started_at=timezone.now(),
                started_on=timezone.localdate(),
                place=AssistanceSession.Place.HOME,
                household=household,
                source=AssistanceSession.Source.API,
                content_digest=MARK,
            )
            session.save()  # and its audit row
            through.objects.bulk_create(
                [through(assistancesession_id=session.pk, member_id=member)]
            )
            SessionService.objects.bulk_create(
                [SessionService(session=session, service_type=service, outcome="done")]
            )
            list(
                SessionService.objects.filter(
                    session__household=household,
                    service_type__in=[service],
                    outcome=SessionService.Outcome.FOLLOW_UP,
                    closed_at__isnull=True,
                ).values_list("session__ward", "session__started_on")
            )
        if round_ >= WARM:
            times.append(time.perf_counter() - started)
    return median_ms(times)


def least_sql_create_ms(username: str) -> float:
    """The same work in SQL written by hand: the two checks, one statement that
    inserts the session with its audit row, member and line, the follow-up
    lookup and the commit (PostgreSQL only)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from assistance.models import AssistanceSession, SessionService

    user, team, member, service, households = member_setting(username)
    service = service.pk
    history = AssistanceSession.history.model._meta
    copied = [
        field.column
        for field in history.concrete_fields
        if not field.name.startswith("history_")
    ]
    statement = """
        WITH s AS (
            INSERT INTO {session} (client_uuid, ward_id, team_id, started_at,
                started_on, place, household_id, walk_in_gender, walk_in_age_group,
                walk_in_elderly_alone, walk_in_disability, walk_in_poor,
                walk_in_ethnic_minority, walk_in_no_smartphone, notes, source,
                recorded_by_id, created_at, updated_at, content_digest)
            VALUES (%s, %s, %s, %s, %s, 'home', %s, '', '', false, false, false,
                false, false, '', 'api', %s, now(), now(), %s)
            RETURNING *
        ), h AS (
            INSERT INTO {history} ({copied}, history_date, history_type,
                history_user_id)
            SELECT {copied}, now(), '+', recorded_by_id FROM s
        ), m AS (
            INSERT INTO {members} (assistancesession_id, member_id)
            SELECT id, %s FROM s
        ), l AS (
            INSERT INTO {lines} (session_id, service_type_id, outcome, reason,
                dossier_ref)
            SELECT id, %s, 'done', '', '' FROM s
        )
        SELECT id, created_at FROM s
    """.format(
        session=AssistanceSession._meta.db_table,
        history=history.db_table,
        copied=", ".join(copied),
        members=AssistanceSession.members.through._meta.db_table,
        lines=SessionService._meta.db_table,
    )
    times = []
    with connection.cursor() as cursor:
        for round_ in range(WARM + ROUNDS):
            started = time.perf_counter()
            household = households[round_ % len(households)]
            today = timezone.localdate()
            cursor.execute(
                "SELECT id, ward_id FROM households_household "
                "WHERE id = %s AND ward_id = %s",
                [household, team.ward_id],
            )
            cursor.fetchone()
            cursor.execute(
                "SELECT member_id FROM teams_membership WHERE team_id = %s "
                "AND member_id = ANY(%s) AND joined_on <= %s "
                "AND (left_on IS NULL OR left_on >= %s)",
                [team.pk, [member], today, today],
            )
            cursor.fetchall()
            with transaction.atomic():
                cursor.execute(
                    statement,
                    [
                        uuid.uuid4(),
                        team.ward_id,
                        team.pk,
                        timezone.now(),
                        today,
                        household,
                        user.pk,
                        MARK,
                        member,
                        service,
                    ],
                )
                cursor.fetchone()
                cursor.execute(
                    "SELECT s.ward_id, s.started_on FROM assistance_sessionservice l "
                    "JOIN assistance_assistancesession s ON l.session_id = s.id "
                    "WHERE s.household_id = %s AND l.service_type_id = ANY(%s) "
                    "AND l.outcome = 'follow_up' AND l.closed_at IS NULL",
                    [household, [service]],
                )
                cursor.fetchall()
            if round_ >= WARM:
                times.append(time.perf_counter() - started)
    return median_ms(times)


def least_creates_remove() -> None:
    from assistance.models import AssistanceSession, SessionTombstone

    sessions = AssistanceSession.objects.filter(content_digest=MARK)
    made = list(sessions.values_list("pk", flat=True))
    AssistanceSession.history.filter(
        id__in=sessions.values("pk")
    ).delete()  # the audit rows of rows made only to be timed
    AssistanceSession.members.through.objects.filter(
        assistancesession__in=sessions
    ).delete()
    sessions.delete()
    SessionTombstone.objects.filter(pk__in=made).delete()  # nobody pulls these


def main():
    django_setup()
    from django.conf import settings

    from accounts.models import User
    from benchmarks.http_load import DEMO_LOGINS
    from demo.scale import SCALE_LOGINS

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    username = next(
        name
        for name in (SCALE_LOGINS["member"], DEMO_LOGINS["member"])
        if User.objects.filter(username=name, is_active=True).exists()
    )
    api = api_times(username)
    try:
        least = least_create_ms(username)
        least_sql = least_sql_create_ms(username)
    finally:
        least_creates_remove()
    me = api["me"]
    pair = (api["create"] + api["resend"]) / 2
    print("Medians of %d rounds in one process (ms; against /api/v1/me/):" % ROUNDS)
    for label, value in (
        ("/api/v1/me/, signed in", me),
        ("capture: new session", api["create"]),
        ("capture: its resend", api["resend"]),
        ("capture: mean of the two (as B5 sends them)", pair),
        ("least ORM create (no HTTP, sign-in, parsing or answer)", least),
        ("mean if a create cost only that plus /me, a resend only /me", least / 2 + me),
        ("least create in hand-written SQL (one statement)", least_sql),
        ("mean if a create cost only that plus /me, a resend /me", least_sql / 2 + me),
    ):
        print("  %-58s %6.2f ms  %5.2f×" % (label, value, value / me))


if __name__ == "__main__":
    main()
