"""A year of summary rows for every commune of the country (``--scale national``).

The national pages and the statistics API read summary tables only, so the
national benchmark needs those, not the raw sessions behind them: writing a
hundred million sessions to rebuild their summaries would take this machine
days. Every row here is written by set-based SQL (``INSERT … SELECT`` over
``generate_series``), table by table, with the bucket's unique index dropped
while loading and built again after (one sort instead of millions of random
inserts).

What is written, for all 3,321 communes:

- a weight per commune: urban wards (phường) busier than rural communes, Hà
  Nội and Hồ Chí Minh City busier again, and a random spread;
- hamlets (4–25 a commune), teams (5–30), and the registry's households
  (about 3,000 a commune, a third of them in a priority group), since the
  coverage figures count the households reached against the registry;
- for each day of the year, the sessions of each team (``DayTeamStat``;
  weekdays busy, Saturdays lighter, Sundays quiet), the services given by
  type (``DayServiceStat``), two members per active team (``DayMemberStat``),
  the households reached (``DayHousehold``: as many as the sessions, distinct
  within the day, each with the household's previous day and the register's
  flags: all registered in their commune) and workshops on
  about one day in four (``DayWorkshopStat``);
- the registry figures per commune, hamlet and team, and one figures stamp
  per commune.

Members are not written (``DayMemberStat`` points at member ids that the
national pages only count). ``setseed`` makes a run on an empty database
reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from areas.models import Hamlet, Ward
from areas.services import areas_load
from demo.scale import SCALE_LOGINS, USERS, ScaleSeedRefused, accounts_seed
from demo.scale_load import indexes_deferred
from households.models import Household
from reports.models import (
    DayHousehold,
    DayMemberStat,
    DayServiceStat,
    DayTeamStat,
    DayWorkshopStat,
    HamletRegistryStat,
    TeamRegistryStat,
    WardRegistryStat,
)
from reports.rollups import rollups_rebuild
from teams.models import Team

# Sessions a year for the whole country (DESIGN: about 100 million).
NATIONAL_SESSIONS = 100_000_000
HOUSEHOLDS_PER_WARD = 3_000
NATIONAL_LOGIN = "scale.quocgia"  # a national official, password demo1234
# The province whose year by ward is measured: the one with the most communes.
SERVICE_SHARES = {  # ServiceType code: services given per session
    "vneid_install": 0.20,
    "vneid_account": 0.15,
    "vneid_level2": 0.25,
    "birth_registration": 0.03,
    "marriage_registration": 0.01,
    "birth_certificate_copy": 0.03,
    "residence_registration": 0.05,
    "health_insurance": 0.06,
    "other_filing": 0.04,
    "payment_app": 0.08,
    "bill_qr": 0.05,
    "online_selling": 0.02,
    "online_safety": 0.06,
    "smartphone_basics": 0.08,
    "local_apps": 0.04,
    "other": 0.02,
}
TOPICS = ("identity", "public_service", "cashless", "commerce", "safety", "basics")
AUDIENCES = ("students", "elderly", "traders", "general")
BIG_CITIES = ("01", "79")  # Hà Nội, Thành phố Hồ Chí Minh


@dataclass
class NationalReport:
    first: date
    last: date
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    users: list[User] = field(default_factory=list)


def national_seed(
    *,
    days: int = 365,
    sessions: int | None = None,
    seed: int = 2025,
    households_per_ward: int = HOUSEHOLDS_PER_WARD,
    progress: Callable[[str, float], None] | None = None,
) -> NationalReport:
    """Fill every commune with ``days`` days of summary rows up to yesterday."""
    last = timezone.localdate() - timedelta(days=1)
    report = NationalReport(first=last - timedelta(days=days - 1), last=last)
    per_year = NATIONAL_SESSIONS if sessions is None else sessions

    def step(name: str, sql: str, params: list | tuple = ()) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        report.timings.append((name, time.perf_counter() - started))
        if progress:
            progress(name, report.timings[-1][1])

    areas_load()
    if Hamlet.objects.exists() or DayTeamStat.objects.exists():
        raise ScaleSeedRefused(
            _("The database already holds hamlets or figures: seed an empty one.")
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
    step(_("commune weights"), _WEIGHTS, [list(BIG_CITIES)])
    step(_("hamlets"), _HAMLETS)
    step(_("teams"), _TEAMS)
    with indexes_deferred(Household), _references_trusted():
        step(_("households"), _HOUSEHOLDS, [households_per_ward])
    step(_("days"), _DAYS, [report.first, report.last, per_year * days / 365])
    codes, shares = list(SERVICE_SHARES), list(SERVICE_SHARES.values())
    for model, sql, params in (
        (DayTeamStat, _DAY_TEAMS, []),
        (DayServiceStat, _DAY_SERVICES, [codes, shares]),
        (DayMemberStat, _DAY_MEMBERS, []),
        (DayHousehold, _DAY_HOUSEHOLDS, []),
        (DayWorkshopStat, _DAY_WORKSHOPS, [list(TOPICS), list(AUDIENCES)]),
    ):  # fmt: skip
        with _bucket_deferred(model):
            step(str(model._meta.verbose_name_plural), sql, params)
    step(_("registry figures"), _REGISTRY)
    started = time.perf_counter()
    with transaction.atomic():
        rollups_rebuild()  # the provinces' and the nation's days
    report.timings.append((_("rollups"), time.perf_counter() - started))
    if progress:
        progress(_("rollups"), report.timings[-1][1])
    report.users = _users_seed()
    step(_("planner statistics"), "ANALYZE")
    for model in (Hamlet, Team, Household, DayTeamStat, DayServiceStat,
                  DayMemberStat, DayHousehold, DayWorkshopStat,
                  WardRegistryStat, HamletRegistryStat, TeamRegistryStat):  # fmt: skip
        report.counts[str(model._meta.verbose_name_plural)] = _estimate(model)
    return report


@contextmanager
def _references_trusted():
    """As a superuser, skip the foreign-key triggers of the households' load.

    Every reference is made here from rows just written; queuing ten million
    deferred checks costs more than the load. Other roles keep the checks.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        trusted = cursor.fetchone()[0]
        if trusted:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if trusted:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")


