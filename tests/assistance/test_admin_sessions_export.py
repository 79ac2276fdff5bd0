"""The sessions list's "Tải CSV": the sessions the official sees, as a file."""

import csv
import io

import pytest

from accounts.models import Role
from tests.assistance.factories import SessionFactory, local

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/assistance/assistancesession/"
EXPORT = SESSIONS + "export.csv"


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel needs the mark to read UTF-8
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return client


def test_the_list_offers_the_download(official):
    page = official.get(SESSIONS).content.decode()

    assert 'href="%s?"' % EXPORT in page
    assert "Tải CSV" in page


def test_the_file_holds_the_wards_sessions_only(official, area, sister_team):
    mine = SessionFactory(team=area.team)
    sisters = SessionFactory(team=sister_team)
    SessionFactory(team=area.neighbour_team)
    SessionFactory(team=area.other_team)

    response = official.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response)
    assert rows[0][:3] == ["Mã lượt", "Thời điểm", "Mã xã/phường"]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted([mine.pk, sisters.pk])


def test_a_row_reads_in_vietnamese_in_local_time(official, area, household):
    session = SessionFactory(
        team=area.team,
        household=household,
        started_at=local(2026, 11, 3, 14, 5),
        duration_minutes=25,
        services=[("vneid_level2", "done"), ("online_safety", "follow_up")],
    )

    (row,) = csv_rows(official.get(EXPORT))[1:]

    assert row == [
        str(session.pk),
        "03/11/2026 14:05",
        area.ward.pk,
        area.team.name,
        "tại nhà",
        "",
        "BD-0001",
        "",
        "Kích hoạt định danh điện tử mức 2 (đã xong); "
        "Nhận biết lừa đảo, an toàn trên mạng (đã bắt đầu, cần hỗ trợ tiếp)",
        "25",
        "trang hiện trường",
    ]


def test_the_file_keeps_the_lists_search(official, area, household):
    found = SessionFactory(team=area.team, household=household)
    SessionFactory(team=area.team)  # a walk-in: no household to match

    rows = csv_rows(official.get(EXPORT + "?q=hoang+van+bay"))[1:]

    assert [int(row[0]) for row in rows] == [found.pk]


def test_province_staff_get_their_provinces_sessions(client, users, area):
    mine = SessionFactory(team=area.team)
    neighbours = SessionFactory(team=area.neighbour_team)
    SessionFactory(team=area.other_team)
    client.force_login(users[Role.PROVINCE])

    rows = csv_rows(client.get(EXPORT))[1:]

    assert sorted(int(row[0]) for row in rows) == sorted([mine.pk, neighbours.pk])


def test_a_team_member_cannot_download_the_file(client, users, area):
    SessionFactory(team=area.team)
    client.force_login(users[Role.TEAM_MEMBER])

    response = client.get(EXPORT)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
