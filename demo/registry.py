"""Believable registry data for the demo wards of ``seed_demo``.

Every random choice comes from a ``random.Random`` seeded with a fixed string
and the ward (or half-day), so two runs on empty databases give the same rows
and one ward's rows never depend on another's. Each part is keyed on what makes
its rows unique — a team's memberships, a service point's name, a shift's
half-day, a household's code — so running again adds nothing.
"""

import random
from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from areas.models import Hamlet, Ward
from households.models import Household, Resident
from teams.models import Member, Membership, ServicePoint, Shift, Team

SEED = "seed_demo/2025"
HOUSEHOLDS_PER_HAMLET = (55, 65)
FOUNDED = date(2025, 3, 1)  # when the demo teams were set up
CODE_PREFIX = {"00004": "BD", "00070": "HK", "00583": "BT"}
# Households not of an elderly person alone: people in them, and how often.
HOUSEHOLD_SIZES = {1: 4, 2: 20, 3: 24, 4: 28, 5: 14, 6: 6, 7: 4}

# fmt: off
# Roughly how common each family name is in the north.
FAMILY_NAMES = {
    "Nguyễn": 32, "Trần": 11, "Lê": 9, "Phạm": 8, "Hoàng": 6, "Vũ": 6, "Đỗ": 5,
    "Bùi": 4, "Đặng": 4, "Ngô": 3, "Dương": 3, "Phan": 3, "Hồ": 1, "Lý": 1,
    "Huỳnh": 1, "Võ": 1,
}
ETHNIC_FAMILY_NAMES = ["Hà", "Lò", "Đinh", "Quách", "Bạch", "Lường"]
# (gender, born before 1980): names, repeated to make them more likely
MIDDLE = {
    ("male", True): ["Văn", "Văn", "Văn", "Văn", "Đức", "Hữu", "Quang", "Xuân",
                     "Công", "Đình", "Ngọc"],
    ("male", False): ["Văn", "Đức", "Minh", "Quang", "Hoàng", "Tuấn", "Gia", "Anh",
                      "Thành", "Hữu", "Bảo"],
    ("female", True): ["Thị", "Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh",
                       "Kim", "Hồng"],
    ("female", False): ["Thị", "Thị", "Ngọc", "Thu", "Phương", "Minh", "Thanh",
                        "Khánh", "Bảo", "Thùy", "Mai"],
}
GIVEN = {
    ("male", True): ["Hùng", "Dũng", "Thắng", "Bình", "Hải", "Sơn", "Cường", "Tuấn",
                     "Long", "Hòa", "Thành", "Chiến", "Đông", "Hưng", "Toàn",
                     "Tiến", "Nam", "An", "Phúc", "Hiển", "Khải", "Lợi"],
    ("male", False): ["Minh", "Huy", "Khôi", "Nam", "Đức", "Phong", "Quân", "Anh",
                      "Bảo", "Kiên", "Long", "Dương", "Hiếu", "Tùng", "Việt", "Lâm",
                      "Đạt", "Khang", "Hoàng", "Trung"],
    ("female", True): ["Hoa", "Lan", "Hương", "Mai", "Hằng", "Nga", "Dung", "Hạnh",
                       "Thủy", "Loan", "Liên", "Tuyết", "Hiền", "Hồng", "Yến", "Vân",
                       "Oanh", "Nhung"],
    ("female", False): ["Linh", "Trang", "Anh", "Ngọc", "Chi", "Thảo", "Quỳnh", "Hà",
                        "My", "Vy", "Hân", "Phương", "Huyền", "Nhi", "Mai", "Ly",
                        "Giang", "Hương"],
}
MOBILE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "032", "033",
                   "034", "035", "036", "037", "038", "039"]
