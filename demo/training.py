"""Training for the demo wards of ``seed_demo``: a province OneTouch course
and a ward coaching course with their classes, the members' attendance, and
workshops for residents over the last two months. Keyed on class codes and
workshop UUIDs, so running again adds nothing."""

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from areas.models import Province, Ward
from teams.models import Member, Team
from training.models import Attendance, Course, TrainingEvent, Workshop

SEED = "seed_demo/training/2026"
NAMESPACE = uuid.UUID("0b7d4c1e-6a52-4f0e-8a3b-52d9f1c7e0a4")
PLACES = ["Nhà văn hoá tổ dân phố", "Trường THCS", "Chợ", "Nhà văn hoá thôn"]


def demo_training_seed(*, ward_codes, today: date, locked=frozenset()) -> None:
    """``locked``: the (ward, month) pairs approved, whose records are left."""
    hanoi = Province.objects.get(code="01")
    province_class = _province_class(hanoi, today)
    rng = random.Random(SEED)  # noqa: S311 - demo data
    for ward in Ward.objects.filter(code__in=ward_codes).order_by("code"):
        ward_class = _ward_class(hanoi, ward, today, locked)
        members = Member.objects.filter(ward=ward).order_by("pk")
        for member in members:
            for event, chance in ((province_class, 0.75), (ward_class, 0.5)):
                _attendance_seed(rng, event, member, chance, locked)
    for team in Team.objects.filter(ward__in=ward_codes).order_by("pk"):
        _seed_workshops(team, today, locked)


def _month(day: date) -> date:
    return day.replace(day=1)


def _province_class(hanoi: Province, today: date) -> TrainingEvent:
    onetouch, _created = Course.objects.get_or_create(
        title="Kỹ năng số cho Tổ công nghệ số cộng đồng",
        province=hanoi,
        ward=None,
        defaults={
            "provider": Course.Provider.ONETOUCH,
            "mode": Course.Mode.ONLINE,
            "topics": "VNeID, dịch vụ công trực tuyến, an toàn trên mạng",
        },
    )
    event, _created = TrainingEvent.objects.get_or_create(
        code="ONETOUCH-%d-01" % today.year,
        province=hanoi,
        defaults={
            "course": onetouch,
            "starts_on": date(today.year, 3, 10),
            "ends_on": date(today.year, 4, 10),
            "is_online": True,
        },
    )
    return event


def _ward_class(hanoi: Province, ward: Ward, today: date, locked):
    starts_on = date(today.year, 9, 15)
    code = "KEMCAP-%s-%d" % (ward.code, today.year)
    stored = TrainingEvent.objects.filter(code=code, province=hanoi).first()
    if stored is None and (ward.pk, _month(starts_on)) in locked:
        return None  # not added to an approved month
    coaching, _created = Course.objects.get_or_create(
        title="Kèm cặp hướng dẫn kích hoạt VNeID mức 2",
        province=hanoi,
        ward=ward,
        defaults={"provider": Course.Provider.WARD, "mode": Course.Mode.COACHING},
    )
    event, _created = TrainingEvent.objects.get_or_create(
        code=code,
        province=hanoi,
        defaults={
            "course": coaching,
            "ward": ward,
            "starts_on": starts_on,
            "place": "Hội trường UBND %s" % ward.name,
        },
    )
    return event


def _attendance_seed(rng, event, member: Member, chance: float, locked) -> None:
    roll = rng.random()
    if roll > chance:
        return
    completed = roll < chance * 0.8
    score = Decimal(rng.randint(65, 98)) if completed else None
    # Drawn even when skipped: the stream of the next members stays.
    if event is None or (member.ward_id, _month(event.starts_on)) in locked:
        return
    Attendance.objects.get_or_create(
        event=event,
        member=member,
        defaults={
            "status": Attendance.Status.COMPLETED
            if completed
            else Attendance.Status.ATTENDED,
            "score": score,
            "certificate_date": (event.ends_on or event.starts_on)
            if completed
            else None,
        },
    )


def _seed_workshops(team: Team, today: date, locked) -> None:
    rng = random.Random("%s/%s" % (SEED, team.pk))  # noqa: S311 - demo data
    for number in range(rng.randint(4, 8)):
        held_on = today - timedelta(days=rng.randint(1, 60))
        audience = rng.choice(list(Workshop.Audience.values))
        attendees = rng.randint(12, 45)
        elderly = attendees if audience == "elderly" else rng.randint(0, attendees // 4)
        # Drawn even when skipped: the stream of the next workshops stays.
        defaults = {
            "team": team,
            "ward_id": team.ward_id,
            "held_on": held_on,
            "place": rng.choice(PLACES),
            "topic": rng.choice(["safety", "identity", "public_service", "cashless"]),
            "audience": audience,
            "attendees": attendees,
            "women": rng.randint(attendees // 3, attendees * 2 // 3),
            "elderly": elderly,
            "disability": rng.randint(0, 2),
            "poor": rng.randint(0, attendees // 6),
        }
        if (team.ward_id, _month(held_on)) in locked:
            continue
        Workshop.objects.get_or_create(
            client_uuid=uuid.uuid5(NAMESPACE, "%s/%s" % (team.pk, number)),
            defaults=defaults,
        )
