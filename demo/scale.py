"""Province-scale data for benchmarks and load tests (``seed_demo --scale``).

SCALES gives the sizes; the generator below fills the first wards of a real
province with hamlets, teams, members, households and a year of assistance
work, with believable shapes: weekday peaks, quiet Sundays and Tết, campaign
drives, a service mix led by e-ID and online filings, skewed workloads. The
big tables are written by ``demo.scale_load`` and
``demo.scale_sessions``. Everything draws from one
``random.Random(seed)``, so a run on an empty database is reproducible.
"""

import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from areas.models import Hamlet, Province, Ward
from areas.services import areas_load
from assistance.models import (
    AssistanceSession,
    Campaign,
    CampaignTarget,
    ServiceType,
    SessionService,
)
from core.text import search_key, text_fold
from demo.registry import AFFILIATIONS
from demo.scale_load import (
    Names,
    households_load,
    indexes_deferred,
    references_trusted,
    split,
)
from demo.scale_sessions import TeamPlan, sessions_calendar, sessions_load
from households.models import Household, Resident
from reports.services import stats_rebuild
from teams.models import Member, Membership, ServicePoint, Team

SCALES = {
    # name: wards, hamlets, teams, members, households, residents, sessions (a year)
    "ward": {
        "wards": 1, "hamlets": 10, "teams": 10, "members": 50,
        "households": 3_000, "residents": 10_000, "sessions": 30_000,
    },
    "small": {
        "wards": 10, "hamlets": 100, "teams": 100, "members": 500,
        "households": 30_000, "residents": 100_000, "sessions": 300_000,
    },
    "province": {
        "wards": 100, "hamlets": 1_000, "teams": 1_000, "members": 5_000,
        "households": 300_000, "residents": 1_000_000, "sessions": 3_000_000,
    },
}  # fmt: skip

# Logins the scale seed creates (password demo1234), used by the benchmarks.
SCALE_LOGINS = {
    "province": "scale.tinh",  # province official of the seeded province
    "ward": "scale.phuong",  # ward official of the province's first ward
    "leader": "scale.totruong",  # leader of the first ward's first team
    "member": "scale.thanhvien",  # member of that team
}

DEFAULT_SEED = 2025
PASSWORD = "demo1234"
NOT_THIS_PROVINCE = "01"  # Hà Nội holds the normal demo; both can coexist
SOUTH_FROM = "75"  # from Đồng Nai southwards hamlets are ấp and khu phố
HAMLET_NAMES = {
    Hamlet.Kind.KHU_PHO: "Khu phố",
    Hamlet.Kind.TO_DAN_PHO: "Tổ dân phố",
    Hamlet.Kind.AP: "Ấp",
    Hamlet.Kind.THON: "Thôn",
}
USERS = {  # SCALE_LOGINS key: role, family name, given name
    "province": (Role.PROVINCE, "Võ", "Thị Thu Hà"),
    "ward": (Role.WARD, "Huỳnh", "Minh Khoa"),
    "leader": (Role.TEAM_LEADER, "Lê", "Văn Phúc"),
    "member": (Role.TEAM_MEMBER, "Trần", "Ngọc Hân"),
}


class ScaleSeedRefused(Exception):
    """The province's wards already hold data: seeding again would duplicate it."""


@dataclass
class ScaleReport:
    province: Province
    wards: list[Ward]
    counts: dict[str, int] = field(default_factory=dict)  # by table, named
    timings: list[tuple[str, float]] = field(default_factory=list)
    users: list[User] = field(default_factory=list)


def scale_province(wards: int) -> tuple[Province, list[Ward]]:
    """The province with the most wards (not Hà Nội if another is big enough)."""
    provinces = Province.objects.annotate(n=Count("wards")).filter(n__gte=wards)
    province = (
        provinces.exclude(code=NOT_THIS_PROVINCE).order_by("-n", "code").first()
        or provinces.order_by("-n", "code").first()
    )
    if province is None:
        raise ScaleSeedRefused(_("No province has %(wards)d wards.") % {"wards": wards})
    return province, list(province.wards.order_by("code")[:wards])


