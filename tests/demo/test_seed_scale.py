"""``seed_demo --scale``: a believable province for benchmarks, loaded in bulk."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Sum
from django.utils import timezone

from accounts.models import Role, User
from areas.models import Hamlet
from assistance.models import AssistanceSession, Campaign, SessionService
from assistance.services import session_content, session_record
from core.text import search_key
from demo.scale import SCALE_LOGINS, SCALES
from households.models import Household, Resident
from reports.models import (
    DayMemberStat,
    DayServiceStat,
    DayTeamStat,
    HamletRegistryStat,
    WardRegistryStat,
)
from teams.models import Member, Membership, ServicePoint, Team

pytestmark = pytest.mark.django_db
SESSIONS = 3000
WARD = SCALES["ward"]


def seed(**options):
    out = io.StringIO()
    call_command(
        "seed_demo",
        scale="ward",
        sessions=SESSIONS,
        allow_without_debug=True,
        stdout=out,
        **options,
    )
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def test_it_fills_one_ward_at_the_ward_size_and_prints_the_counts(seeded):
    ward_codes = set(Hamlet.objects.values_list("ward_id", flat=True))

    assert len(ward_codes) == WARD["wards"]
    assert Hamlet.objects.count() == WARD["hamlets"]
    assert Team.objects.count() == WARD["teams"]
    assert Member.objects.count() == WARD["members"]
    assert Household.objects.count() == WARD["households"]
    assert Resident.objects.count() == WARD["residents"]
    assert AssistanceSession.objects.count() == SESSIONS
    assert ServicePoint.objects.filter(ward__in=ward_codes).exists()
    assert "{:,}".format(WARD["residents"]) in seeded
    # Not Hà Nội: the normal demo lives there and both can share a database.
    assert not Hamlet.objects.filter(ward__province="01").exists()


def test_logins_have_their_roles_and_the_team_ones_are_members(seeded):
    users = {key: User.objects.get(username=name) for key, name in SCALE_LOGINS.items()}
    ward = Hamlet.objects.order_by("ward_id").first().ward

    assert users["province"].role == Role.PROVINCE
    assert users["province"].province_id == ward.province_id
    assert users["ward"].role == Role.WARD
    assert users["ward"].ward_id == ward.code
    assert users["leader"].role == Role.TEAM_LEADER
    assert users["member"].role == Role.TEAM_MEMBER
    assert users["leader"].team_id == users["member"].team_id
    assert users["leader"].member.memberships.get().role == Membership.Role.LEADER
    assert users["member"].member.memberships.get().team_id == users["member"].team_id
    for user in users.values():
        assert user.check_password("demo1234")
        assert user.username in seeded


def test_sessions_lie_in_the_last_year_up_to_yesterday(seeded):
    yesterday = timezone.localdate() - timedelta(days=1)
    days = AssistanceSession.objects.values_list("started_on", flat=True)

    assert max(days) <= yesterday
    assert min(days) >= yesterday - timedelta(days=364)
    for session in AssistanceSession.objects.all()[:200]:
        assert timezone.localdate(session.started_at) == session.started_on
        assert session.created_at >= session.started_at


def test_weekdays_are_busier_than_saturdays_and_saturdays_than_sundays(seeded):
    by_weekday = Counter(
        day.weekday()
        for day in AssistanceSession.objects.values_list("started_on", flat=True)
    )
    weekday = sum(by_weekday[n] for n in range(5)) / 5

    assert weekday > 1.5 * by_weekday[5] > 2 * by_weekday[6]


def test_e_id_and_online_filings_lead_the_service_mix(seeded):
    categories = Counter(
        SessionService.objects.values_list("service_type__category", flat=True)
    )
    top = [category for category, _count in categories.most_common(2)]

    assert top == ["identity", "public_service"]
    outcomes = Counter(SessionService.objects.values_list("outcome", flat=True))
    assert outcomes["done"] > 0.75 * sum(outcomes.values())
    assert outcomes["follow_up"] and outcomes["failed"]


def test_the_vneid_drive_is_a_campaign_with_two_to_three_times_the_volume(seeded):
    drive = Campaign.objects.get(name__contains="VNeID")
    sessions = AssistanceSession.objects.filter(started_on__week_day__in=[3, 4, 5])
    during = sessions.filter(started_on__range=(drive.starts_on, drive.ends_on))
    before = sessions.filter(
        started_on__range=(drive.starts_on - timedelta(days=63), drive.starts_on)
    )

    assert drive.targets.exists()
    assert 1.8 < during.count() / 4 / (before.count() / 9) < 3.5


def test_sessions_visit_households_of_their_ward_with_members_of_their_team(seeded):
    sessions = AssistanceSession.objects.all()
    outsider = ~Exists(
        Membership.objects.filter(
            member=OuterRef("member_id"), team=OuterRef("assistancesession__team")
        )
    )
    helpers = Counter(
        AssistanceSession.members.through.objects.values_list(
            "assistancesession_id", flat=True
        )
    )

    assert not sessions.exclude(ward=F("team__ward")).exists()
    visits = sessions.filter(household__isnull=False)
    assert not visits.exclude(household__ward=F("ward")).exists()
    people = sessions.filter(resident__isnull=False)
    assert not people.exclude(resident__household=F("household")).exists()
    assert not AssistanceSession.members.through.objects.filter(outsider).exists()
    walk_ins = sessions.filter(household__isnull=True).count()
    assert 0.1 * SESSIONS < walk_ins < 0.3 * SESSIONS
    assert set(Counter(helpers.values())) == {1, 2, 3}


def test_households_carry_priority_groups_in_plausible_shares(seeded):
    households = Household.objects.all()
    share = {
        "elderly alone": households.filter(elderly_alone=True).count(),
        "disability": households.filter(disability=True).count(),
        "poor": households.filter(poverty__in=("poor", "near_poor")).count(),
        "ethnic minority": households.filter(ethnic_minority=True).count(),
        "no smartphone": households.filter(no_smartphone=True).count(),
    }

    for name, count in share.items():
        assert 0.01 * WARD["households"] < count < 0.15 * WARD["households"], name
    household = households.order_by("pk")[7]
    assert household.search_text == search_key(
        household.code, household.head_name, household.address, household.phone
    )
    resident = Resident.objects.order_by("pk")[11]
    assert resident.search_text == search_key(resident.full_name, resident.phone)
    assert not Resident.objects.filter(is_focal_person=True, has_smartphone=False)


def test_a_resend_of_a_seeded_session_is_a_replay_not_a_conflict(seeded):
    samples = [
        AssistanceSession.objects.filter(household__isnull=True).first(),
        AssistanceSession.objects.filter(resident__isnull=False).first(),
        AssistanceSession.objects.filter(services__outcome="failed").first(),
        AssistanceSession.objects.filter(services__dossier_ref__gt="").first(),
    ]
    for stored in samples:
        content = session_content(stored)

        session, created = session_record(
            client_uuid=stored.client_uuid, source="field", **content
        )

        assert (session.pk, created) == (stored.pk, False)


def test_summary_tables_equal_a_direct_count(seeded):
    lines = DayServiceStat.objects.aggregate(
        n=Sum("done") + Sum("follow_up") + Sum("failed")
    )["n"]

    assert DayTeamStat.objects.aggregate(n=Sum("sessions"))["n"] == SESSIONS
    assert lines == SessionService.objects.count()
    assert (
        DayMemberStat.objects.aggregate(n=Sum("sessions"))["n"]
        == AssistanceSession.members.through.objects.count()
    )
    assert WardRegistryStat.objects.get().households == WARD["households"]


def test_the_seed_builds_the_coverage_of_every_hamlet(seeded):
    by_hamlet = dict(HamletRegistryStat.objects.values_list("hamlet_id", "households"))
    counted = dict(
        Household.objects.values("hamlet_id")
        .annotate(n=Count("pk"))
        .values_list("hamlet_id", "n")
    )

    assert by_hamlet == counted
    assert sum(by_hamlet.values()) == WARD["households"]


def test_a_second_run_refuses_instead_of_duplicating(seeded):
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        seed()

    assert AssistanceSession.objects.count() == SESSIONS
    assert Household.objects.count() == WARD["households"]


def test_sessions_and_seed_go_with_scale_only(db):
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", allow_without_debug=True, sessions=10)


def test_the_same_seed_gives_the_same_data(db):
    def fingerprint():
        return list(
            AssistanceSession.objects.order_by("started_at", "client_uuid").values_list(
                "client_uuid", "started_at", "household__code", "resident__full_name"
            )
        ) + list(Household.objects.order_by("code").values_list("code", "head_name"))

    with pytest.raises(Rollback), transaction.atomic():
        seed()
        first = fingerprint()
        raise Rollback

    seed()

    assert fingerprint() == first


class Rollback(Exception):
    pass
