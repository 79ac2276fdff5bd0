"""A small, believable slice of Hà Nội for demonstrations and manual testing.

It lives in ``reports`` because that app sits at the end of the data flow and
may read every other app. Running it again updates rows instead of adding more.
The registry of the demo wards (members, service points, shifts, households,
residents) comes from ``demo.registry``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import TEAM_ROLES, Role, User
from areas.locks import months_locked
from areas.models import Hamlet, Ward
from areas.services import areas_load
from demo.alerts import demo_alerts_seed
from demo.assistance import demo_assistance_counts, demo_assistance_seed
from demo.monthly import demo_monthly_seed
from demo.registry import demo_registry_counts, demo_registry_seed
from demo.scale import (
    DEFAULT_SEED,
    SCALES,
    ScaleReport,
    ScaleSeedRefused,
    scale_seed,
)
from demo.scale_national import national_seed
from demo.training import demo_training_seed
from reports.services import stats_rebuild
from teams.models import Team

DEMO_PASSWORD = "demo1234"
PROVINCE = "01"  # Thành phố Hà Nội

HAMLETS = {
    "00004": [  # Phường Ba Đình
        ("Tổ dân phố số 1", Hamlet.Kind.TO_DAN_PHO),
        ("Tổ dân phố số 2", Hamlet.Kind.TO_DAN_PHO),
        ("Tổ dân phố Quán Thánh", Hamlet.Kind.TO_DAN_PHO),
        ("Tổ dân phố Trúc Bạch", Hamlet.Kind.TO_DAN_PHO),
    ],
    "00070": [  # Phường Hoàn Kiếm
        ("Tổ dân phố Hàng Bạc", Hamlet.Kind.TO_DAN_PHO),
        ("Tổ dân phố Hàng Đào", Hamlet.Kind.TO_DAN_PHO),
    ],
    "00583": [  # Xã Bát Tràng
        ("Thôn Giang Cao", Hamlet.Kind.THON),
        ("Thôn Bát Tràng", Hamlet.Kind.THON),
        ("Thôn Kim Lan", Hamlet.Kind.THON),
    ],
}

TEAMS = [
    # (ward, hamlet or None for a ward-level team, team name)
    ("00004", "Tổ dân phố số 1", "Tổ CNSCĐ Tổ dân phố số 1"),
    ("00004", "Tổ dân phố Quán Thánh", "Tổ CNSCĐ Tổ dân phố Quán Thánh"),
    ("00004", None, "Đội thanh niên tình nguyện phường Ba Đình"),
    ("00070", "Tổ dân phố Hàng Bạc", "Tổ CNSCĐ Tổ dân phố Hàng Bạc"),
    ("00583", "Thôn Giang Cao", "Tổ CNSCĐ thôn Giang Cao"),
]

USERS = [
    # (username, role, area, family name, given name)
    ("admin", Role.NATIONAL, None, "Quản trị", "Hệ thống"),
    ("tinh.hanoi", Role.PROVINCE, PROVINCE, "Trần", "Thị Hương"),
    ("phuong.badinh", Role.WARD, "00004", "Lê", "Minh Tuấn"),
    ("phuong.hoankiem", Role.WARD, "00070", "Phạm", "Thu Trang"),
    (
        "totruong.badinh",
        Role.TEAM_LEADER,
        "Tổ CNSCĐ Tổ dân phố số 1",
        "Nguyễn",
        "Văn An",
    ),
    ("thanhvien.badinh", Role.TEAM_MEMBER, "Tổ CNSCĐ Tổ dân phố số 1", "Đỗ", "Thị Lan"),
]


class Command(BaseCommand):
    help = "Create demo areas, teams and one account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed even with DEBUG off (demo passwords are public: never in "
            "production).",
        )
        parser.add_argument(
            "--scale",
            choices=[*SCALES, "national"],
            help="Instead of the Hà Nội demo, fill the first wards of a big province "
            "with a year of work at this size (for benchmarks and load tests); "
            "national: a year of summary rows for every commune of the country.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=365,
            help="With --scale national: how many days of figures (default 365).",
        )
        parser.add_argument(
            "--sessions",
            type=int,
            help="With --scale: how many assistance sessions instead of the size's.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="With --scale: the random seed (default %d, so runs repeat)."
            % DEFAULT_SEED,
        )

    def execute(self, *args, **options):
        # What it prints is for the platform's people: in its language,
        # whatever the process last spoke.
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "seed_demo creates accounts with a public password; it runs only "
                "with DEBUG on (or --allow-without-debug on a throw-away database)."
            )
        if options["scale"] == "national":
            self._seed_national(options)
            return
        if options["scale"]:
            self._seed_scale(options)
            return
        if options["sessions"] is not None or options["seed"] is not None:
            raise CommandError("--sessions and --seed go with --scale.")
        areas_load()
        # A month approved since the last run is frozen: its records are left
        # as they are (the phones' and the admin's writes are refused too).
        locked = months_locked(ward_ids=list(HAMLETS))
        with transaction.atomic():
            hamlets = self._seed_hamlets()
            teams = self._seed_teams(hamlets)
            users = self._seed_users(teams)
            demo_registry_seed(
                hamlets=list(hamlets.values()),
                teams=list(teams.values()),
                users=users,
                today=timezone.localdate(),
            )
            demo_assistance_seed(
                ward_codes=list(HAMLETS), today=timezone.localdate(), locked=locked
            )
            demo_training_seed(
                ward_codes=list(HAMLETS), today=timezone.localdate(), locked=locked
            )
            demo_alerts_seed(today=timezone.localdate(), locked=locked)
        # Bulk inserts send no signals: the summary tables are built once here.
        stats_rebuild()
        # Drafted from the summary tables, so after they are built.
        demo_monthly_seed(today=timezone.localdate())
        if locked:
            self._locked_report(locked)
        self.stdout.write(self.style.SUCCESS(gettext("Demo data ready. Logins:")))
        for line in login_lines(users):
            self.stdout.write(line)
        self.stdout.write(
            gettext(
                "Demo wards: %(households)d households, %(residents)d residents, "
                "%(members)d members, %(points)d service points, %(shifts)d shifts."
            )
            % demo_registry_counts(list(HAMLETS))
        )
        self.stdout.write(
            gettext(
                "Assistance: %(sessions)d sessions over 60 days, %(follow_ups)d "
                "open follow-ups; 2 campaigns."
            )
            % demo_assistance_counts(list(HAMLETS))
        )

    def _locked_report(self, locked) -> None:
        names = dict(
            Ward.objects.filter(code__in=list(HAMLETS)).values_list("code", "name")
        )
        self.stdout.write(
            gettext(
                "Approved months left unchanged (their records are locked): %(months)s."
            )
            % {
                "months": ", ".join(
                    "%s %s" % (month.strftime("%m/%Y"), names[ward])
                    for ward, month in sorted(locked, key=lambda pair: pair[::-1])
                )
            }
        )

    def _seed_scale(self, options) -> None:
        seed = self._scale_seed_number(options)
        self.stdout.write(
            gettext("Seeding at scale “%(scale)s” (seed %(seed)d):")
            % {"scale": options["scale"], "seed": seed}
        )
        report = self._seeded(
            scale_seed, scale=options["scale"], sessions=options["sessions"], seed=seed
        )
        self._print_scale(report)

    def _scale_seed_number(self, options) -> int:
        if options["sessions"] is not None and options["sessions"] < 0:
            raise CommandError("--sessions cannot be negative.")
        return DEFAULT_SEED if options["seed"] is None else options["seed"]

    def _seeded(self, seed_function, **arguments):
        try:
            return seed_function(progress=self._progress, **arguments)
        except ScaleSeedRefused as refusal:
            raise CommandError(str(refusal)) from refusal

    def _progress(self, step: str, seconds: float) -> None:
        self.stdout.write("  %-36s %8.1f s" % (step, seconds))
        self.stdout.flush()

    def _seed_national(self, options) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        seed = self._scale_seed_number(options)
        self.stdout.write(
            gettext("Seeding the whole country's figures (seed %(seed)d):")
            % {"seed": seed}
        )
        report = self._seeded(
            national_seed, days=options["days"], sessions=options["sessions"], seed=seed
        )
        total = sum(seconds for _step, seconds in report.timings)
        self.stdout.write("  %-36s %8.1f s" % (gettext("total"), total))
        self.stdout.write(
            gettext("Figures from %(first)s to %(last)s:")
            % {"first": report.first, "last": report.last}
        )
        for name, count in report.counts.items():
            self.stdout.write("  %-36s %12s" % (name, format(count, ",")))
        self.stdout.write(self.style.SUCCESS(gettext("Scale data ready. Logins:")))
        for line in login_lines(report.users):
            self.stdout.write(line)

    def _print_scale(self, report: ScaleReport) -> None:
        total = sum(seconds for _step, seconds in report.timings)
        self.stdout.write("  %-36s %8.1f s" % (gettext("total"), total))
        self.stdout.write(
            gettext("%(province)s, wards %(first)s to %(last)s (%(wards)d):")
            % {
                "province": report.province.name,
                "first": report.wards[0].code,
                "last": report.wards[-1].code,
                "wards": len(report.wards),
            }
        )
        for name, count in report.counts.items():
            self.stdout.write("  %-36s %12s" % (name, format(count, ",")))
        self.stdout.write(self.style.SUCCESS(gettext("Scale data ready. Logins:")))
        for line in login_lines(report.users):
            self.stdout.write(line)

    def _seed_hamlets(self) -> dict[tuple[str, str], Hamlet]:
        hamlets = {}
        for ward_code, rows in HAMLETS.items():
            ward = Ward.objects.get(code=ward_code)
            for name, kind in rows:
                hamlets[(ward_code, name)], _created = Hamlet.objects.update_or_create(
                    ward=ward, name=name, defaults={"kind": kind}
                )
        return hamlets

    def _seed_teams(self, hamlets: dict[tuple[str, str], Hamlet]) -> dict[str, Team]:
        teams = {}
        for ward_code, hamlet_name, name in TEAMS:
            teams[name], _created = Team.objects.update_or_create(
                ward_id=ward_code,
                name=name,
                defaults={"hamlet": hamlets.get((ward_code, hamlet_name))},
            )
        return teams

    def _seed_users(self, teams: dict[str, Team]) -> list[User]:
        """Create the demo accounts that are missing; leave the others alone.

        The demo is started again and again (scripts/start.sh seeds on every
        start): an official who changed a demo account's password or name
        must find it as they left it.
        """
        users = []
        for username, role, area, family_name, given_name in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    role=role,
                    last_name=family_name,
                    first_name=given_name,
                    province_id=area if role == Role.PROVINCE else None,
                    ward_id=area if role == Role.WARD else None,
                    team=teams[area] if role in TEAM_ROLES else None,
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
            users.append(user)
        return users


def login_lines(users: list[User]) -> list[str]:
    """One line per login; the password shown only while it is still the demo's.

    A password someone changed is theirs: printing demo1234 would be wrong.
    """
    changed = gettext("(changed)")
    return [
        "  %-18s %-10s %-24s %s"
        % (
            user.username,
            DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else changed,
            user.get_role_display(),
            _area(user),
        )
        for user in users
    ]


def _area(user: User) -> str:
    if user.team_id:
        return "%s, %s" % (user.team, user.ward)
    return str(user.ward or user.province or "Việt Nam")
