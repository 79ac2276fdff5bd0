import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from teams.models import Member, Membership
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 5)


def member(area, phone="0912345678", name="Nguyễn Văn An"):
    return Member.objects.create(ward=area.ward, full_name=name, phone=phone)


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "+84 912.345.678", "84912345678", "0912-345-678"]
)
def test_phone_is_stored_in_one_national_form(area, typed):
    assert member(area, phone=typed).phone == "0912345678"


@pytest.mark.parametrize("typed", ["12345", "091234567", "+1 650 253 0000", "abc"])
def test_a_number_that_is_not_vietnamese_is_refused_by_name(area, typed):
    candidate = Member(ward=area.ward, full_name="Lê Thị Bình", phone=typed)

    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()

    assert "phone" in excinfo.value.message_dict


def test_the_same_phone_twice_in_a_ward_is_one_person(area):
    member(area, phone="0912345678")

    with pytest.raises(IntegrityError):
        member(area, phone="+84912345678", name="Nguyễn Văn An (bản sao)")


def test_a_person_serves_in_several_teams(area):
    second_team = TeamFactory(ward=area.ward)
    person = member(area)

    Membership.objects.create(member=person, team=area.team, joined_on=JAN)
    Membership.objects.create(member=person, team=second_team, joined_on=JAN)

    assert set(person.teams.all()) == {area.team, second_team}


def test_a_team_has_at_most_one_current_leader(area):
    first = member(area, phone="0912345678")
    second = member(area, phone="0987654321", name="Trần Thị Hoa")
    Membership.objects.create(
        member=first, team=area.team, role=Membership.Role.LEADER, joined_on=JAN
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            member=second, team=area.team, role=Membership.Role.LEADER, joined_on=JAN
        )


def test_a_new_leader_follows_one_who_left(area):
    first = member(area, phone="0912345678")
    second = member(area, phone="0987654321", name="Trần Thị Hoa")
    Membership.objects.create(
        member=first,
        team=area.team,
        role=Membership.Role.LEADER,
        joined_on=JAN,
        left_on=datetime.date(2026, 6, 30),
    )

    Membership.objects.create(
        member=second, team=area.team, role=Membership.Role.LEADER, joined_on=JAN
    )

    assert area.team.memberships.filter(role="leader").count() == 2


def test_leaving_before_joining_is_refused(area):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            member=member(area),
            team=area.team,
            joined_on=JAN,
            left_on=datetime.date(2025, 12, 31),
        )


def test_a_member_joins_only_teams_of_their_ward(area):
    membership = Membership(
        member=member(area), team=area.neighbour_team, joined_on=JAN
    )

    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()

    assert "team" in excinfo.value.message_dict


def test_a_teams_hamlet_is_in_its_ward(area):
    area.team.hamlet = area.neighbour_hamlet

    with pytest.raises(ValidationError) as excinfo:
        area.team.full_clean()

    assert "hamlet" in excinfo.value.message_dict