def _estimate(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        return max(0, cursor.fetchone()[0])


class _bucket_deferred:
    """Drop a summary table's bucket constraint while loading; add it back
    (through the schema editor: one may be a unique index with a non-key
    column, as the household-day bucket is)."""

    def __init__(self, model):
        self.model = model
        self.constraint = model._meta.constraints[0]

    def __enter__(self):
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.model, self.constraint)

    def __exit__(self, *exc):
        with connection.schema_editor() as editor:
            editor.add_constraint(self.model, self.constraint)
        return False


@transaction.atomic
def _users_seed() -> list[User]:
    """The scale seed's logins, in the province with the most communes."""
    ward = Ward.objects.filter(province_id=_biggest_province()).order_by("code").first()
    team = Team.objects.filter(ward=ward).order_by("pk").first()
    accounts = [(SCALE_LOGINS[key], *USERS[key]) for key in SCALE_LOGINS]
    accounts.append((NATIONAL_LOGIN, Role.NATIONAL, "Nguyễn", "Văn Quốc"))
    return accounts_seed(ward, team, accounts)


def _biggest_province() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT province_id FROM areas_ward GROUP BY province_id "
            "ORDER BY count(*) DESC, province_id LIMIT 1"
        )
        return cursor.fetchone()[0]


# The statements, in the order they run. nat_ward and nat_day are working
# tables (UNLOGGED, dropped at the end of the registry step).

_WEIGHTS = """
DROP TABLE IF EXISTS nat_ward;
CREATE UNLOGGED TABLE nat_ward AS
SELECT code, province_id,
       (CASE WHEN kind = 'phuong' THEN 1.6 ELSE 0.8 END)
       * (CASE WHEN province_id = ANY(%s) THEN 1.5 ELSE 1.0 END)
       * exp(random() * 0.8 - 0.4) AS weight
FROM areas_ward;
ALTER TABLE nat_ward ADD COLUMN hamlets int, ADD COLUMN teams int,
  ADD COLUMN households int, ADD COLUMN first_household bigint;
UPDATE nat_ward SET hamlets = greatest(4, least(25, round(10 * weight))),
                    teams = greatest(5, least(30, round(12 * weight)));
"""