# Streets of each residential group; village households get village addresses.
STREETS = {
    "Tổ dân phố số 1": ["phố Đội Cấn", "phố Lê Hồng Phong", "phố Điện Biên Phủ"],
    "Tổ dân phố số 2": ["phố Hoàng Hoa Thám", "phố Phan Đình Phùng", "phố Đốc Ngữ"],
    "Tổ dân phố Quán Thánh": ["phố Quán Thánh", "phố Hàng Bún", "phố Cửa Bắc"],
    "Tổ dân phố Trúc Bạch": ["phố Trúc Bạch", "phố Châu Long", "phố Ngũ Xã"],
    "Tổ dân phố Hàng Bạc": ["phố Hàng Bạc", "phố Mã Mây", "phố Đinh Liệt"],
    "Tổ dân phố Hàng Đào": ["phố Hàng Đào", "phố Hàng Ngang", "phố Hàng Bồ"],
}
MOBILE_POINTS = {  # ward: [(place in the name, hamlet, address)]
    "00004": [
        ("tổ dân phố số 1", "Tổ dân phố số 1", "Nhà văn hóa tổ dân phố số 1"),
        ("tổ dân phố Quán Thánh", "Tổ dân phố Quán Thánh", "Nhà văn hóa Quán Thánh"),
        ("tổ dân phố Trúc Bạch", "Tổ dân phố Trúc Bạch", "Nhà văn hóa Trúc Bạch"),
    ],
    "00070": [
        ("tổ dân phố Hàng Bạc", "Tổ dân phố Hàng Bạc", "Nhà văn hóa Hàng Bạc"),
        ("chợ Đồng Xuân", "Tổ dân phố Hàng Đào", "Chợ Đồng Xuân"),
    ],
    "00583": [
        ("chợ gốm Bát Tràng", "Thôn Bát Tràng", "Chợ gốm Bát Tràng"),
        ("thôn Giang Cao", "Thôn Giang Cao", "Nhà văn hóa thôn Giang Cao"),
        ("thôn Kim Lan", "Thôn Kim Lan", "Nhà văn hóa thôn Kim Lan"),
    ],
}
AFFILIATIONS = {
    Member.Affiliation.YOUTH_UNION: 30, Member.Affiliation.WOMENS_UNION: 15,
    Member.Affiliation.HAMLET_STAFF: 10, Member.Affiliation.POLICE: 10,
    Member.Affiliation.STUDENT: 10, Member.Affiliation.TEACHER: 8,
    Member.Affiliation.FATHERLAND_FRONT: 6, Member.Affiliation.TELECOM: 6,
    Member.Affiliation.OTHER: 5,
}
POVERTY = {
    Household.Poverty.POOR: 1, Household.Poverty.NEAR_POOR: 3,
    Household.Poverty.NONE: 96,
}
# fmt: on
SKILL_RANK = {skill: rank for rank, skill in enumerate(Resident.Skill.values)}
MALE, FEMALE = Resident.Gender.MALE, Resident.Gender.FEMALE


def demo_registry_seed(
    *, hamlets: list[Hamlet], teams: list[Team], users: list[User], today: date
) -> None:
    """Add members, service points, shifts, households and residents."""
    wards = Ward.objects.filter(code__in={hamlet.ward_id for hamlet in hamlets})
    for ward in wards.order_by("code"):
        centre = _seed_service_points(ward, hamlets)
        for team in (team for team in teams if team.ward_id == ward.code):
            _seed_members(team, users, today)
        _seed_shifts(centre, today)
        _seed_households(
            ward, [hamlet for hamlet in hamlets if hamlet.ward_id == ward.code], today
        )


def demo_registry_counts(ward_codes) -> dict[str, int]:
    return {
        "households": Household.objects.filter(ward__in=ward_codes).count(),
        "residents": Resident.objects.filter(ward__in=ward_codes).count(),
        "members": Member.objects.filter(ward__in=ward_codes).count(),
        "points": ServicePoint.objects.filter(ward__in=ward_codes).count(),
        "shifts": Shift.objects.filter(service_point__ward__in=ward_codes).count(),
    }


def _seed_service_points(ward: Ward, hamlets: list[Hamlet]) -> ServicePoint:
    by_name = {(hamlet.ward_id, hamlet.name): hamlet for hamlet in hamlets}
    # "Phường Ba Đình" → "Trung tâm … phường Ba Đình"
    ward_name = ward.name[:1].lower() + ward.name[1:]
    centre, _created = ServicePoint.objects.get_or_create(
        ward=ward,
        name="Trung tâm Phục vụ hành chính công %s" % ward_name,
        defaults={"kind": ServicePoint.Kind.CENTRE},
    )
    for place, hamlet_name, address in MOBILE_POINTS[ward.code]:
        ServicePoint.objects.get_or_create(
            ward=ward,
            name="Điểm Bình dân học vụ số lưu động %s" % place,
            defaults={
                "kind": ServicePoint.Kind.MOBILE,
                "hamlet": by_name[(ward.code, hamlet_name)],
                "address": address,
            },
        )
    return centre


