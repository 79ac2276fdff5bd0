"""B5 and B8c: logging sessions from 20 phones at once, alone and beside an export.

Each phone (one wrk connection, signed in as the team member, CSRF token as
the field page sends it) posts new sessions to ``/api/v1/sessions/`` and
sends each one twice, as a phone retries after a lost answer: 201, then 200
with the stored session. B5 compares the p95 of all those requests with the
p95 of ``/api/v1/me/`` for the same member, then counts the rows of the run's
UUIDs in the database: exactly one per UUID sent. A second run sends each new
session once, with no retry, and prints how many the server stored a second,
against the largest province's projected campaign peak
(:data:`PEAK_PER_SECOND`). B8c does the capture again
while a Celery job builds the Excel file of the province's households, and
compares its p95 with the capture's alone.

    python -m benchmarks.b5_capture --scale small --out figures.jsonl
"""

import argparse
import json
import os
import secrets
import time
from datetime import timedelta
from uuid import UUID

from benchmarks.common import Figure, django_setup, figures_write
from benchmarks.http_load import (
    LOAD_SECONDS,
    accounts,
    environment_apply,
    load,
    login,
    served,
)

ME = "/api/v1/me/"
SESSIONS = "/api/v1/sessions/"
# A phone waits for each answer before it sends again: one connection a thread.
PHONES = 20
EXPORT_START_TIMEOUT = 60
EXPORT_FINISH_TIMEOUT = 600
SETTLE_TIMEOUT = 30
# Hồ Chí Minh City, ~11,000 members: about 25 new sessions a second at the
# height of a campaign (issue 19). The capture should hold ten times that.
PEAK_PER_SECOND = 25.0


