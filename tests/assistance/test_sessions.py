"""Recording and changing sessions: checks, resends, follow-ups and e-ID levels."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.models import Role
from assistance.models import AssistanceSession, SessionService
from assistance.services import session_may_edit, session_update
from core.capture import CaptureConflict
from households.models import Resident
from tests.assistance.factories import (
    MembershipFactory,
    ServicePointFactory,
    line,
    service,
)
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def refused(record, **changes) -> dict:
    """The field errors of a session that must not be stored, in English."""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        record(**changes)
    assert not AssistanceSession.objects.exists()
    assert not SessionService.objects.exists()
    return caught.value.message_dict


def lines_of(session) -> dict[str, str]:
    return {
        row.service_type.code: row.outcome
        for row in SessionService.objects.filter(session=session)
    }


# Checks


def test_a_session_more_than_five_minutes_ahead_is_refused(record):
    errors = refused(record, started_at=timezone.now() + datetime.timedelta(minutes=6))

    assert errors == {"started_at": ["A session cannot be in the future."]}


def test_a_phone_clock_a_few_minutes_fast_is_accepted(record):
    session, created = record(started_at=timezone.now() + datetime.timedelta(minutes=4))

    assert created
    assert AssistanceSession.objects.get() == session


def test_a_member_of_another_team_is_refused(record, area, member, sister_team):
    stranger = MembershipFactory(
        member__ward=area.ward, member__full_name="Lý Văn Đoàn", team=sister_team
    ).member

    errors = refused(record, members=[member, stranger])

    assert errors == {
        "members": [
            "Lý Văn Đoàn is not a member of the team %s on that day." % area.team
        ]
    }


def test_a_member_who_has_left_the_team_is_refused(record, area):
    left = MembershipFactory(
        member__ward=area.ward,
        member__full_name="Vũ Văn Đi",
        team=area.team,
        left_on=timezone.localdate() - datetime.timedelta(days=3),
    ).member

    errors = refused(record, members=[left])

    assert list(errors) == ["members"]
    assert errors["members"][0].startswith("Vũ Văn Đi is not a member of the team")


def test_a_member_who_has_left_counts_for_sessions_before_leaving(record, area):
    today = timezone.localdate()
    left = MembershipFactory(
        member__ward=area.ward, team=area.team, left_on=today - datetime.timedelta(3)
    ).member

    session, created = record(members=[left], started_at=timezone.now() - 5 * 24 * HOUR)

    assert created
    assert list(session.members.all()) == [left]


def test_a_session_needs_a_member(record):
    errors = refused(record, members=[])

    assert errors == {"members": ["Choose at least one member who gave the help."]}


def test_a_household_of_another_ward_is_refused(record, neighbour_household):
    errors = refused(record, household=neighbour_household)

    assert errors == {"household": ["The household is not in the team's ward."]}


def test_a_resident_of_another_household_is_refused(record, household, area):
    stranger = ResidentFactory(household__ward=area.ward, household__hamlet=area.hamlet)

    errors = refused(record, household=household, resident=stranger)

    assert errors == {
        "resident": ["This person does not live in the chosen household."]
    }


def test_a_resident_of_another_ward_is_refused(record, neighbour_household):
    stranger = ResidentFactory(household=neighbour_household)

    errors = refused(record, household=None, resident=stranger)

    assert errors == {"resident": ["This person is not in the team's ward."]}


def test_a_walk_in_needs_gender_and_age_group(record):
    errors = refused(record, household=None)

    assert errors == {
        "walk_in_gender": ["For a walk-in, choose the person's gender."],
        "walk_in_age_group": ["For a walk-in, choose the person's age group."],
    }


def test_a_walk_in_with_gender_and_age_group_is_stored(record):
    session, created = record(
        household=None, walk_in_gender="male", walk_in_age_group="60_plus"
    )

    assert created
    session.refresh_from_db()
    assert session.is_walk_in
    assert (session.walk_in_gender, session.walk_in_age_group) == ("male", "60_plus")


@pytest.mark.parametrize(
    "walk_in", [{"walk_in_gender": "female"}, {"walk_in_elderly_alone": True}]
)
def test_walk_in_details_with_a_household_are_refused(record, walk_in):
    errors = refused(record, **walk_in)

    assert errors == {
        "walk_in_gender": [
            "A session is either for a registered household or for a walk-in."
        ]
    }


def test_a_service_point_of_another_ward_is_refused(record, area):
    elsewhere = ServicePointFactory(ward=area.neighbour_ward)

    errors = refused(record, place="mobile", service_point=elsewhere)

    assert errors == {"service_point": ["The service point is not in the team's ward."]}


def test_a_service_point_of_the_ward_is_stored(record, service_point):
    session, _created = record(place="centre", service_point=service_point)

    session.refresh_from_db()
    assert session.service_point == service_point


def test_a_session_without_services_is_refused(record):
    errors = refused(record, services=[])

    assert errors == {"services": ["Choose at least one service that was given."]}


def test_a_service_listed_twice_is_refused(record):
    errors = refused(
        record, services=[line("online_safety"), line("online_safety", "follow_up")]
    )

    assert errors == {"services": ["Scams and online safety is listed twice."]}


def test_a_failed_service_needs_a_reason(record):
    errors = refused(record, services=[line("vneid_level2", "failed", reason="  ")])

    assert errors == {"services": ["Say why Activate level-2 e-ID could not be done."]}


def test_a_dossier_reference_on_a_service_that_is_no_filing_is_refused(record):
    errors = refused(
        record, services=[line("online_safety", dossier_ref="G22.99-260101-0001")]
    )

    assert errors == {
        "services": [
            "Scams and online safety is not an online filing: "
            "it has no dossier reference."
        ]
    }


def test_a_filing_keeps_its_dossier_reference_and_a_failure_its_reason(record):
    session, _created = record(
        services=[
            line("birth_registration", dossier_ref=" G22.99-260101-0001 "),
            line("vneid_level2", "failed", reason=" Chip card not read "),
        ]
    )

    stored = {row.service_type.code: row for row in session.services.all()}
    assert stored["birth_registration"].dossier_ref == "G22.99-260101-0001"
    assert stored["vneid_level2"].reason == "Chip card not read"


def test_every_problem_is_named_at_once(record, neighbour_household):
    errors = refused(
        record,
        members=[],
        household=neighbour_household,
        services=[],
        started_at=timezone.now() + HOUR,
    )

    assert set(errors) == {"members", "household", "services", "started_at"}


# Resends


def test_a_new_session_is_stored_with_its_ward_day_and_lines(record, area, users):
    when = timezone.make_aware(datetime.datetime(2026, 11, 20, 23, 30))
    session, created = record(started_at=when, notes="  Lần đầu  ")

    assert created
    session.refresh_from_db()
    assert session.ward == area.ward
    assert session.started_on == datetime.date(2026, 11, 20)
    assert session.notes == "Lần đầu"
    assert session.recorded_by == users[Role.TEAM_MEMBER]
    assert lines_of(session) == {"online_safety": "done"}


def test_a_new_session_is_audited_once_with_who_recorded_it(record, users):
    session, _created = record()

    record(client_uuid=session.client_uuid)  # a resend changes nothing

    audit = session.history.get()
    assert audit.history_type == "+"
    assert (audit.team_id, audit.household_id) == (
        session.team_id,
        session.household_id,
    )
    assert audit.recorded_by == users[Role.TEAM_MEMBER]


def test_the_same_uuid_twice_stores_one_session_and_one_set_of_lines(record):
    uid = uuid.uuid4()
    services = [line("online_safety"), line("payment_app", "follow_up")]
    first, first_created = record(client_uuid=uid, services=services)

    again, again_created = record(client_uuid=uid, services=list(reversed(services)))

    assert (first_created, again_created) == (True, False)
    assert again.pk == first.pk
    assert AssistanceSession.objects.count() == 1
    assert SessionService.objects.count() == 2


def test_a_session_for_a_resident_alone_is_filed_under_their_household(
    record, resident, household
):
    uid = uuid.uuid4()
    session, _ = record(client_uuid=uid, household=None, resident=resident)

    session.refresh_from_db()
    assert (session.household, session.resident) == (household, resident)
    again, created = record(client_uuid=uid, household=None, resident=resident)
    assert (again.pk, created) == (session.pk, False)


def test_the_same_uuid_with_other_content_is_a_conflict(record):
    uid = uuid.uuid4()
    first, _created = record(client_uuid=uid, notes="Hướng dẫn cài VNeID")
    before = first.updated_at

    with pytest.raises(CaptureConflict) as caught:
        record(
            client_uuid=uid,
            notes="Đã sửa ghi chú",
            services=[line("payment_app")],
        )

    assert caught.value.stored.pk == first.pk
    first.refresh_from_db()
    assert first.notes == "Hướng dẫn cài VNeID"
    assert first.updated_at == before
    assert lines_of(first) == {"online_safety": "done"}
    assert AssistanceSession.objects.count() == 1


def test_a_resend_is_not_checked_again(record, area):
    """A replay of yesterday's session by a member who has since left is no error."""
    uid = uuid.uuid4()
    helper = MembershipFactory(member__ward=area.ward, team=area.team)
    first, _created = record(client_uuid=uid, members=[helper.member])
    helper.left_on = helper.joined_on
    helper.save()

    again, created = record(client_uuid=uid, members=[helper.member])

    assert (again.pk, created) == (first.pk, False)


