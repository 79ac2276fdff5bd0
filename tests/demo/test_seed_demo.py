import io
import unicodedata
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import Role, User
from areas.models import Hamlet
from assistance.models import AssistanceSession
from core.phones import phone_normalise
from core.text import search_key
from households.models import Household, Resident
from teams.models import Member, Membership, ServicePoint, Shift, Team

pytestmark = pytest.mark.django_db


def seed(capsys):
    call_command("seed_demo", allow_without_debug=True)
    return capsys.readouterr().out


def test_it_creates_one_login_per_role_and_prints_them(capsys):
    output = seed(capsys)

    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    for user in User.objects.all():
        assert user.username in output
        assert user.check_password("demo1234")


def test_running_twice_duplicates_nothing(capsys):
    seed(capsys)
    counts = (User.objects.count(), Team.objects.count(), Hamlet.objects.count())

    seed(capsys)

    assert (
        User.objects.count(),
        Team.objects.count(),
        Hamlet.objects.count(),
    ) == counts


def test_running_again_keeps_what_an_official_changed_and_adds_what_is_missing(
    capsys,
):
    seed(capsys)
    official = User.objects.get(username="phuong.badinh")
    official.set_password("a-secret-of-her-own")
    official.first_name = "Minh Tâm"
    official.save()
    User.objects.filter(username="thanhvien.badinh").delete()

    output = seed(capsys)

    official.refresh_from_db()
    assert official.check_password("a-secret-of-her-own")
    assert official.first_name == "Minh Tâm"
    assert User.objects.get(username="thanhvien.badinh").check_password("demo1234")
    official_line = next(
        line for line in output.splitlines() if "phuong.badinh" in line
    )
    assert "demo1234" not in official_line  # a changed password is not shown as it


def test_demo_lives_in_real_wards_of_hanoi(capsys):
    seed(capsys)

    team_leader = User.objects.get(role=Role.TEAM_LEADER)
    assert team_leader.province.name == "Thành phố Hà Nội"
    assert team_leader.ward.name == "Phường Ba Đình"


def test_it_refuses_to_run_with_debug_off_unless_told():
    with pytest.raises(CommandError, match="public password"):
        call_command("seed_demo")


DEMO_WARDS = ["00004", "00070", "00583"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def registry_counts():
    return {
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
        "members": Member.objects.count(),
        "memberships": Membership.objects.count(),
        "service points": ServicePoint.objects.count(),
        "shifts": Shift.objects.count(),
        "shift members": Shift.members.through.objects.count(),
        "history": Household.history.count()
        + Resident.history.count()
        + Member.history.count(),
    }


@pytest.mark.parametrize("ward_code", DEMO_WARDS)
def test_it_fills_the_registry_of_each_demo_ward(demo, ward_code):
    hamlets = Hamlet.objects.filter(ward=ward_code)
    for hamlet in hamlets:
        assert 50 <= hamlet.households.count() <= 70
    assert Resident.objects.filter(ward=ward_code).count() > 2 * 50 * hamlets.count()
    for team in Team.objects.filter(ward=ward_code):
        assert 8 <= team.memberships.count() <= 12
    points = ServicePoint.objects.filter(ward=ward_code)
    assert points.filter(kind=ServicePoint.Kind.CENTRE).count() == 1
    assert 2 <= points.filter(kind=ServicePoint.Kind.MOBILE).count() <= 3
    assert Shift.objects.filter(service_point__ward=ward_code).count() == 20


def test_it_prints_the_registry_counts(capsys):
    output = seed(capsys)

    assert "%d hộ gia đình" % Household.objects.count() in output
    assert "%d nhân khẩu" % Resident.objects.count() in output
    assert "%d thành viên" % Member.objects.count() in output
    assert "%d ca trực" % Shift.objects.count() in output


def test_running_twice_adds_nothing_to_the_registry(demo):
    counts = registry_counts()
    assert counts["households"] and counts["history"]

    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())

    assert registry_counts() == counts


def test_deleted_households_come_back_the_same(demo):
    def snapshot():
        return sorted(
            Resident.objects.values_list(
                "household__code",
                "household__address",
                "full_name",
                "birth_year",
                "phone",
                "vneid_level",
            )
        )

    before = snapshot()
    # Sessions protect the households they served: they go first.
    AssistanceSession.objects.filter(ward="00070").delete()
    Household.objects.filter(ward="00070").delete()

    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())

    assert snapshot() == before


def test_each_household_has_at_most_one_focal_person_who_owns_a_smartphone(demo):
    focal = Resident.objects.filter(is_focal_person=True)
    assert focal.count() > Household.objects.count() / 2
    assert not focal.filter(has_smartphone=False).exists()
    most = Household.objects.annotate(
        focal=Count("residents", filter=Q(residents__is_focal_person=True))
    ).aggregate(most=Max("focal"))["most"]
    assert most == 1


def test_households_without_a_smartphone_have_no_focal_person(demo):
    households = Household.objects.filter(no_smartphone=True)
    assert households.exists()
    assert not Resident.objects.filter(
        household__in=households, has_smartphone=True
    ).exists()