def capture_body(username: str) -> tuple[str, str]:
    """A valid session of the member's team, with __UUID__ and __HOUSEHOLD__
    left for wrk to fill in; and the ward's household ids, comma-separated."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.scope import scope
    from assistance.models import AssistanceSession, ServiceType
    from assistance.selectors import member_for
    from households.models import Household

    user = User.objects.get(username=username)
    member = member_for(user)
    households = list(
        scope(Household.objects.order_by("pk"), user).values_list("pk", flat=True)[:500]
    )
    service = ServiceType.objects.filter(is_active=True).order_by("pk").first()
    body = {
        "client_uuid": "__UUID__",
        "members": [member.pk],
        "started_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "place": AssistanceSession.Place.HOME,
        "household": "__HOUSEHOLD__",
        "services": [{"service": service.code, "outcome": "done"}],
        "source": "field",
    }
    template = json.dumps(body).replace('"__HOUSEHOLD__"', "__HOUSEHOLD__")
    return template, ",".join(str(pk) for pk in households)


def rows_of_run(tag: str) -> int:
    from assistance.models import AssistanceSession

    return AssistanceSession.objects.filter(
        client_uuid__gte=UUID("%s-0000-0000-0000-000000000000" % tag),
        client_uuid__lte=UUID("%s-ffff-ffff-ffff-ffffffffffff" % tag),
    ).count()


def capture(
    server, session, body, households, *, label, seconds=LOAD_SECONDS, once=False
):
    tag = secrets.token_hex(4)
    result = load(
        server,
        SESSIONS,
        label=label,
        headers={**session, "Content-Type": "application/json"},
        expected=(200, 201),
        script="capture.lua",
        args=(tag, body, households, "once" if once else "twice"),
        connections=PHONES,
        threads=PHONES,
        seconds=seconds,
        warm=False,
    )
    return result, tag


def rows_settled(tag: str, sent: int) -> int:
    """The run's rows once the requests still in the server when wrk stopped
    are through: when all are there, or the count stops moving for 3 s."""
    found, still_since = rows_of_run(tag), time.monotonic()
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while found != sent and time.monotonic() < deadline:
        time.sleep(0.5)
        now = rows_of_run(tag)
        if now != found:
            found, still_since = now, time.monotonic()
        elif time.monotonic() - still_since > 3:
            break
    return found


def export_job_wait(job_id: int, timeout: float):
    """Poll until the job is done or failed, or ``timeout`` seconds pass."""
    from accounts.models import ExportJob

    deadline = time.monotonic() + timeout
    while True:
        job = ExportJob.objects.get(pk=job_id)
        if not job.is_pending or time.monotonic() > deadline:
            return job
        time.sleep(0.5)


def export_alongside(server, session, body, households, province_user):
    """Capture while the province's household export runs; None if impossible."""
    from django.contrib import admin

    from accounts.export_jobs import export_job_create
    from accounts.models import ExportJob, User
    from households.models import Household

    job_id = export_job_create(
        user=User.objects.get(username=province_user),
        model_admin=admin.site.get_model_admin(Household),
        query="",
    ).pk
    deadline = time.monotonic() + EXPORT_START_TIMEOUT
    while ExportJob.objects.get(pk=job_id).status == ExportJob.Status.QUEUED:
        if time.monotonic() > deadline:
            raise RuntimeError("The export job did not start: is the worker up?")
        time.sleep(0.2)
    started = time.monotonic()
    during, _tag = capture(server, session, body, households, label="capture+export")
    still_running = ExportJob.objects.get(pk=job_id).is_pending
    job = export_job_wait(job_id, EXPORT_FINISH_TIMEOUT)
    if job.status != ExportJob.Status.DONE:
        raise RuntimeError("The export job ended %s: %s" % (job.status, job.error))
    overlap = (
        "the whole load" if still_running else "part of the load only (it ended first)"
    )
    note = "export of %s households ran %.0f s, over %s; %s" % (
        f"{job.row_count or 0:,}",
        time.monotonic() - started,
        overlap,
        during.note(),
    )
    return during, note


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    parser.add_argument("--no-export", action="store_true", help="B5 only")
    options = parser.parse_args()
    environment_apply()
    database_url = os.environ["DATABASE_URL"]
    logins = accounts(database_url)
    django_setup()
    body, households = capture_body(logins["member"])

    with served(database_url, label="capture") as server:
        session = login(server, logins["member"])
        me = load(server, ME, label="me (member)", headers=session)
        # Warm the workers on the write path, away from the counted run.
        capture(server, session, body, households, label="warm-up", seconds=3)
        alone, tag = capture(server, session, body, households, label="capture")
        sent = alone.extra["sent"]
        found = rows_settled(tag, sent)
        # New sessions only, each sent once: what the server can store.
        fresh, fresh_tag = capture(
            server, session, body, households, label="capture, new only", once=True
        )
        stored = rows_settled(fresh_tag, fresh.extra["sent"])
        figures = [
            Figure(
                "B5", "capture p95, 20 phones, each sent twice", alone.p95, "ms",
                me.p95, "/api/v1/me/ p95 (member)", ("<=", 2.5),
                note="%s; p50 %.0f ms (me: %s)" % (alone.note(), alone.p50, me.note()),
            ),
            # The unique UUID makes a second row impossible; a lost one is not.
            Figure(
                "B5", "capture: rows stored per UUID sent", found, "rows",
                sent, "UUIDs sent (each twice)", (">=", 1.0),
                note="%d UUIDs sent, %d requests, %d rows found"
                % (sent, alone.requests, found),
            ),
            Figure(
                "B5", "capture: new sessions stored a second", stored / fresh.seconds,
                "/s", PEAK_PER_SECOND, "largest province's campaign peak",
                (">=", 10.0),
                note="%d new sessions in %.0f s, 20 phones, each sent once; "
                "p95 %.0f ms" % (stored, fresh.seconds, fresh.p95),
            ),
        ]  # fmt: skip
        if not options.no_export:
            during, note = export_alongside(
                server, session, body, households, logins["province"]
            )
            if during is None:
                print("B8c skipped: %s." % note)
            else:
                figures.append(
                    Figure(
                        "B8c", "capture p95 while an Excel export runs", during.p95,
                        "ms", alone.p95, "capture p95 alone", ("<=", 1.2), note=note,
                    )
                )  # fmt: skip
    figures_write(options.out, figures)


if __name__ == "__main__":
    main()