def scale_seed(
    *,
    scale: str,
    sessions: int | None = None,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str, float], None] | None = None,
) -> ScaleReport:
    """Fill the first wards of a real province with a year of work."""
    sizes = dict(SCALES[scale])
    if sessions is not None:
        sizes["sessions"] = sessions
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    today = timezone.localdate()
    timings: list[tuple[str, float]] = []
    step = _stepper(timings, progress)
    with step(_("areas")):
        areas_load()
        province, wards = scale_province(sizes["wards"])
    report = ScaleReport(province=province, wards=wards, timings=timings)
    with transaction.atomic():
        counts = _wards_fill(rng, report, sizes, today, step)
    report.counts = {
        str(_("members in sessions"))
        if model is AssistanceSession.members.through
        else str(model._meta.verbose_name_plural): count
        for model, count in counts.items()
    }
    with step(_("planner statistics")):
        _analyze()
    with step(_("summary tables")):
        stats_rebuild()
    return report


def _stepper(timings, progress):
    """A context manager that times each named step and reports it."""

    @contextmanager
    def step(name):
        started = time.perf_counter()
        yield
        timings.append((name, time.perf_counter() - started))
        if progress:
            progress(name, timings[-1][1])

    return step


def _wards_fill(rng, report: ScaleReport, sizes, today, step) -> dict:
    """Registry, households and a year of sessions; the rows written by model."""
    province, wards = report.province, report.wards
    last = today - timedelta(days=1)
    first = last - timedelta(days=364)
    _refuse_seeded(province, wards)
    counts = {}
    with step(_("hamlets, teams, members, logins")):
        hamlets, teams, report.users = _registry_seed(rng, wards, sizes, first)
        counts.update(_registry_counts(wards, hamlets, teams, report.users))
    with (
        step(_("households and residents")),
        references_trusted(),
        indexes_deferred(Household, Resident),
    ):
        index, ranges, counts[Household], counts[Resident] = households_load(
            rng=rng,
            hamlets=hamlets,
            households=sizes["households"],
            residents=sizes["residents"],
            today=today,
        )
    with (
        step(_("assistance sessions")),
        references_trusted(),
        indexes_deferred(
            AssistanceSession, AssistanceSession.members.through, SessionService
        ),
    ):
        per_day, boosts, drives = sessions_calendar(sizes["sessions"], first, last)
        counts[Campaign] = _campaigns_seed(province, drives)
        _team_households(teams, ranges)
        catalogue = dict(ServiceType.objects.values_list("code", "pk"))
        counts.update(
            sessions_load(
                rng=rng,
                teams=[team for team, _hamlet in teams],
                index=index,
                per_day=per_day,
                catalogue=catalogue,
                boosts=boosts,
            )
        )
    return counts


def _refuse_seeded(province, wards) -> None:
    if (
        Household.objects.filter(ward__in=wards).exists()
        or Hamlet.objects.filter(ward__in=wards).exists()
    ):
        raise ScaleSeedRefused(
            _(
                "%(province)s already has data in the wards the scale seed "
                "uses; seed an empty database instead."
            )
            % {"province": province.name}
        )


def _registry_counts(wards, hamlets, teams, users) -> dict:
    return {
        Hamlet: len(hamlets),
        Team: len(teams),
        Member: Member.objects.filter(ward__in=wards).count(),
        Membership: Membership.objects.filter(team__ward__in=wards).count(),
        ServicePoint: ServicePoint.objects.filter(ward__in=wards).count(),
        User: len(users),
    }


def _registry_seed(rng, wards, sizes, first):
    """Hamlets, one team each, members, service points and the logins."""
    hamlets = _hamlets_seed(rng, wards, sizes["hamlets"])
    points = _points_seed(wards, hamlets)
    teams = _teams_seed(rng, hamlets, sizes["teams"], first)
    users = _users_seed(wards[0], teams[0])
    members, memberships = _members_seed(rng, teams, sizes["members"], users)
    hamlet_plans = [
        _hamlet_plan(
            rng, next(ward for ward in wards if ward.code == hamlet.ward_id), hamlet
        )
        for hamlet in hamlets
    ]
    by_team: dict[int, list[Member]] = {}
    for member, membership in zip(members, memberships, strict=True):
        by_team.setdefault(membership.team_id, []).append(member)
    team_plans = [
        (_team_plan(rng, team, by_team[team.pk], points), team.hamlet_id)
        for team in teams
    ]
    return hamlet_plans, team_plans, users


