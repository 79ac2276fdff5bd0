"""Merging a household registered twice: everything moves, in one audited step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from assistance.models import AssistanceSession
from households.merge import household_merge
from households.models import Household, HouseholdMerge, Resident
from reports.models import PendingRefresh
from tests.accounts.factories import UserFactory
from tests.assistance.factories import SessionFactory
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"


@pytest.fixture
def twins(area):
    """One family registered twice in the ward, each with a resident and a
    session."""
    kept = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="BD-0001", head_name="Đặng Thị Hường"
    )
    merged = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="BD-0900", head_name="Dang Thi Huong"
    )
    kept_head = ResidentFactory(
        household=kept,
        full_name="Đặng Thị Hường",
        birth_year=1960,
        has_smartphone=True,
        is_focal_person=True,
    )
    merged_head = ResidentFactory(
        household=merged, full_name="ĐẶNG THỊ HƯỜNG", birth_year=1960
    )
    grandson = ResidentFactory(
        household=merged,
        full_name="Đặng Văn Cháu",
        birth_year=2005,
        has_smartphone=True,
        is_focal_person=True,
    )
    sessions = [
        SessionFactory(team=area.team, household=merged, resident=merged_head),
        SessionFactory(team=area.team, household=merged, resident=grandson),
        SessionFactory(team=area.team, household=kept, resident=kept_head),
    ]
    return kept, merged, kept_head, merged_head, grandson, sessions


def test_residents_and_sessions_move_and_the_duplicate_is_deleted(users, twins):
    kept, merged, kept_head, merged_head, grandson, sessions = twins

    household_merge(user=users[Role.WARD], kept_pk=kept.pk, merged_pk=merged.pk)

    assert not Household.objects.filter(pk=merged.pk).exists()
    assert set(kept.residents.all()) == {kept_head, grandson}
    assert set(AssistanceSession.objects.filter(household=kept)) == set(sessions)
    # The head registered in both is one person: her sessions follow her.
    assert not Resident.objects.filter(pk=merged_head.pk).exists()
    assert AssistanceSession.objects.get(pk=sessions[0].pk).resident == kept_head


def test_the_kept_households_focal_person_stays_the_only_one(users, twins):
    kept, merged, kept_head, merged_head, grandson, sessions = twins

    household_merge(user=users[Role.WARD], kept_pk=kept.pk, merged_pk=merged.pk)

    focal = list(kept.residents.filter(is_focal_person=True))
    assert focal == [kept_head]


def test_a_focal_person_moves_with_the_household_that_had_none(users, area, twins):
    kept, merged, kept_head, merged_head, grandson, sessions = twins
    Resident.objects.filter(pk=kept_head.pk).update(is_focal_person=False)

    household_merge(user=users[Role.WARD], kept_pk=kept.pk, merged_pk=merged.pk)

    assert list(kept.residents.filter(is_focal_person=True)) == [grandson]


def test_the_merge_is_audited_with_who_what_and_how_many(users, twins):
    kept, merged, kept_head, merged_head, grandson, sessions = twins
    official = users[Role.WARD]

    record = household_merge(user=official, kept_pk=kept.pk, merged_pk=merged.pk)

    assert HouseholdMerge.objects.get() == record
    assert (record.kept, record.kept_code, record.merged_code, record.merged_pk) == (
        kept,
        "BD-0001",
        "BD-0900",
        merged.pk,
    )
    assert record.merged_by == official
    assert record.moved == {
        "households.resident": 1,
        "assistance.assistancesession": 2,
    }
    assert record.residents_joined == 1
    deletion = Household.history.filter(id=merged.pk, history_type="-").get()
    assert deletion.history_user == official
    assert deletion.history_change_reason == "đã gộp hộ BD-0900 vào BD-0001"
    moved = AssistanceSession.history.filter(id=sessions[1].pk).latest("history_id")
    assert moved.household_id == kept.pk and moved.history_user == official


def test_the_moved_sessions_days_are_refreshed(users, area, twins):
    kept, merged, kept_head, merged_head, grandson, sessions = twins
    PendingRefresh.objects.all().delete()

    household_merge(user=users[Role.WARD], kept_pk=kept.pk, merged_pk=merged.pk)

    owed = set(PendingRefresh.objects.values_list("ward_id", "day"))
    assert owed == {(area.ward.pk, sessions[0].started_on)}


def test_province_staff_may_not_merge(users, twins):
    kept, merged, *_ = twins

    with pytest.raises(PermissionDenied):
        household_merge(user=users[Role.PROVINCE], kept_pk=kept.pk, merged_pk=merged.pk)

    assert Household.objects.filter(pk=merged.pk).exists()


def test_a_household_outside_the_users_ward_cannot_be_merged(users, area, twins):
    kept, *_ = twins
    stranger = HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)

    with pytest.raises(Household.DoesNotExist):
        household_merge(user=users[Role.WARD], kept_pk=kept.pk, merged_pk=stranger.pk)
    with pytest.raises(Household.DoesNotExist):
        household_merge(user=users[Role.WARD], kept_pk=stranger.pk, merged_pk=kept.pk)

    assert Household.objects.filter(pk=stranger.pk).exists()


def test_households_of_two_wards_are_never_merged(users, area, twins):
    kept, *_ = twins
    stranger = HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)

    with pytest.raises(ValidationError):
        household_merge(
            user=users[Role.NATIONAL], kept_pk=kept.pk, merged_pk=stranger.pk
        )


# The admin -------------------------------------------------------------------


def action(client, *households, **extra):
    return client.post(
        HOUSEHOLDS,
        {
            "action": "merge_households",
            "_selected_action": [household.pk for household in households],
            **extra,
        },
        follow=True,
    )


def test_the_admin_asks_which_household_to_keep_in_vietnamese(client, users, twins):
    kept, merged, *_ = twins
    client.force_login(users[Role.WARD])

    response = action(client, kept, merged)

    assert "Chọn hộ được giữ lại" in response.text
    assert "BD-0001" in response.text and "BD-0900" in response.text
    assert Household.objects.filter(pk=merged.pk).exists()


def test_the_admin_merges_into_the_household_chosen(client, users, twins):
    kept, merged, *_ = twins
    client.force_login(users[Role.WARD])

    response = action(client, kept, merged, post="yes", keep=merged.pk)

    assert "Đã gộp hộ BD-0001 vào BD-0900" in response.text
    assert not Household.objects.filter(pk=kept.pk).exists()
    assert Household.objects.get(pk=merged.pk).residents.count() == 2


def test_the_admin_merges_only_two_households(client, users, area, twins):
    kept, merged, *_ = twins
    third = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    client.force_login(users[Role.WARD])

    response = action(client, kept, merged, third, post="yes", keep=kept.pk)

    assert "Hãy chọn đúng hai hộ để gộp" in response.text
    assert Household.objects.count() == 3


def test_province_staff_have_no_merge_in_the_admin(client, users, twins):
    kept, merged, *_ = twins
    client.force_login(users[Role.PROVINCE])

    response = action(client, kept, merged, post="yes", keep=kept.pk)

    assert "merge_households" not in response.text
    assert Household.objects.filter(pk=merged.pk).exists()


def test_another_wards_household_cannot_be_merged_from_the_admin(
    client, users, area, twins
):
    kept, *_ = twins
    stranger = HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)
    client.force_login(users[Role.WARD])

    action(client, kept, stranger, post="yes", keep=kept.pk)

    assert Household.objects.filter(pk=stranger.pk).exists()
    assert not HouseholdMerge.objects.exists()


def test_the_merges_are_listed_for_the_ward_only(client, users, area, twins):
    kept, merged, *_ = twins
    household_merge(user=users[Role.WARD], kept_pk=kept.pk, merged_pk=merged.pk)
    client.force_login(users[Role.WARD])

    mine = client.get("/admin/households/householdmerge/")
    client.force_login(
        UserFactory(username="hk", role=Role.WARD, ward=area.neighbour_ward)
    )
    theirs = client.get("/admin/households/householdmerge/")

    assert list(mine.context["cl"].result_list) == list(HouseholdMerge.objects.all())
    assert "lượt hỗ trợ: 2, nhân khẩu: 1" in mine.text
    assert list(theirs.context["cl"].result_list) == []