def _seed_members(team: Team, users: list[User], today: date) -> None:
    if team.memberships.exists():
        return
    rng = _rng("members", team.ward_id, team.name)
    phones = set(
        Member.objects.filter(ward=team.ward_id).values_list("phone", flat=True)
    )
    # The demo logins of this team become its leader and its third member.
    logins = {
        0 if user.role == Role.TEAM_LEADER else 2: user
        for user in users
        if user.team_id == team.pk and not Member.objects.filter(user=user).exists()
    }
    count = rng.randint(8, 12)
    names: set[str] = set()
    members, memberships = [], []
    for index in range(count):
        user = logins.get(index)
        if user:
            full_name = "%s %s" % (user.last_name, user.first_name)
        else:
            gender = rng.choice([MALE, FEMALE])
            full_name = _full_name(rng, _family_name(rng), gender, index == 0, names)
        names.add(full_name)
        if team.hamlet_id is None:  # the ward's youth volunteers
            affiliation = rng.choice(["youth_union"] * 3 + ["student"])
        else:
            affiliation = "hamlet_staff" if index == 0 else _weighted(rng, AFFILIATIONS)
        member = Member(
            ward_id=team.ward_id,
            full_name=full_name,
            phone=_mobile(rng, phones),
            affiliation=affiliation,
            user=user,
        )
        member.prepare()
        members.append(member)
        role = ["leader", "deputy"][index] if index < 2 else "member"
        # Leader and deputy founded the team in spring 2025; the others joined
        # since, up to today.
        days = 60 if index < 2 else (min(today, date(2026, 12, 31)) - FOUNDED).days
        joined_on = FOUNDED + timedelta(days=rng.randint(0, max(0, days)))
        memberships.append(Membership(team=team, role=role, joined_on=joined_on))
    bulk_create_with_history(
        members, Member, batch_size=500, default_change_reason="seed_demo"
    )
    for member, membership in zip(members, memberships, strict=True):
        membership.member = member
    Membership.objects.bulk_create(memberships)


