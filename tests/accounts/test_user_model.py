import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_team_member_takes_ward_and_province_from_team(area):
    user = User.objects.create_user("tv", role=Role.TEAM_MEMBER, team=area.team)

    assert (user.ward_id, user.province_id) == ("00004", "01")


def test_areas_wider_than_the_role_are_filled_and_narrower_cleared(area):
    user = User(username="p", role=Role.PROVINCE, province=area.province)
    user.ward = area.ward
    user.team = area.team

    user.save()

    assert (user.province_id, user.ward_id, user.team_id) == ("01", None, None)


def test_database_refuses_a_ward_official_without_a_ward(area):
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(username="x", role=Role.WARD)])


def test_database_refuses_an_account_without_a_role(db):
    with pytest.raises(IntegrityError):
        User.objects.create_user("nobody")


def test_form_validation_names_the_missing_area(area):
    user = User(username="tt", role=Role.TEAM_LEADER)

    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()

    assert "team" in excinfo.value.message_dict


def test_createsuperuser_makes_a_national_administrator(db):
    user = User.objects.create_superuser("root", "root@example.com", "pw")

    assert user.role == Role.NATIONAL
    assert user.is_staff


def test_only_admin_roles_are_staff(area):
    member = User.objects.create_user("m", role=Role.TEAM_MEMBER, team=area.team)
    official = User.objects.create_user("w", role=Role.WARD, ward=area.ward)

    assert (member.is_staff, official.is_staff) == (False, True)


def test_full_name_is_in_vietnamese_order(area):
    user = User(last_name="Nguyễn", first_name="Văn An")

    assert user.get_full_name() == "Nguyễn Văn An"
