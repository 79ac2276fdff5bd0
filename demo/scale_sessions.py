"""A year of assistance sessions for the scale seed, written in bulk.

Sessions are made day by day in the order they happened, each with its
members and its services, from plain ``random()`` calls: the province size
draws tens of millions. See ``demo.scale_load`` for how rows are
written and why keys are allocated here.
"""

import json
from bisect import bisect
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from hashlib import sha256
from itertools import accumulate

from django.db import connection
from django.utils import timezone

from assistance.models import AssistanceSession, Indicator, SessionService
from demo.assistance import FILING_PREFIX, REASONS, SERVICE_MIX
from demo.scale_load import (
    CHUNK,
    HouseholdIndex,
    TableWriter,
    ids_next,
    ids_sync,
    split,
)

WALK_IN = 0.2
# Local hours of the day and how busy each is: office hours, evening visits.
HOURS = {7: 2, 8: 9, 9: 10, 10: 9, 11: 4, 13: 3, 14: 8, 15: 9, 16: 7, 17: 3,
         18: 2, 19: 3, 20: 1}  # fmt: skip
HELPERS = (0.6, 0.9)  # 1 member below 0.6, 2 below 0.9, else 3
TWO_SERVICES = 0.38
OUTCOMES = (0.84, 0.95)  # done below 0.84, follow-up below 0.95, else failed
DURATIONS = (5, 10, 10, 15, 15, 15, 20, 20, 30, 45)
SOURCES = ("field",) * 93 + ("api",) * 4 + ("admin",) * 3
PLACES = ("home", "centre", "mobile", "phone")  # of sessions with a household
PLACE_CUM = (0.62, 0.78, 0.92)
FILING_CODES = [
    "birth_registration",
    "marriage_registration",
    "birth_certificate_copy",
    "residence_registration",
    "health_insurance",
    "other_filing",
]
# A version-4 UUID: random bits with the version and variant fields set.
UUID_CLEAR = ~(0xF000 << 64) & ~(0xC000 << 48)
UUID_VERSION_4 = 0x4000 << 64 | 0x8000 << 48
# The canonical JSON that assistance.services hashes into content_digest (keys
# sorted, json.dumps spacing), so a resend of a seeded session is a replay.
DIGEST = (
    '{"duration_minutes": %d, "household": %s, "members": [%s], "notes": "", '
    '"place": "%s", "resident": %s, "service_point": %s, "services": [%s], '
    '"started_at": "%sT%s+00:00", "team": %d, "walk_in_age_group": "%s", '
    '"walk_in_disability": %s, "walk_in_elderly_alone": %s, '
    '"walk_in_ethnic_minority": %s, "walk_in_gender": "%s", '
    '"walk_in_no_smartphone": %s, "walk_in_poor": %s}'
)
JSON = {True: "true", False: "false"}
WEEKDAY_VOLUME = (1.0, 1.05, 1.0, 1.0, 0.95, 0.5, 0.12)  # Monday first
TET = [date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26),
       date(2029, 2, 13), date(2030, 2, 3)]  # fmt: skip
HOLIDAYS = [(1, 1), (4, 30), (5, 1), (9, 2)]
CAMPAIGNS = [
    # (name, days before yesterday it starts, days, volume, service focus, targets)
    (
        "Cao điểm kích hoạt định danh điện tử mức 2 trên VNeID",
        150, 28, 2.5, {"vneid_install": 3, "vneid_account": 3, "vneid_level2": 4},
        {Indicator.SESSIONS: 1.0, Indicator.LEVEL2_ACTIVATIONS: 0.3,
         Indicator.HOUSEHOLDS_REACHED: 0.5},
    ),
    (
        "Tháng cao điểm nộp hồ sơ dịch vụ công trực tuyến",
        60, 21, 1.6, dict.fromkeys(FILING_CODES, 2.5),
        {Indicator.SESSIONS: 1.0, Indicator.ONLINE_FILINGS: 0.35},
    ),
]  # fmt: skip


@dataclass
class TeamPlan:
    """What the session generator needs to know of a team, as plain ids."""

    team_id: int
    ward_id: str
    households: range  # of the team's hamlet
    ward_households: range
    centre_id: int
    mobile_id: int
    member_ids: list[int]
    member_weights: list[float]
    activity: float


