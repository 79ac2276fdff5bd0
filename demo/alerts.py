"""What makes the demo dashboards show their alerts.

``demo.assistance`` already leaves a team without sessions for three weeks
(``QUIET_TEAMS``). Here: three follow-ups of a team left open for over
two weeks (``demo.assistance`` closes the older ones), a member who
helped before and has been silent for over 30 days (their recent sessions
are credited to a teammate), and IT support staff assigned to the communes,
Hoàn Kiếm with one and Bát Tràng with none, short of the two asked for.
Running again changes nothing.
"""

from datetime import date, timedelta

from django.db.models import Q

from assistance.models import AssistanceSession, SessionService
from teams.models import Member, SupportStaff

SILENT_TEAM = "Tổ CNSCĐ Tổ dân phố Hàng Bạc"
SILENT_DAYS = 35
WAITING_TEAM = "Tổ CNSCĐ Tổ dân phố số 1"
WAITING = 3  # follow-ups left open for over two weeks
SUPPORT_STAFF = [
    # (ward, full name, organisation, its name, phone)
    ("00004", "Vũ Đức Thắng", "telecom", "VNPT Hà Nội", "0912000101"),
    ("00004", "Hoàng Thị Mai", "it_company", "Công ty CP Giải pháp số", "0912000102"),
    ("00070", "Bùi Quang Huy", "telecom", "Viettel Hà Nội", "0912000103"),
]


def demo_alerts_seed(*, today: date, locked=frozenset()) -> None:
    """``locked``: the (ward, month) pairs approved, whose sessions are left."""
    frozen = _in_months(locked)
    _member_silence(today, frozen)
    _follow_ups_waiting(today, frozen)
    for ward, full_name, organisation, organisation_name, phone in SUPPORT_STAFF:
        if SupportStaff.objects.filter(ward_id=ward, phone=phone).exists():
            continue
        SupportStaff.objects.create(
            ward_id=ward,
            full_name=full_name,
            organisation=organisation,
            organisation_name=organisation_name,
            phone=phone,
            starts_on=today - timedelta(days=90),
        )


def _in_months(locked) -> Q:
    """The sessions of the locked ward-months; none if none."""
    found = Q(pk__in=[])
    for ward_id, month in locked:
        after = (month + timedelta(days=32)).replace(day=1)
        found |= Q(ward_id=ward_id, started_on__gte=month, started_on__lt=after)
    return found


def _member_silence(today: date, frozen: Q) -> None:
    """The team's last member (not a login) stops helping 35 days ago."""
    members = list(
        Member.objects.filter(memberships__team__name=SILENT_TEAM, user__isnull=True)
        .order_by("pk")
        .distinct()
    )
    if len(members) < 2:
        return
    silent, stand_in = members[-1], members[0]
    Through = AssistanceSession.members.through
    recent = Through.objects.filter(
        member=silent,
        assistancesession__started_on__gt=today - timedelta(days=SILENT_DAYS),
    ).exclude(
        assistancesession__in=AssistanceSession.objects.filter(frozen).values("pk")
    )
    helped_too = Through.objects.filter(member=stand_in).values("assistancesession")
    # Where the stand-in helped as well the silent member's line goes; else
    # the stand-in takes it over.
    recent.filter(assistancesession__in=helped_too).delete()
    recent.update(member=stand_in)


def _follow_ups_waiting(today: date, frozen: Q) -> None:
    old = (
        SessionService.objects.filter(
            session__team__name=WAITING_TEAM,
            session__started_on__lte=today - timedelta(days=15),
            session__started_on__gte=today - timedelta(days=30),
            outcome=SessionService.Outcome.FOLLOW_UP,
        )
        .exclude(session__in=AssistanceSession.objects.filter(frozen).values("pk"))
        .order_by("pk")
    )
    SessionService.objects.filter(
        pk__in=list(old.values_list("pk", flat=True)[:WAITING])
    ).update(closed_at=None)