# e-ID levels


def test_a_level2_activation_done_raises_the_residents_eid(record, resident):
    before = resident.history.count()

    record(resident=resident, services=[line("vneid_level2")])

    resident.refresh_from_db()
    assert resident.vneid_level == Resident.VneidLevel.LEVEL_2
    assert resident.history.count() == before + 1
    assert resident.history.first().vneid_level == Resident.VneidLevel.LEVEL_2


@pytest.mark.parametrize("outcome", ["follow_up", "failed"])
def test_a_level2_activation_not_done_leaves_the_eid(record, resident, outcome):
    before = resident.history.count()

    record(
        resident=resident,
        services=[line("vneid_level2", outcome, reason="Không đọc được chip")],
    )

    resident.refresh_from_db()
    assert resident.vneid_level == Resident.VneidLevel.NONE
    assert resident.history.count() == before


def test_other_services_done_leave_the_eid(record, resident):
    record(resident=resident, services=[line("vneid_account")])

    resident.refresh_from_db()
    assert resident.vneid_level == Resident.VneidLevel.NONE


# Follow-ups


def test_a_later_session_finishing_the_service_closes_the_follow_up(record):
    earlier, _ = record(
        started_at=timezone.now() - 3 * HOUR,
        services=[line("payment_app", "follow_up"), line("online_safety")],
    )

    record(services=[line("payment_app")])

    follow_up = earlier.services.get(service_type=service("payment_app"))
    assert follow_up.closed_at is not None