def sessions_calendar(sessions: int, first: date, last: date):
    """Sessions per day (weekdays busy, Sunday quiet, Tết and campaigns), the
    service focus per day, and each campaign's dates and expected sessions."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    drives = []
    for name, before, length, volume, focus, targets in CAMPAIGNS:
        start = last - timedelta(days=before)
        start -= timedelta(days=start.weekday())  # drives start on a Monday
        # Nobody runs a drive over Tết, nor the week around it: start after.
        while any(-12 <= (tet - start).days <= length + 3 for tet in TET):
            start += timedelta(days=7)
        drives.append([name, start, start + timedelta(days=length - 1), volume,
                       focus, targets, 0])  # fmt: skip
    weights, boosts = [], []
    for number, day in enumerate(days):
        weight = WEEKDAY_VOLUME[day.weekday()] * (0.85 + 0.3 * number / len(days))
        if any(-3 <= (day - tet).days <= 5 for tet in TET):
            weight *= 0.15
        if (day.month, day.day) in HOLIDAYS:
            weight *= 0.25
        focus = {}
        for drive in drives:
            if drive[1] <= day <= drive[2]:
                weight *= drive[3]
                focus = drive[4]
        weights.append(weight)
        boosts.append(focus)
    counts = split(sessions, weights)
    for drive in drives:
        drive[6] = sum(
            count for day, count in zip(days, counts, strict=True)
            if drive[1] <= day <= drive[2]
        )  # fmt: skip
    return list(zip(days, counts, strict=True)), boosts, drives


SESSION_FIELDS = [
    "id", "client_uuid", "ward", "team", "started_at", "started_on", "place",
    "service_point", "household", "resident", "walk_in_gender", "walk_in_age_group",
    "walk_in_elderly_alone", "walk_in_disability", "walk_in_poor",
    "walk_in_ethnic_minority", "walk_in_no_smartphone", "duration_minutes", "notes",
    "source", "created_at", "updated_at", "content_digest",
]  # fmt: skip
LINE_FIELDS = ["session", "service_type", "outcome", "reason", "dossier_ref",
               "closed_at"]  # fmt: skip


def sessions_load(
    *,
    rng,
    teams: list[TeamPlan],
    index: HouseholdIndex,
    per_day: list[tuple[date, int]],
    catalogue: dict[str, int],
    boosts: list[dict],
) -> dict[str, int]:
    """Write ``per_day`` (day, count) sessions, in time order, with their lines.

    ``boosts`` gives, per day, the factor of each service code over the usual
    mix (a campaign's focus); ``catalogue`` maps codes to service type ids.
    """
    writers = (
        TableWriter(AssistanceSession, SESSION_FIELDS),
        TableWriter(AssistanceSession.members.through, ["assistancesession", "member"]),
        TableWriter(SessionService, LINE_FIELDS),
    )
    maker = _SessionMaker(rng, index, catalogue, ids_next(AssistanceSession))
    team_cum = list(accumulate(team.activity for team in teams))
    hours, hour_cum = list(HOURS), list(accumulate(HOURS.values()))
    mixes = {}
    zone = timezone.get_default_timezone()
    for (day, count), boost in zip(per_day, boosts, strict=True):
        key = tuple(sorted(boost.items()))
        if key not in mixes:
            weights = [SERVICE_MIX[code] * boost.get(code, 1) for code in SERVICE_MIX]
            mixes[key] = (
                [catalogue[code] for code in SERVICE_MIX],
                list(accumulate(weights)),
            )
        midnight = int(datetime.combine(day, time(), zone).timestamp())
        picks = rng.choices(teams, cum_weights=team_cum, k=count)
        starts = [
            midnight + hour * 3600 + int(rng.random() * 3600)
            for hour in rng.choices(hours, cum_weights=hour_cum, k=count)
        ]
        # Stored in the order they happened, as the phones would have sent them.
        order = sorted(range(count), key=starts.__getitem__)
        for position in order:
            maker.make(picks[position], starts[position], day.isoformat(), *mixes[key])
        if len(maker.sessions) >= CHUNK:
            maker.flush(writers)
    maker.flush(writers)
    ids_sync(AssistanceSession)
    return {writer.model: writer.count for writer in writers}


class _SessionMaker:
    """Builds one session's rows at a time; the tight loop of the seed."""

    def __init__(self, rng, index: HouseholdIndex, catalogue, first_id: int):
        self.random = rng.random
        self.bits = rng.getrandbits
        self.index = index
        self.filings = {catalogue[code] for code in FILING_CODES}
        self.reasons = [(reason, json.dumps(reason)) for reason in REASONS]
        self.suffix = "+00" if connection.vendor == "postgresql" else ""
        self.now = int(timezone.now().timestamp())
        self.session_id = first_id
        self.member_cum = {}
        self.sessions, self.helpers, self.lines = [], [], []

    def flush(self, writers) -> None:
        for writer, rows in zip(
            writers, (self.sessions, self.helpers, self.lines), strict=True
        ):
            writer.write(rows)
        self.sessions, self.helpers, self.lines = [], [], []

    def make(self, team: TeamPlan, started: int, day: str, mix, mix_cum) -> None:
        random, session_id = self.random, self.session_id
        place, walk_in, household, resident = self._who(team)
        point = {"centre": team.centre_id, "mobile": team.mobile_id}.get(place)
        members = self._helpers(team)
        count = 2 if random() < TWO_SERVICES else 1
        services = sorted(
            {mix[bisect(mix_cum, random() * mix_cum[-1])] for _n in range(count)}
        )
        duration = DURATIONS[int(random() * len(DURATIONS))] * len(services)
        delay = int(random() * 300) if random() < 0.8 else 3600 + int(random() * 39600)
        created = _stamp(min(started + duration * 60 + delay, self.now), self.suffix)
        started_day, started_clock = _clock(started)
        digested = self._lines(services, started)
        # What assistance.services computes from the same content, so that a
        # resend of a seeded session is a replay, not a conflict.
        digest = DIGEST % (
            duration,
            _json_id(household),
            ", ".join(map(str, members)),
            place,
            _json_id(resident),
            _json_id(point),
            ", ".join(digested),
            started_day,
            started_clock,
            team.team_id,
            walk_in[1],
            JSON[walk_in[3]],
            JSON[walk_in[2]],
            JSON[walk_in[5]],
            walk_in[0],
            JSON[walk_in[6]],
            JSON[walk_in[4]],
        )
        uuid = self.bits(128) & UUID_CLEAR | UUID_VERSION_4
        self.sessions.append(
            (
                session_id,
                "%032x" % uuid,
                team.ward_id,
                team.team_id,
                "%s %s%s" % (started_day, started_clock, self.suffix),
                day,
                place,
                point,
                household,
                resident,
                *walk_in,
                duration,
                "",
                SOURCES[int(random() * len(SOURCES))],
                created,
                created,
                sha256(digest.encode()).hexdigest(),
            )
        )
        self.helpers.extend((session_id, member) for member in members)
        self.session_id += 1

    def _who(self, team: TeamPlan):
        """Where the session took place and whom it helped: a walk-in's
        traits, or a household of the team (and perhaps one of its people)."""
        random, index = self.random, self.index
        walk_in = ("", "", False, False, False, False, False)
        household = resident = None
        if random() < WALK_IN or not team.households:
            place = "centre" if random() < 0.55 else "mobile"
            elder = random() < 0.35
            walk_in = (
                "female" if random() < 0.62 else "male",
                "60_plus" if elder else "18_59" if random() < 0.8 else "under_18",
                elder and random() < 0.15,
                random() < 0.04,
                random() < 0.06,
                random() < 0.03,
                elder and random() < 0.4,
            )
        else:
            roll = random()
            place = PLACES[bisect(PLACE_CUM, roll)]
            homes = team.households if random() < 0.95 else team.ward_households
            household = homes[int(random() * len(homes))]
            if random() < 0.7:
                offset = household - index.first_household
                resident = index.first_resident[offset] + int(
                    random() * index.size[offset]
                )
        return place, walk_in, household, resident

    def _helpers(self, team: TeamPlan) -> list[int]:
        """One to three members, the busiest more often."""
        random = self.random
        cum = self.member_cum.get(team.team_id)
        if cum is None:
            cum = self.member_cum[team.team_id] = list(accumulate(team.member_weights))
        roll = random()
        size = 1 if roll < HELPERS[0] else 2 if roll < HELPERS[1] else 3
        return sorted(
            {team.member_ids[bisect(cum, random() * cum[-1])] for _n in range(size)}
        )

    def _lines(self, services, started: int) -> list[str]:
        """Each service's line with its outcome; returns them as the digest
        lists them."""
        random, session_id = self.random, self.session_id
        digested = []
        for service in services:
            roll = random()
            reason, reason_json, reference, closed = "", '""', "", None
            if roll < OUTCOMES[0]:
                outcome = "done"
                if service in self.filings:
                    reference = "%s-%06d" % (FILING_PREFIX, int(random() * 10**6))
            elif roll < OUTCOMES[1]:
                outcome = "follow_up"
                # Old follow-ups were mostly finished within ten days.
                if self.now - started > 14 * 86400 and random() < 0.85:
                    closing = started + 86400 + int(random() * 9 * 86400)
                    closed = _stamp(closing, self.suffix)
            else:
                outcome = "failed"
                reason, reason_json = self.reasons[int(random() * len(self.reasons))]
            self.lines.append((session_id, service, outcome, reason, reference, closed))
            digested.append(
                '[%d, "%s", %s, "%s"]' % (service, outcome, reason_json, reference)
            )
        return digested


def _json_id(value: int | None) -> str:
    return "null" if value is None else str(value)


@lru_cache(maxsize=4096)
def _utc_day(days: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=days)).isoformat()


def _clock(epoch: int) -> tuple[str, str]:
    """The UTC day and time of a Unix time, as text."""
    days, rest = divmod(epoch, 86400)
    return _utc_day(days), "%02d:%02d:%02d" % (rest // 3600, rest // 60 % 60, rest % 60)


def _stamp(epoch: int, suffix: str) -> str:
    day, clock = _clock(epoch)
    return "%s %s%s" % (day, clock, suffix)
