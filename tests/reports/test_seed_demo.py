import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role, User
from areas.models import Hamlet
from teams.models import Team

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


def test_demo_lives_in_real_wards_of_hanoi(capsys):
    seed(capsys)

    team_leader = User.objects.get(role=Role.TEAM_LEADER)
    assert team_leader.province.name == "Thành phố Hà Nội"
    assert team_leader.ward.name == "Phường Ba Đình"


def test_it_refuses_to_run_with_debug_off_unless_told():
    with pytest.raises(CommandError, match="public password"):
        call_command("seed_demo")