def test_the_follow_up_stays_open_after_another_service(record):
    earlier, _ = record(
        started_at=timezone.now() - 3 * HOUR,
        services=[line("payment_app", "follow_up")],
    )

    record(services=[line("bill_qr")])

    assert earlier.services.get().closed_at is None


def test_the_follow_up_stays_open_after_another_households_session(record, area):
    earlier, _ = record(
        started_at=timezone.now() - 3 * HOUR,
        services=[line("payment_app", "follow_up")],
    )
    next_door = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)

    record(household=next_door, services=[line("payment_app")])

    assert earlier.services.get().closed_at is None


def test_the_follow_up_stays_open_after_a_second_follow_up(record):
    earlier, _ = record(
        started_at=timezone.now() - 3 * HOUR,
        services=[line("payment_app", "follow_up")],
    )

    later, _ = record(services=[line("payment_app", "follow_up")])

    assert earlier.services.get().closed_at is None
    assert later.services.get().closed_at is None


def test_a_follow_up_sent_late_is_closed_by_the_session_that_finished_it(record):
    """Phones log offline: the follow-up may arrive after the later session."""
    record(services=[line("payment_app")])

    earlier, _ = record(
        started_at=timezone.now() - 3 * HOUR,
        services=[line("payment_app", "follow_up")],
    )

    assert earlier.services.get().closed_at is not None


