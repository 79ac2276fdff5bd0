"""The field pages, through Django's test client: scope, search, offline files."""

import json

import pytest
from django.utils import timezone

from accounts.models import Role
from assistance.models import SessionService
from tests.assistance.factories import line
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, users, member):
    client.force_login(users[Role.TEAM_MEMBER])
    return client


def test_field_pages_are_closed_to_ward_officials(client, users):
    client.force_login(users[Role.WARD])

    assert client.get("/field/log/").status_code == 403


def test_search_ignores_diacritics_and_stays_in_the_ward(
    member_client, household, resident, neighbour_household
):
    ResidentFactory(household=neighbour_household, full_name="Nguyễn Thị Hoa")

    response = member_client.get("/field/find/", {"q": "nguyen thi hoa"})

    assert response.status_code == 200
    assert list(response.context["households"]) == [household]
    assert f'data-resident="{resident.pk}"' in response.text


def test_search_finds_a_household_by_phone(member_client, area):
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, phone="0912345678")

    response = member_client.get("/field/find/", {"q": "0912 345"})

    assert list(response.context["households"]) == [household]


def test_ids_in_pages_are_not_written_with_thousand_separators(member_client, area):
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, pk=12345)

    response = member_client.get("/field/find/", {"q": household.code})

    assert 'data-household="12345"' in response.text


def test_offline_index_holds_the_team_hamlet_only(
    member_client, area, household, resident, neighbour_household
):
    HouseholdFactory(ward=area.ward, hamlet__ward=area.ward, code="OTHER-HAMLET")

    index = member_client.get("/field/households.json").json()

    assert [row["code"] for row in index["households"]] == [household.code]
    assert index["households"][0]["residents"][0][1] == resident.full_name
    assert "phone" not in index["households"][0]


def test_a_member_cannot_open_another_teams_session_for_editing(
    client, sister_user, record
):
    session, _created = record()
    client.force_login(sister_user)

    assert client.get("/field/log/", {"session": session.pk}).status_code == 404


def test_the_author_opens_their_session_for_editing(member_client, record):
    session, _created = record(services=[line("bill_qr", "failed", "Mất mạng")])

    response = member_client.get("/field/log/", {"session": session.pk})

    editing = response.context["editing"]
    assert editing["id"] == session.pk
    assert editing["services"] == [
        {
            "service": "bill_qr",
            "outcome": "failed",
            "reason": "Mất mạng",
            "dossier_ref": "",
        }
    ]


def test_recent_lists_own_sessions_with_a_change_link(member_client, record):
    session, _created = record()

    response = member_client.get("/field/sessions/")

    assert [item.pk for item in response.context["sessions"]] == [session.pk]
    assert f"/field/log/?session={session.pk}" in response.text


def test_a_follow_up_is_closed_by_hand_once(member_client, record):
    session, _created = record(services=[line("vneid_level2", "follow_up")])
    follow_up = session.services.get()

    page = member_client.get("/field/follow-ups/")
    assert list(page.context["lines"]) == [follow_up]
    response = member_client.post(f"/field/follow-ups/{follow_up.pk}/done/")

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.closed_at is not None
    assert list(member_client.get("/field/follow-ups/").context["lines"]) == []


def test_another_team_cannot_close_a_follow_up(client, sister_user, record):
    session, _created = record(services=[line("vneid_level2", "follow_up")])
    client.force_login(sister_user)

    response = client.post(f"/field/follow-ups/{session.services.get().pk}/done/")

    assert response.status_code == 404
    assert SessionService.objects.get().closed_at is None


def test_home_counts_today_and_shows_the_pending_tile(member_client, record):
    # Logged now: "an hour ago" is yesterday in the first hour of the day.
    record(started_at=timezone.now())

    response = member_client.get("/field/")

    assert response.context["counts"] == {"today": 1, "week": 1}
    assert "data-pending-count" in response.text


def test_service_worker_keeps_the_field_pages_and_local_workbox(member_client):
    response = member_client.get("/field/sw.js")

    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/field/"
    assert "/field/log/" in response.text
    assert "googleapis" not in response.text
    assert "/static/vendor/workbox/workbox-sw" in response.text


def test_manifest_starts_on_the_field_home(member_client):
    manifest = json.loads(member_client.get("/field/manifest.webmanifest").content)

    assert manifest["start_url"] == "/field/"
    assert manifest["display"] == "standalone"
