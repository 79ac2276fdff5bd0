"""The weekly e-mail of alerts: the right officials, their ward, once a week."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from accounts.models import Role
from reports.digest import alert_digests_send
from reports.models import AlertDigestSent
from reports.services import stats_recompute
from reports.tasks import alert_digests_send_task
from tests.accounts.factories import UserFactory
from tests.assistance.factories import SessionFactory
from tests.reports.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet(area):
    for team in (area.team, area.neighbour_team):
        SessionFactory(team=team, started_at=days_ago(20))
    stats_recompute()


@pytest.fixture
def officials(area):
    return {
        "here": UserFactory(
            username="phuong.a", role=Role.WARD, ward=area.ward, email="a@phuong.vn"
        ),
        "neighbour": UserFactory(
            username="phuong.b",
            role=Role.WARD,
            ward=area.neighbour_ward,
            email="b@phuong.vn",
        ),
    }


def test_each_ward_official_gets_their_wards_alerts_in_vietnamese(
    area, officials, quiet
):
    assert alert_digests_send() == 2

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"a@phuong.vn", "b@phuong.vn"}
    here = by_address["a@phuong.vn"]
    assert here.subject.startswith("[Tổ CNSCĐ] Cảnh báo của Phường Ba Đình, tuần từ")
    assert area.team.name in here.body
    assert area.neighbour_team.name not in here.body
    assert "không có lượt hỗ trợ nào trong 20 ngày" in here.body
    assert (
        "http://localhost:8000/admin/assistance/assistancesession/"
        "?team__id__exact=%d" % area.team.pk
    ) in here.body
    html, kind = here.alternatives[0]
    assert kind == "text/html"
    assert area.team.name in html


def test_a_second_run_in_the_week_sends_nothing(officials, quiet):
    alert_digests_send_task()
    alert_digests_send_task()

    assert len(mail.outbox) == 2
    assert AlertDigestSent.objects.count() == 2


def test_the_next_week_sends_again(officials, quiet):
    today = timezone.localdate()
    alert_digests_send(today)

    alert_digests_send(today + datetime.timedelta(days=7))

    assert len(mail.outbox) == 4


def test_no_alerts_no_mail(area, officials):
    SessionFactory(team=area.team, started_at=days_ago(1))
    SessionFactory(team=area.neighbour_team, started_at=days_ago(1))
    stats_recompute()

    assert alert_digests_send() == 0
    assert mail.outbox == []
    # Nothing recorded: alerts appearing later in the week still get sent.
    assert not AlertDigestSent.objects.exists()


def test_officials_without_an_address_inactive_or_not_of_a_ward_get_nothing(
    area, users, quiet
):
    UserFactory(username="khong.thu", role=Role.WARD, ward=area.ward, email="")
    UserFactory(
        username="nghi", role=Role.WARD, ward=area.ward, email="x@a.vn", is_active=False
    )
    UserFactory(
        username="tinh.thu",
        role=Role.PROVINCE,
        province=area.province,
        email="tinh@a.vn",
    )
    UserFactory(
        username="to.thu", role=Role.TEAM_LEADER, team=area.team, email="to@a.vn"
    )

    assert alert_digests_send() == 0
    assert mail.outbox == []


def test_a_failed_mail_is_not_recorded_and_goes_next_run(officials, quiet, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        assert alert_digests_send() == 0

    assert not AlertDigestSent.objects.exists()
    assert alert_digests_send() == 2