def _seed_shifts(centre: ServicePoint, today: date) -> None:
    members = list(
        Member.objects.filter(ward=centre.ward_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(members) < 3:
        return
    existing = set(centre.shifts.values_list("date", "period"))
    planned = []
    for day in _working_days_around(today, 10):
        for period in Shift.Period.values:
            if (day, period) in existing:
                continue
            rng = _rng("shift", centre.ward_id, day, period)
            on_duty = rng.sample(members, min(len(members), rng.randint(3, 5)))
            planned.append(
                (Shift(service_point=centre, date=day, period=period), on_duty)
            )
    Shift.objects.bulk_create([shift for shift, _on_duty in planned])
    Shift.members.through.objects.bulk_create(
        Shift.members.through(shift_id=shift.pk, member_id=member_id)
        for shift, on_duty in planned
        for member_id in on_duty
    )


def _working_days_around(today: date, count: int) -> list[date]:
    """The ``count // 2`` weekdays before today, then today's and the next ones."""
    days = [today + timedelta(days=n) for n in range(-count, count + 1)]
    before = [day for day in days if day < today and day.weekday() < 5]
    after = [day for day in days if day >= today and day.weekday() < 5]
    return before[-(count // 2) :] + after[: count - count // 2]


def _seed_households(ward: Ward, hamlets: list[Hamlet], today: date) -> None:
    rng = _rng("households", ward.code)
    existing = set(Household.objects.filter(ward=ward).values_list("code", flat=True))
    planned, number = [], 0
    for hamlet in sorted(hamlets, key=lambda hamlet: hamlet.name):
        for _index in range(rng.randint(*HOUSEHOLDS_PER_HAMLET)):
            number += 1
            code = "%s-%04d" % (CODE_PREFIX[ward.code], number)
            # Plan every household, even existing ones, so that the random
            # stream, and thus every later household, stays the same.
            household, residents = _household(rng, ward, hamlet, code, today)
            if code not in existing:
                household.prepare()
                planned.append((household, residents))
    households = [household for household, _residents in planned]
    bulk_create_with_history(
        households, Household, batch_size=500, default_change_reason="seed_demo"
    )
    residents = []
    for household, people in planned:
        for resident in people:
            resident.household = household
            resident.prepare()
            residents.append(resident)
    bulk_create_with_history(
        residents, Resident, batch_size=500, default_change_reason="seed_demo"
    )


def _household(rng, ward, hamlet, code, today) -> tuple[Household, list[Resident]]:
    year = today.year
    household = _household_row(rng, ward, hamlet, code)
    head, people = _people(rng, household, year)
    household.head_name = head.full_name
    for resident in people:
        _resident_traits(rng, resident, household, year)
    _focal_person_choose(rng, household, head, people, year)
    if household.disability:
        eldest = min(people, key=lambda resident: resident.birth_year)
        (eldest if rng.random() < 0.6 else rng.choice(people)).disability = True
    contact = next(
        (r.phone for r in people if r.is_focal_person and r.phone), head.phone
    )
    household.phone = contact if rng.random() < 0.85 else ""
    return household, people


def _household_row(rng, ward, hamlet, code) -> Household:
    village = hamlet.kind == Hamlet.Kind.THON
    elderly_alone = rng.random() < 0.08
    return Household(
        ward=ward,
        hamlet=hamlet,
        code=code,
        address=_address(rng, hamlet),
        size=1 if elderly_alone else _weighted(rng, HOUSEHOLD_SIZES),
        elderly_alone=elderly_alone,
        disability=rng.random() < 0.05,
        poverty=_weighted(rng, POVERTY),
        ethnic_minority=rng.random() < (0.04 if village else 0.02),
        no_smartphone=rng.random() < (0.45 if elderly_alone else 0.065),
    )


def _people(rng, household, year) -> tuple[Resident, list[Resident]]:
    """The head and everyone living with them: a spouse, perhaps a widowed
    parent, and children up to the household's size."""
    family = _family_name(rng, household.ethnic_minority)
    names: set[str] = set()

    def person(family_name, gender, birth_year):
        old = birth_year < 1980
        full_name = _full_name(rng, family_name, gender, old, names)
        names.add(full_name)
        return Resident(full_name=full_name, gender=gender, birth_year=birth_year)

    if household.elderly_alone:  # more often a widow than a widower
        genders, ages = [FEMALE, MALE, FEMALE], (66, 92)
    elif household.size == 1:
        genders, ages = [MALE, FEMALE], (24, 60)
    else:  # big households have grown-up children or grandparents
        genders = [MALE, MALE, MALE, FEMALE]
        ages = (26, 80) if household.size < 4 else (34, 80)
    head = person(family, rng.choice(genders), year - rng.randint(*ages))
    people = [head]
    father, mother = (head, None) if head.gender == MALE else (None, head)
    if household.size >= 2 and rng.random() < 0.88:
        gender = FEMALE if head.gender == MALE else MALE
        shift = rng.randint(-2, 6) if gender == FEMALE else rng.randint(-6, 2)
        spouse = person(
            _family_name(rng, household.ethnic_minority),
            gender,
            min(head.birth_year + shift, year - 22),
        )
        people.append(spouse)
        father, mother = (head, spouse) if gender == FEMALE else (spouse, head)
    if (
        household.size - len(people) >= 3
        and head.birth_year > year - 60
        and rng.random() < 0.5
    ):
        # A widowed parent of the head lives with the family.
        gender = rng.choice([FEMALE, FEMALE, MALE])
        parent_family = family if gender == MALE else _family_name(rng)
        born = max(year - 98, head.birth_year - rng.randint(22, 32))
        people.append(person(parent_family, gender, born))
    children_family = (father or head).full_name.split()[0]
    youngest_parent = (mother or father or head).birth_year
    while len(people) < household.size:
        latest = min(youngest_parent + 42, year)
        born = rng.randint(min(youngest_parent + 20, latest), latest)
        people.append(person(children_family, rng.choice([MALE, FEMALE]), born))
    return head, people


def _focal_person_choose(rng, household, head, people, year) -> None:
    """A household that has a smartphone has someone who can use it; most
    name the most skilled of working age as their digital focal person."""
    owners = [resident for resident in people if resident.has_smartphone]
    if not household.no_smartphone and not owners:
        head.has_smartphone = True
        head.phone = head.phone or _mobile(rng)
        head.digital_skill = Resident.Skill.BASIC
        owners = [head]
    household.no_smartphone = not owners
    if owners and rng.random() < 0.9:
        focal = max(
            owners,
            key=lambda r: (SKILL_RANK[r.digital_skill], -abs(year - r.birth_year - 40)),
        )
        focal.is_focal_person = True
        if SKILL_RANK[focal.digital_skill] < SKILL_RANK[Resident.Skill.INDEPENDENT]:
            focal.digital_skill = Resident.Skill.INDEPENDENT


def _resident_traits(rng, resident, household, year) -> None:
    age = year - resident.birth_year
    resident.ethnic_minority = household.ethnic_minority
    if age < 12 or household.no_smartphone:
        chance = 0.0
    else:
        chance = 0.7 if age < 18 else 0.95 if age < 60 else 0.65 if age < 75 else 0.3
    resident.has_smartphone = rng.random() < chance
    if resident.has_smartphone:
        resident.phone = _mobile(rng) if rng.random() < 0.9 else ""
        if age >= 60:
            weights = {"basic": 60, "independent": 35, "advanced": 5}
        else:
            weights = {"basic": 20, "independent": 55, "advanced": 25}
        resident.digital_skill = _weighted(rng, weights)
    else:
        resident.phone = _mobile(rng) if age >= 18 and rng.random() < 0.65 else ""
        resident.digital_skill = Resident.Skill.NONE
    # Children get level 2 through their parents; older people at the police
    # station even without a smartphone.
    if age < 14:
        weights = {"level2": 55, "none": 45}
    elif resident.has_smartphone:
        weights = {"level2": 85, "level1": 7, "none": 8}
    else:
        weights = {"level2": 62, "level1": 8, "none": 30}
    resident.vneid_level = _weighted(rng, weights)


def _address(rng, hamlet: Hamlet) -> str:
    if hamlet.kind == Hamlet.Kind.THON:
        village = hamlet.name[:1].lower() + hamlet.name[1:]
        if rng.random() < 0.5:
            return "Xóm %d %s" % (rng.randint(1, 8), village)
        return "Số %d ngõ %d %s" % (rng.randint(1, 60), rng.randint(1, 30), village)
    street = rng.choice(STREETS[hamlet.name])
    if rng.random() < 0.35:
        return "Số %d %s" % (rng.randint(1, 180), street)
    if rng.random() < 0.75:
        return "Số %d ngõ %d %s" % (rng.randint(1, 60), rng.randint(2, 200), street)
    numbers = (rng.randint(1, 40), rng.randint(2, 200), rng.randint(1, 40))
    return "Số %d ngách %d/%d %s" % (*numbers, street)


def _family_name(rng, ethnic_minority: bool = False) -> str:
    if ethnic_minority:
        return rng.choice(ETHNIC_FAMILY_NAMES)
    return _weighted(rng, FAMILY_NAMES)


def _full_name(rng, family_name, gender, old, taken) -> str:
    """A name not in ``taken``, with no syllable twice ("Hoàng Hoàng Dương")."""
    key = ("male" if gender == MALE else "female", old)
    while True:
        middle, given = rng.choice(MIDDLE[key]), rng.choice(GIVEN[key])
        full_name = "%s %s %s" % (family_name, middle, given)
        if len({family_name, middle, given}) == 3 and full_name not in taken:
            return full_name


def _mobile(rng, taken: set[str] | None = None) -> str:
    while True:
        phone = rng.choice(MOBILE_PREFIXES) + "%07d" % rng.randrange(10**7)
        if taken is None or phone not in taken:
            if taken is not None:
                taken.add(phone)
            return phone


def _rng(*parts) -> random.Random:
    # Reproducible demo data, not secrets: a seeded generator is what we want.
    return random.Random("/".join(map(str, (SEED, *parts))))  # noqa: S311


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]
