"""Sessions and members in the admin: a form opened on an older version is
refused when saved, naming the problem, and nothing it says is written."""

import re

import pytest
from django.conf import settings

from accounts.models import Role
from assistance.models import AssistanceSession
from core.admin_site import row_version
from teams.models import Member
from tests.assistance.factories import SessionFactory
from tests.assistance.test_admin_sessions import session_form

pytestmark = pytest.mark.django_db

SEEN = re.compile(r'name="_seen_version" value="([^"]+)"')
REFUSED = "Someone saved this record after you opened it"


@pytest.fixture
def official(client, users):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users[Role.WARD])
    return client


def test_a_sessions_change_form_carries_its_version(official, area):
    session = SessionFactory(team=area.team)

    page = official.get("/admin/assistance/assistancesession/%d/change/" % session.pk)

    assert SEEN.search(page.text).group(1) == row_version(AssistanceSession, session.pk)


def test_a_stale_session_form_is_refused(official, area, member, household):
    session = SessionFactory(team=area.team, household=household, notes="cũ")
    url = "/admin/assistance/assistancesession/%d/change/" % session.pk
    data = session_form(
        area.team, [member], household, notes="đè lên", _seen_version="old"
    )

    response = official.post(url, data)

    assert response.status_code == 200
    assert REFUSED in response.text
    assert AssistanceSession.objects.get(pk=session.pk).notes == "cũ"


def test_a_stale_member_form_is_refused(official, member):
    url = "/admin/teams/member/%d/change/" % member.pk
    seen = SEEN.search(official.get(url).text).group(1)
    member.phone = "0912000111"  # saved meanwhile, by someone else
    member.save()

    response = official.post(
        url, {"full_name": "Tên đè lên", "ward": member.ward_id, "_seen_version": seen}
    )

    assert response.status_code == 200
    assert REFUSED in response.text
    assert Member.objects.get(pk=member.pk).full_name == "Nguyễn Văn An"


def test_a_rows_version_moves_when_it_is_saved(area, member):
    before = row_version(Member, member.pk)
    member.phone = "0912000999"
    member.save()

    assert row_version(Member, member.pk) != before
