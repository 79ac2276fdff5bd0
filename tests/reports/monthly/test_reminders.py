"""Reminders: late wards' officials and waiting provinces' staff, by e-mail."""

import datetime

import pytest

from accounts.models import Role
from reports.monthly import month_due
from reports.reminders import monthly_reminders_send, reminder_day
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

DECEMBER_6 = datetime.date(2026, 12, 6)  # the day after November's is due


@pytest.fixture
def addresses(users, area):
    users[Role.WARD].email = "phuong@example.vn"
    users[Role.WARD].save()
    users[Role.PROVINCE].email = "tinh@example.vn"
    users[Role.PROVINCE].save()
    return UserFactory(
        role=Role.WARD, ward=area.neighbour_ward, email="hoankiem@example.vn"
    )


def test_reminders_go_out_the_day_after_the_5th_and_on_mondays():
    assert month_due(datetime.date(2026, 11, 1)) == datetime.date(2026, 12, 5)
    assert not reminder_day(datetime.date(2026, 12, 5))
    assert reminder_day(DECEMBER_6)
    assert not reminder_day(datetime.date(2026, 12, 8))  # a Tuesday
    assert reminder_day(datetime.date(2026, 12, 14))  # a Monday
    assert not reminder_day(datetime.date(2026, 12, 1))  # a Tuesday before it


def test_late_wards_and_waiting_provinces_are_reminded(
    addresses, area, official, mailoutbox, settings
):
    from reports.monthly import monthly_report_submit

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monthly_report_submit(
        user=official, ward=area.ward, month=datetime.date(2026, 11, 1)
    )

    sent = monthly_reminders_send(today=DECEMBER_6)

    assert sent == {"ward": 1, "province": 1}
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"hoankiem@example.vn", "tinh@example.vn"}
    assert "11/2026" in by_address["hoankiem@example.vn"].subject
    assert "Phường Hoàn Kiếm" in by_address["hoankiem@example.vn"].body
    assert "chờ" in by_address["tinh@example.vn"].body


def test_the_ward_dashboard_says_the_report_is_late(client, users, area, monkeypatch):
    from reports import views

    monkeypatch.setattr(
        views.timezone, "localdate", lambda *args: DECEMBER_6, raising=True
    )
    client.force_login(users[Role.WARD])

    text = client.get("/dashboard/").content.decode()

    assert "Báo cáo tháng trước chưa được gửi và đã trễ hạn." in text