_HAMLETS = """
INSERT INTO areas_hamlet (name, kind, is_active, ward_id)
SELECT CASE WHEN w.kind = 'phuong' THEN 'Tổ dân phố ' ELSE 'Thôn ' END || n,
       CASE WHEN w.kind = 'phuong' THEN 'to_dan_pho' ELSE 'thon' END, true, w.code
FROM nat_ward n_w JOIN areas_ward w ON w.code = n_w.code
CROSS JOIN LATERAL generate_series(1, n_w.hamlets) n
ORDER BY w.code, n;
"""

_TEAMS = """
WITH ranked AS (
  SELECT id, ward_id, row_number() OVER (PARTITION BY ward_id ORDER BY id) AS n,
         count(*) OVER (PARTITION BY ward_id) AS of
  FROM areas_hamlet
)
INSERT INTO teams_team (name, is_active, hamlet_id, ward_id, founded_on, kind)
SELECT 'Tổ CNSCĐ số ' || t, true, h.id, w.code, DATE '2025-03-01', 'hamlet'
FROM nat_ward w CROSS JOIN LATERAL generate_series(1, w.teams) t
JOIN ranked h ON h.ward_id = w.code AND h.n = (t - 1) %% h.of + 1
ORDER BY w.code, t;
"""

_HOUSEHOLDS = """
UPDATE nat_ward SET households = round(%s * weight);
WITH numbered AS (
  SELECT code, sum(households) OVER (ORDER BY code) - households AS before
  FROM nat_ward
)
UPDATE nat_ward w SET first_household = numbered.before + 1
FROM numbered WHERE numbered.code = w.code;
WITH ranked AS (
  SELECT id, ward_id, row_number() OVER (PARTITION BY ward_id ORDER BY id) AS n,
         count(*) OVER (PARTITION BY ward_id) AS of
  FROM areas_hamlet
)
INSERT INTO households_household (id, code, address, head_name, phone, size,
  elderly_alone, disability, poverty, ethnic_minority, no_smartphone,
  registered_on, search_text, hamlet_id, ward_id, content_digest)
SELECT w.first_household + k - 1, 'HH' || k, '', '', '', 1 + (k %% 5),
       random() < 0.06, random() < 0.04,
       CASE WHEN random() < 0.08 THEN 'poor' WHEN random() < 0.06 THEN 'near_poor'
            ELSE '' END,
       random() < 0.10, random() < 0.12,
       DATE '2025-01-01', '', h.id, w.code, ''
FROM nat_ward w CROSS JOIN LATERAL generate_series(1, w.households) k
JOIN ranked h ON h.ward_id = w.code AND h.n = (k - 1) %% h.of + 1;
SELECT setval(pg_get_serial_sequence('households_household', 'id'),
              (SELECT max(id) FROM households_household));
"""

# Sessions of each commune on each day: the year's total spread by weight,
# weekday (Saturday 0.6, Sunday 0.3) and a day-to-day spread.
_DAYS = """
DROP TABLE IF EXISTS nat_day;
CREATE UNLOGGED TABLE nat_day AS
WITH calendar AS (
  SELECT d::date AS day,
         CASE extract(isodow FROM d) WHEN 6 THEN 0.6 WHEN 7 THEN 0.3 ELSE 1.0 END
           AS factor
  FROM generate_series(%s::date, %s::date, interval '1 day') d
), total AS (
  SELECT (SELECT sum(weight) FROM nat_ward) * (SELECT sum(factor) FROM calendar)
    AS units
)
SELECT w.code AS ward_id, w.province_id, c.day, w.teams, w.households,
       w.first_household,
       least(w.households, round(%s / total.units * w.weight * c.factor
                                 * (0.6 + 0.8 * random())))::int AS sessions
FROM nat_ward w CROSS JOIN calendar c CROSS JOIN total;
"""

# Each team works on about three days in four, its share of the commune's
# sessions spread around the mean.
_DAY_TEAMS = """
INSERT INTO reports_dayteamstat (day, sessions, walk_ins, minutes, elderly,
  disability, poor, priority, hamlet_id, team_id, ward_id)
SELECT day, s, s / 4, s * 18, s / 6, s / 20, s / 8, s / 3, hamlet_id, team_id,
       ward_id
FROM (
  SELECT d.day, d.ward_id, t.id AS team_id, t.hamlet_id,
         round(d.sessions::numeric / d.teams * (0.5 + random()) / 0.75)::int AS s
  FROM nat_day d JOIN teams_team t ON t.ward_id = d.ward_id
  WHERE d.sessions > 0 AND random() < 0.75
) rows WHERE s > 0;
"""