def _hamlets_seed(rng, wards, count: int) -> list[Hamlet]:
    south = wards[0].province_id >= SOUTH_FROM
    per_ward = split(count, [rng.uniform(0.7, 1.3) for _w in wards])
    hamlet_rows = []
    for ward, count in zip(wards, per_ward, strict=True):
        if ward.kind == Ward.Kind.WARD:
            kind = Hamlet.Kind.KHU_PHO if south else Hamlet.Kind.TO_DAN_PHO
        else:
            kind = Hamlet.Kind.AP if south else Hamlet.Kind.THON
        label = HAMLET_NAMES[kind]
        hamlet_rows += [
            Hamlet(ward=ward, name="%s %d" % (label, n + 1), kind=kind)
            for n in range(count)
        ]
    return Hamlet.objects.bulk_create(hamlet_rows)


def _teams_seed(rng, hamlets, count: int, first) -> list[Team]:
    team_rows = []
    for number in range(count):
        hamlet = hamlets[number % len(hamlets)]
        suffix = "" if number < len(hamlets) else " (%d)" % (number // len(hamlets) + 1)
        team_rows.append(
            Team(
                ward_id=hamlet.ward_id,
                hamlet=hamlet,
                name="Tổ CNSCĐ %s%s"
                % (hamlet.name[:1].lower() + hamlet.name[1:], suffix),
                founded_on=first - timedelta(days=rng.randint(30, 150)),
            )
        )
    return Team.objects.bulk_create(team_rows)


def _members_seed(rng, teams, count: int, users):
    """Members with unique phones, the first team's linked to the logins."""
    per_team = split(count, [rng.uniform(0.6, 1.4) for _t in teams])
    names, phones = Names(rng), set()
    affiliations, affiliation_weights = zip(*AFFILIATIONS.items(), strict=True)
    members, memberships = [], []
    linked = {0: users[2], min(2, per_team[0] - 1): users[3]}
    for team_number, (team, count) in enumerate(zip(teams, per_team, strict=True)):
        for number in range(count):
            user = linked.get(number) if team_number == 0 else None
            gender = rng.choice(("male", "female"))
            full_name = (
                "%s %s" % (user.last_name, user.first_name)
                if user
                else names.full(names.family(), gender, rng.random() < 0.3)
            )
            phone = names.mobile()
            while phone in phones:
                phone = names.mobile()
            phones.add(phone)
            affiliation = (
                Member.Affiliation.HAMLET_STAFF
                if number == 0
                else rng.choices(affiliations, affiliation_weights)[0]
            )
            members.append(
                Member(
                    ward_id=team.ward_id,
                    full_name=full_name,
                    phone=phone,
                    affiliation=affiliation,
                    user=user,
                    search_text=search_key(full_name, phone),
                )  # fmt: skip
            )
            role = ("leader", "deputy")[number] if number < 2 else "member"
            joined = team.founded_on + timedelta(days=rng.randint(0, 25))
            memberships.append(Membership(team=team, role=role, joined_on=joined))
    members = Member.objects.bulk_create(members, batch_size=1000)
    for member, membership in zip(members, memberships, strict=True):
        membership.member = member
    Membership.objects.bulk_create(memberships, batch_size=1000)
    return members, memberships


def _hamlet_plan(rng, ward: Ward, hamlet: Hamlet) -> tuple:
    village = hamlet.kind in (Hamlet.Kind.THON, Hamlet.Kind.AP, Hamlet.Kind.BAN)
    return (ward.code, hamlet.pk, hamlet.name, village,
            _prefix(ward), rng.uniform(0.6, 1.4))  # fmt: skip


def _team_plan(rng, team: Team, helpers: list[Member], points) -> TeamPlan:
    return TeamPlan(
        team_id=team.pk,
        ward_id=team.ward_id,
        households=range(0),
        ward_households=range(0),
        centre_id=points[team.ward_id][0],
        mobile_id=points[team.ward_id][1],
        member_ids=[member.pk for member in helpers],
        member_weights=[rng.paretovariate(1.5) for _m in helpers],
        activity=rng.lognormvariate(0, 0.4),
    )


def _points_seed(wards, hamlets) -> dict[str, tuple[int, int]]:
    """A service centre and a mobile point per ward: {ward: (centre, mobile)}."""
    first_hamlet = {}
    for hamlet in hamlets:
        first_hamlet.setdefault(hamlet.ward_id, hamlet)
    rows = []
    for ward in wards:
        hamlet = first_hamlet[ward.code]
        place = hamlet.name[:1].lower() + hamlet.name[1:]
        rows.append(ServicePoint(
            ward=ward, kind=ServicePoint.Kind.CENTRE,
            name="Trung tâm Phục vụ hành chính công %s" % (
                ward.name[:1].lower() + ward.name[1:]),
        ))  # fmt: skip
        rows.append(ServicePoint(
            ward=ward, hamlet=hamlet, kind=ServicePoint.Kind.MOBILE,
            name="Điểm Bình dân học vụ số lưu động %s" % place,
            address="Nhà văn hóa %s" % place,
        ))  # fmt: skip
    points = ServicePoint.objects.bulk_create(rows)
    return {
        centre.ward_id: (centre.pk, mobile.pk)
        for centre, mobile in zip(points[::2], points[1::2], strict=True)
    }


def _users_seed(ward: Ward, team: Team) -> list[User]:
    accounts = [(SCALE_LOGINS[key], *user) for key, user in USERS.items()]
    return accounts_seed(ward, team, accounts)


def accounts_seed(ward: Ward, team: Team, accounts) -> list[User]:
    """Each (username, role, family name, given name) account, placed in
    ``ward`` or ``team`` as its role says, with the demo password."""
    users = []
    for username, role, family_name, given_name in accounts:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.last_name, user.first_name = role, family_name, given_name
        user.province_id = ward.province_id if role == Role.PROVINCE else None
        user.ward = ward if role == Role.WARD else None
        user.team = team if role in (Role.TEAM_LEADER, Role.TEAM_MEMBER) else None
        user.set_password(PASSWORD)
        user.save()
        users.append(user)
    return users


def _team_households(teams, ranges) -> None:
    """Give each team plan its hamlet's and its ward's households."""
    ward_ranges: dict[str, list[range]] = {}
    for team, hamlet_id in teams:
        team.households = ranges[hamlet_id]
        ward_ranges.setdefault(team.ward_id, []).append(team.households)
    for team, _hamlet_id in teams:
        spans = [span for span in ward_ranges[team.ward_id] if span]
        # A ward's hamlets were filled one after another: one contiguous span.
        team.ward_households = range(
            min(span.start for span in spans), max(span.stop for span in spans)
        )


def _campaigns_seed(province: Province, drives) -> int:
    targets = []
    for name, start, end, _volume, _focus, shares, expected in drives:
        campaign = Campaign.objects.create(
            name=name, province=province, starts_on=start, ends_on=end,
            description="Đợt cao điểm toàn tỉnh của các Tổ công nghệ số cộng đồng.",
        )  # fmt: skip
        targets += [
            CampaignTarget(
                campaign=campaign,
                indicator=indicator,
                target=max(1, round(expected * share * 0.9, -1) or 1),
            )
            for indicator, share in shares.items()
        ]
    CampaignTarget.objects.bulk_create(targets)
    return len(drives)


def _prefix(ward: Ward) -> str:
    """Household codes start with the ward's initials: Phường Sài Gòn → SG."""
    words = text_fold(ward.name).split()[1:] or ["x"]
    return "".join(word[0] for word in words).upper()[:4]


def _analyze() -> None:
    """Fresh planner statistics (and visibility map) for the tables just loaded."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (
        Household, Resident, AssistanceSession, AssistanceSession.members.through,
        SessionService,
    )]  # fmt: skip
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("%s %s" % (command, table))
