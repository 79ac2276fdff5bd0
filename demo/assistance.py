"""Believable assistance work for the demo wards of ``seed_demo``.

Sixty days of sessions per team, with weekday peaks, a service mix led by
e-ID and online filings, and a few follow-ups and failures; and a province
campaign with targets. Each session's UUID is derived from its team, day and
number, so running again adds nothing; randomness is seeded per team.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from areas.models import Province
from assistance.catalogue import catalogue_load
from assistance.models import (
    AssistanceSession,
    Campaign,
    CampaignTarget,
    Indicator,
    ServiceType,
    SessionService,
)
from households.models import Household, Resident
from teams.models import Member, ServicePoint, Team

SEED = "seed_demo/assistance/2025"
DAYS = 60
NAMESPACE = uuid.UUID("6f1c1d1e-3c1a-4d5e-9a64-0d3f5b1a2c7e")
# Service codes and how often each is given, e-ID and filings first.
SERVICE_MIX = {
    "vneid_install": 14,
    "vneid_account": 10,
    "vneid_level2": 16,
    "birth_registration": 4,
    "residence_registration": 6,
    "health_insurance": 6,
    "birth_certificate_copy": 3,
    "marriage_registration": 1,
    "other_filing": 4,
    "payment_app": 8,
    "bill_qr": 7,
    "online_selling": 3,
    "online_safety": 6,
    "smartphone_basics": 7,
    "local_apps": 4,
    "other": 1,
}
REASONS = [
    "Người dân chưa mang căn cước",
    "Điện thoại không đủ dung lượng",
    "Hệ thống cổng dịch vụ công bị lỗi",
    "Sai số điện thoại đăng ký",
]
FILING_PREFIX = "G22.99"
# A team falling behind, for the dashboards' alerts: it has logged nothing
# for this many days.
QUIET_TEAMS = {"Tổ CNSCĐ Tổ dân phố Quán Thánh": 20}


def demo_assistance_seed(*, ward_codes, today: date, locked=frozenset()) -> None:
    """``locked``: the (ward, month) pairs approved, whose sessions are left."""
    catalogue_load(ServiceType)  # reference data, like the areas
    catalogue = {service.code: service for service in ServiceType.objects.all()}
    teams = Team.objects.filter(ward__in=ward_codes).order_by("pk")
    for team in teams:
        _seed_team(team, catalogue, today, locked)
    _seed_campaigns(today)


def demo_assistance_counts(ward_codes) -> dict[str, int]:
    sessions = AssistanceSession.objects.filter(ward__in=ward_codes)
    return {
        "sessions": sessions.count(),
        "follow_ups": SessionService.objects.filter(
            session__in=sessions,
            outcome=SessionService.Outcome.FOLLOW_UP,
            closed_at__isnull=True,
        ).count(),
    }


def _seed_team(team: Team, catalogue: dict, today: date, locked) -> None:
    rng = random.Random("%s/%s" % (SEED, team.pk))  # noqa: S311 - demo data
    members = list(Member.objects.filter(memberships__team=team).order_by("pk"))
    if not members:
        return
    households, residents = _households_of(team)
    points = list(ServicePoint.objects.filter(ward=team.ward_id).order_by("pk"))
    planned = _planned_starts(rng, team, today)
    client_uuids = [
        uuid.uuid5(NAMESPACE, "%s/%s/%s" % (team.pk, day.isoformat(), number))
        for day, number, _start in planned
    ]
    existing = set(
        AssistanceSession.objects.filter(client_uuid__in=client_uuids).values_list(
            "client_uuid", flat=True
        )
    )
    sessions, lines, helpers = [], [], []
    for (day, _number, start), client_uuid in zip(planned, client_uuids, strict=True):
        # Draw every choice even for stored sessions: the stream stays the same.
        session = _session(rng, team, start, client_uuid, households, residents)
        session_lines, team_helpers = _service_and_helpers(
            rng, session, points, catalogue, members
        )
        if client_uuid in existing or (team.ward_id, day.replace(day=1)) in locked:
            continue
        sessions.append(session)
        lines.append(session_lines)
        helpers.append(team_helpers)
    _sessions_store(sessions, lines, helpers)
    _level2_raise(sessions, lines)


def _households_of(team: Team) -> tuple[list, dict]:
    """The households a team visits and their residents by household id."""
    households = Household.objects.filter(ward=team.ward_id)
    if team.hamlet_id:
        households = households.filter(hamlet=team.hamlet_id)
    households = list(households.order_by("pk"))
    residents = {}
    for resident in Resident.objects.filter(household__in=households).order_by("pk"):
        residents.setdefault(resident.household_id, []).append(resident)
    return households, residents


def _planned_starts(rng, team: Team, today: date) -> list:
    """(day, number, start) of each past session over the last DAYS days."""
    now = timezone.localtime()
    planned = []
    quiet = QUIET_TEAMS.get(team.name, -1)
    for offset in range(DAYS, quiet, -1):
        day = today - timedelta(days=offset)
        weekday = day.weekday() < 5
        count = rng.randint(3, 9) if weekday else rng.randint(0, 3)
        if team.hamlet_id is None:
            count *= 2  # the youth team at the centre sees more people
        for number in range(count):
            start = timezone.make_aware(
                datetime.combine(day, time(rng.choice((8, 9, 10, 14, 15, 16, 19))))
                + timedelta(minutes=rng.randrange(0, 60))
            )
            if start > now:
                continue
            planned.append((day, number, start))
    return planned


def _service_and_helpers(rng, session, points, catalogue, members):
    """Where the session took place, its service lines and the members who
    helped, drawn in one fixed order."""
    centre = next((point for point in points if point.kind == "centre"), None)
    session.service_point = (
        centre if session.place == "centre" else _point(rng, points, session)
    )
    codes, weights = zip(*SERVICE_MIX.items(), strict=True)
    chosen = rng.sample(codes, k=rng.choice((1, 1, 1, 2, 2, 3)), counts=weights)
    session_lines = [_line(rng, catalogue[code]) for code in dict.fromkeys(chosen)]
    team_helpers = rng.sample(members, k=1 if rng.random() < 0.8 else 2)
    return session_lines, team_helpers


def _sessions_store(sessions, lines, helpers) -> None:
    AssistanceSession.objects.bulk_create(sessions, batch_size=500)
    stored = dict(
        AssistanceSession.objects.filter(
            client_uuid__in=[session.client_uuid for session in sessions]
        ).values_list("client_uuid", "pk")
    )
    Through = AssistanceSession.members.through
    rows, through = [], []
    for session, session_lines, team_helpers in zip(
        sessions, lines, helpers, strict=True
    ):
        session_id = stored[session.client_uuid]
        for line in session_lines:
            line.session_id = session_id
            rows.append(line)
        for member in team_helpers:
            through.append(
                Through(assistancesession_id=session_id, member_id=member.pk)
            )
    SessionService.objects.bulk_create(rows, batch_size=1000)
    Through.objects.bulk_create(through, batch_size=1000)


def _level2_raise(sessions, lines) -> None:
    """Residents whose level-2 activation was done now hold level 2."""
    activated = {}
    for session, session_lines in zip(sessions, lines, strict=True):
        for line in session_lines:
            if (
                line.outcome == SessionService.Outcome.DONE
                and line.service_type.code == ServiceType.LEVEL2_ACTIVATION
                and session.resident is not None
            ):
                activated[session.resident.pk] = session.resident
    raised = [
        resident
        for resident in activated.values()
        if resident.vneid_level != Resident.VneidLevel.LEVEL_2
    ]
    for resident in raised:
        resident.vneid_level = Resident.VneidLevel.LEVEL_2
    bulk_update_with_history(raised, Resident, ["vneid_level"], batch_size=500)


def _session(rng, team, start, client_uuid, households, residents):
    session = AssistanceSession(
        client_uuid=client_uuid,
        ward_id=team.ward_id,
        team=team,
        started_at=start,
        started_on=timezone.localdate(start),
        source=AssistanceSession.Source.FIELD,
        content_digest="seed_demo",
        duration_minutes=rng.choice((5, 10, 10, 15, 15, 20, 30, 45)),
    )
    if team.hamlet_id is None:
        session.place = AssistanceSession.Place.CENTRE
    else:
        session.place = rng.choices(
            ("home", "mobile", "phone", "centre"), weights=(70, 15, 10, 5)
        )[0]
    walk_in = team.hamlet_id is None and rng.random() < 0.6 or not households
    if walk_in or rng.random() < 0.15:
        elder = rng.random() < 0.35
        session.walk_in_gender = rng.choice(("female", "female", "male"))
        session.walk_in_age_group = (
            "60_plus" if elder else rng.choice(("18_59", "18_59", "under_18"))
        )
        session.walk_in_elderly_alone = elder and rng.random() < 0.15
        session.walk_in_disability = rng.random() < 0.04
        session.walk_in_poor = rng.random() < 0.06
        session.walk_in_no_smartphone = elder and rng.random() < 0.4
        return session
    household = rng.choice(households)
    session.household = household
    people = residents.get(household.pk) or []
    if people and rng.random() < 0.7:
        session.resident = rng.choice(people)
    return session


def _point(rng, points, session):
    if session.place != AssistanceSession.Place.MOBILE:
        return None
    mobile = [point for point in points if point.kind == "mobile"]
    return rng.choice(mobile) if mobile else None


def _line(rng, service_type: ServiceType) -> SessionService:
    roll = rng.random()
    if roll < 0.84:
        outcome = SessionService.Outcome.DONE
    elif roll < 0.95:
        outcome = SessionService.Outcome.FOLLOW_UP
    else:
        outcome = SessionService.Outcome.FAILED
    line = SessionService(service_type=service_type, outcome=outcome)
    if outcome == SessionService.Outcome.FAILED:
        line.reason = rng.choice(REASONS)
    if service_type.is_filing and outcome == SessionService.Outcome.DONE:
        line.dossier_ref = "%s-%06d" % (FILING_PREFIX, rng.randrange(10**6))
    return line


def _seed_campaigns(today: date) -> None:
    hanoi = Province.objects.get(code="01")
    drive, _created = Campaign.objects.get_or_create(
        name="Chiến dịch 45 ngày đêm làm sạch dữ liệu, phổ cập VNeID",
        province=hanoi,
        ward=None,
        defaults={
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=15),
            "description": "Cao điểm hỗ trợ người dân kích hoạt định danh điện tử "
            "mức 2 và nộp hồ sơ trực tuyến.",
        },
    )
    for indicator, target in (
        (Indicator.SESSIONS, 2500),
        (Indicator.LEVEL2_ACTIVATIONS, 600),
        (Indicator.ONLINE_FILINGS, 500),
        (Indicator.HOUSEHOLDS_REACHED, 400),
        (Indicator.PRIORITY_HOUSEHOLDS_REACHED, 100),
    ):
        CampaignTarget.objects.get_or_create(
            campaign=drive, indicator=indicator, defaults={"target": target}
        )
    ward_drive, _created = Campaign.objects.get_or_create(
        name="Tháng thanh toán không dùng tiền mặt phường Ba Đình",
        province=hanoi,
        ward_id="00004",
        defaults={
            "starts_on": today.replace(day=1),
            "ends_on": (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            - timedelta(days=1),
        },
    )
    CampaignTarget.objects.get_or_create(
        campaign=ward_drive,
        indicator=Indicator.CASHLESS_SETUPS,
        defaults={"target": 150},
    )
    # Keep the demo's follow-up list short and current: older ones were done.
    SessionService.objects.filter(
        Q(session__started_on__lt=today - timedelta(days=14)),
        outcome=SessionService.Outcome.FOLLOW_UP,
        closed_at__isnull=True,
    ).update(closed_at=timezone.now())