_DAY_SERVICES = """
INSERT INTO reports_dayservicestat (day, category, done, follow_up, failed,
  open_follow_up, service_type_id, ward_id)
SELECT day, category, round(given * 0.85)::int, round(given * 0.1)::int,
       round(given * 0.05)::int, round(given * 0.03)::int, service_type_id, ward_id
FROM (
  SELECT d.day, d.ward_id, s.id AS service_type_id, s.category,
         d.sessions * share.value * (0.6 + 0.8 * random()) AS given
  FROM nat_day d
  CROSS JOIN unnest(%s::text[], %s::float[]) AS share(code, value)
  JOIN assistance_servicetype s ON s.code = share.code
  WHERE d.sessions > 0
) rows WHERE given >= 0.5;
"""

# Two members for each team that worked that day (member ids are made up).
_DAY_MEMBERS = """
INSERT INTO reports_daymemberstat (day, sessions, member_id, team_id, ward_id)
SELECT t.day, greatest(1, t.sessions / 2 + m - 1), t.team_id * 100 + m, t.team_id,
       t.ward_id
FROM reports_dayteamstat t, generate_series(1, 2) m;
"""

# As many households as sessions, distinct within the day: a run of the
# commune's households starting where the day's offset falls.
_DAY_HOUSEHOLDS = """
INSERT INTO reports_dayhousehold (day, hamlet_id, household_id, ward_id, previous,
  registered, priority)
SELECT helped.day, NULL, helped.household_id, helped.ward_id,
       lag(helped.day) OVER (PARTITION BY helped.ward_id, helped.household_id
                             ORDER BY helped.day),
       true,
       h.elderly_alone OR h.disability OR h.poverty IN ('poor', 'near_poor')
       OR h.ethnic_minority OR h.no_smartphone
FROM (
  SELECT d.day, d.first_household
         + ((d.day - DATE '2000-01-01') * 7919 + k) %% d.households AS household_id,
         d.ward_id
  FROM nat_day d, generate_series(0, d.sessions - 1) k
) AS helped
JOIN households_household h ON h.id = helped.household_id;
"""

_DAY_WORKSHOPS = """
INSERT INTO reports_dayworkshopstat (day, topic, audience, workshops, attendees,
  women, elderly, disability, poor, ward_id)
SELECT day, topic, audience, 1, a, a / 2, a / 4, a / 20, a / 10, ward_id
FROM (
  SELECT d.day, d.ward_id,
         (%s::text[])[1 + floor(random() * 6)::int] AS topic,
         (%s::text[])[1 + floor(random() * 4)::int] AS audience,
         (15 + random() * 30)::int AS a
  FROM nat_day d
  WHERE d.sessions > 0 AND random() < 0.25
) rows;
"""

_REGISTRY = """
INSERT INTO reports_hamletregistrystat (hamlet_id, ward_id, households,
  priority_households, focal_households, residents, residents_level2)
SELECT h.hamlet_id, h.ward_id, count(*),
       count(*) FILTER (WHERE h.elderly_alone OR h.disability OR h.poverty <> ''
                        OR h.ethnic_minority OR h.no_smartphone),
       count(*) * 9 / 10, sum(h.size), sum(h.size) * 7 / 10
FROM households_household h GROUP BY h.hamlet_id, h.ward_id;
INSERT INTO reports_wardregistrystat (ward_id, households, households_with_focal,
  priority_households, residents, residents_level2, hamlets, hamlets_covered,
  teams, members, members_trained_this_year, courses_completed_this_year,
  refreshed_at)
SELECT w.code, sum(r.households), sum(r.focal_households),
       sum(r.priority_households), sum(r.residents), sum(r.residents_level2),
       w.hamlets, w.hamlets, w.teams, w.teams * 6, w.teams * 4, w.teams * 5, now()
FROM nat_ward w JOIN reports_hamletregistrystat r ON r.ward_id = w.code
GROUP BY w.code, w.hamlets, w.teams;
INSERT INTO reports_teamregistrystat (team_id, ward_id, hamlet_id, members)
SELECT id, ward_id, hamlet_id, 4 + id %% 5 FROM teams_team;
INSERT INTO reports_wardstamp (ward_id, changed_at, workshops_changed_at)
SELECT code, now(), now() FROM nat_ward;
DROP TABLE nat_day;
DROP TABLE nat_ward;
"""