def test_each_household_holds_its_size_in_residents_with_the_head_among_them(demo):
    households = Household.objects.annotate(people=Count("residents"))
    names = {}
    for household_id, full_name in Resident.objects.values_list(
        "household", "full_name"
    ):
        names.setdefault(household_id, set()).add(full_name)
    for household in households:
        assert 1 <= household.size <= 7
        assert household.people == household.size
        assert household.head_name in names[household.pk]
    sharing = sum(
        resident.full_name.split()[0] == resident.household.head_name.split()[0]
        for resident in Resident.objects.select_related("household")
    )
    assert sharing > 0.6 * Resident.objects.count()


def test_priority_groups_are_rare_and_most_residents_have_level_2(demo):
    households = Household.objects.count()
    rates = {
        "elderly_alone": Household.objects.filter(elderly_alone=True).count(),
        "disability": Household.objects.filter(disability=True).count(),
        "poverty": Household.objects.exclude(poverty="").count(),
        "ethnic_minority": Household.objects.filter(ethnic_minority=True).count(),
        "no_smartphone": Household.objects.filter(no_smartphone=True).count(),
    }
    rates = {name: count / households for name, count in rates.items()}
    assert 0.04 < rates["elderly_alone"] < 0.12
    assert 0.02 < rates["disability"] < 0.08
    assert 0.01 < rates["poverty"] < 0.08
    assert 0.005 < rates["ethnic_minority"] < 0.05
    assert 0.05 < rates["no_smartphone"] < 0.15
    level_2 = Resident.objects.filter(vneid_level=Resident.VneidLevel.LEVEL_2)
    assert 0.65 < level_2.count() / Resident.objects.count() < 0.85


def test_members_phones_are_valid_and_unique_in_their_ward(demo):
    phones = list(Member.objects.values_list("ward", "phone"))

    assert len(set(phones)) == len(phones)
    for _ward, phone in phones:
        assert phone_normalise(phone) == phone
        assert phone[:2] in ("09", "03")


def test_residents_and_households_phones_are_valid_or_blank(demo):
    phones = set(Resident.objects.values_list("phone", flat=True))
    phones |= set(Household.objects.values_list("phone", flat=True))

    assert "" in phones
    for phone in phones - {""}:
        assert phone_normalise(phone) == phone


def test_each_team_has_one_leader_one_deputy_and_joined_in_2025_or_2026(demo):
    for team in Team.objects.all():
        roles = Counter(team.memberships.values_list("role", flat=True))
        assert roles[Membership.Role.LEADER] == 1
        assert roles[Membership.Role.DEPUTY] == 1
        assert roles[Membership.Role.MEMBER] == sum(roles.values()) - 2
    for joined_on in Membership.objects.values_list("joined_on", flat=True):
        assert joined_on.year in (2025, 2026)
        assert joined_on <= timezone.localdate()


def test_team_logins_are_members_of_their_team(demo):
    leader = User.objects.get(username="totruong.badinh")
    member = User.objects.get(username="thanhvien.badinh")

    assert leader.member.full_name == "Nguyễn Văn An"
    assert leader.member.memberships.get(team=leader.team).role == "leader"
    assert member.member.full_name == "Đỗ Thị Lan"
    assert member.member.memberships.get(team=member.team).role == "member"


def test_shifts_cover_ten_weekdays_around_today_with_three_to_five_members(demo):
    today = timezone.localdate()
    for centre in ServicePoint.objects.filter(kind=ServicePoint.Kind.CENTRE):
        shifts = centre.shifts.annotate(on_duty=Count("members"))
        dates = {shift.date for shift in shifts}
        assert len(dates) == 10
        assert all(day.weekday() < 5 for day in dates)
        assert min(dates) < today <= max(dates)
        assert max(dates) - min(dates) < timedelta(days=15)
        assert Counter(shifts.values_list("period", flat=True)) == {
            Shift.Period.MORNING: 10,
            Shift.Period.AFTERNOON: 10,
        }
        assert all(3 <= shift.on_duty <= 5 for shift in shifts)
        assert not Member.objects.filter(shifts__service_point=centre).exclude(
            ward=centre.ward_id
        )


def test_search_text_is_folded_from_the_searchable_fields(demo):
    for household in Household.objects.all():
        assert household.search_text == search_key(
            household.code, household.head_name, household.address, household.phone
        )
    for resident in Resident.objects.all():
        assert resident.search_text == search_key(resident.full_name, resident.phone)
    for member in Member.objects.all():
        assert member.search_text == search_key(member.full_name, member.phone)
    assert Household.objects.get(code="BD-0001").search_text.startswith("bd-0001 ")


def test_names_and_addresses_are_vietnamese_in_nfc(demo):
    household = Household.objects.filter(ward="00004").first()

    assert household.address.startswith("Số ")
    for name in Resident.objects.values_list("full_name", flat=True):
        assert unicodedata.is_normalized("NFC", name)
        assert len(name.split()) == 3
