import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Role, User
from accounts.scope import Level, Scope, scope, scope_for
from areas.models import Hamlet, Province, Ward
from assistance.models import Campaign
from teams.models import Team
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def visible(model, user):
    return set(scope(model.objects.all(), user).values_list("pk", flat=True))


def test_national_administrator_sees_every_area(area, users):
    user = users[Role.NATIONAL]

    assert visible(Province, user) == {"01", "79"}
    assert visible(Ward, user) == {"00004", "00070", "26734"}
    assert len(visible(Hamlet, user)) == 3
    assert len(visible(Team, user)) == 3


def test_province_staff_see_their_province_only(area, users):
    user = users[Role.PROVINCE]

    assert visible(Province, user) == {"01"}
    assert visible(Ward, user) == {"00004", "00070"}
    assert visible(Hamlet, user) == {area.hamlet.pk, area.neighbour_hamlet.pk}
    assert visible(Team, user) == {area.team.pk, area.neighbour_team.pk}


@pytest.mark.parametrize("role", [Role.WARD, Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_ward_and_team_roles_see_their_ward_only(area, users, role):
    user = users[role]

    assert visible(Province, user) == {"01"}
    assert visible(Ward, user) == {"00004"}
    assert visible(Hamlet, user) == {area.hamlet.pk}
    assert visible(Team, user) == {area.team.pk}


def test_users_are_scoped_like_any_other_row(area, users):
    colleague_elsewhere = UserFactory(
        username="xa-khac", role=Role.WARD, ward=area.neighbour_ward
    )
    ward_usernames = {u.username for u in scope(User.objects.all(), users[Role.WARD])}
    province_usernames = {
        u.username for u in scope(User.objects.all(), users[Role.PROVINCE])
    }

    assert ward_usernames == {"phuong", "totruong", "thanhvien"}
    assert colleague_elsewhere.username in province_usernames
    assert "quantri" not in province_usernames


def test_team_scope_carries_its_team(area, users):
    assert scope_for(users[Role.TEAM_MEMBER]) == Scope(
        Level.TEAM, province="01", ward="00004", team=area.team.pk
    )


def test_anonymous_and_inactive_users_see_nothing(area, users):
    from django.contrib.auth.models import AnonymousUser

    inactive = users[Role.WARD]
    inactive.is_active = False

    assert visible(Ward, AnonymousUser()) == set()
    assert visible(Ward, inactive) == set()


def test_a_scope_value_filters_like_its_user(area):
    # API keys carry a scope without a user.
    assert visible(Hamlet, Scope(Level.WARD, province="79", ward="26734")) == {
        area.other_hamlet.pk
    }


def test_a_model_that_does_not_say_how_it_is_scoped_is_refused(users):
    from django.contrib.auth.models import Group

    with pytest.raises(ImproperlyConfigured, match="WARD_PATH or PROVINCE_PATH"):
        scope(Group.objects.all(), users[Role.NATIONAL])


def test_rows_without_a_ward_belong_to_the_whole_province(area, users):
    """WARD_OPTIONAL: a ward user sees the province's rows and their own ward's."""
    day = datetime.date(2026, 11, 1)

    def drive(name, province, ward=None):
        return Campaign.objects.create(
            name=name, province=province, ward=ward, starts_on=day, ends_on=day
        )

    whole = drive("Cả thành phố", area.province)
    own = drive("Phường mình", area.province, area.ward)
    drive("Phường bên", area.province, area.neighbour_ward)
    drive("Tỉnh khác", area.other_province)

    for role in (Role.WARD, Role.TEAM_MEMBER):
        assert set(scope(Campaign.objects.all(), users[role])) == {whole, own}
    assert scope(Campaign.objects.all(), users[Role.PROVINCE]).count() == 3