def test_a_follow_up_is_not_closed_by_an_earlier_session(record):
    record(started_at=timezone.now() - 3 * HOUR, services=[line("payment_app")])

    later, _ = record(services=[line("payment_app", "follow_up")])

    assert later.services.get().closed_at is None


# Edits


def test_an_edit_replaces_the_lines(record):
    session, _ = record(services=[line("online_safety"), line("payment_app")])

    session_update(
        session=session, services=[line("payment_app", "follow_up"), line("bill_qr")]
    )

    assert lines_of(session) == {"payment_app": "follow_up", "bill_qr": "done"}
    assert SessionService.objects.count() == 2


def test_an_edit_keeps_what_it_does_not_change(record, member, household):
    session, _ = record(notes="Ghi chú cũ")

    session_update(session=session, notes=" Ghi chú mới ")

    session.refresh_from_db()
    assert session.notes == "Ghi chú mới"
    assert session.household == household
    assert list(session.members.all()) == [member]
    assert lines_of(session) == {"online_safety": "done"}


def test_an_edit_is_checked_like_a_new_session(record, household, neighbour_household):
    session, _ = record()

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        session_update(session=session, household=neighbour_household, services=[])

    assert set(caught.value.message_dict) == {"household", "services"}
    session.refresh_from_db()
    assert session.household == household
    assert lines_of(session) == {"online_safety": "done"}


def test_an_edit_to_another_team_moves_the_ward_copy(record, area, sister_team):
    session, _ = record()
    other = MembershipFactory(member__ward=area.ward, team=sister_team).member

    session_update(session=session, team=sister_team, members=[other])

    session.refresh_from_db()
    assert (session.team, session.ward) == (sister_team, area.ward)


def test_an_edit_to_a_level2_activation_raises_the_eid(record, resident):
    session, _ = record(resident=resident, services=[line("vneid_level2", "follow_up")])

    session_update(session=session, services=[line("vneid_level2")])

    resident.refresh_from_db()
    assert resident.vneid_level == Resident.VneidLevel.LEVEL_2


# Who may edit


def test_the_author_may_edit_within_a_day(record, users):
    session, _ = record()

    assert session_may_edit(users[Role.TEAM_MEMBER], session) is True


def test_the_author_may_not_edit_after_a_day(record, users):
    session, _ = record()
    AssistanceSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - 25 * HOUR
    )
    session.refresh_from_db()

    assert session_may_edit(users[Role.TEAM_MEMBER], session) is False


def test_another_member_of_the_team_may_not_edit(record, users):
    session, _ = record()

    assert session_may_edit(users[Role.TEAM_LEADER], session) is False


def test_the_ward_official_may_edit_any_time(record, users):
    session, _ = record()
    AssistanceSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - 30 * 24 * HOUR
    )
    session.refresh_from_db()

    assert session_may_edit(users[Role.WARD], session) is True


def test_province_staff_may_not_edit(record, users):
    session, _ = record()

    assert session_may_edit(users[Role.PROVINCE], session) is False


def test_another_teams_follow_up_is_closed_by_the_session_that_finishes_it(
    record, sister_team, area, users
):
    """The sender sees only their own team, yet the household's follow-up
    left open by a sister team is closed all the same."""
    helper = MembershipFactory(member__ward=area.ward, team=sister_team).member
    earlier, _ = record(
        team=sister_team,
        members=[helper],
        started_at=timezone.now() - 3 * HOUR,
        services=[line("payment_app", "follow_up")],
    )

    record(services=[line("payment_app")], visible_to=users[Role.TEAM_MEMBER])

    follow_up = earlier.services.get(service_type=service("payment_app"))
    assert follow_up.closed_at is not None


def test_a_persons_follow_up_is_closed_by_their_next_session(record, resident):
    earlier, _ = record(
        resident=resident,
        started_at=timezone.now() - 3 * HOUR,
        services=[line("bill_qr", "follow_up")],
    )

    record(resident=resident, services=[line("bill_qr")])

    assert earlier.services.get().closed_at is not None
